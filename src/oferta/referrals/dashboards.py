"""The follow-up dashboard of effective linkage: which territories a user may filter by, the
dashboard's title and default grouping, and the funnel shaped for the page and the export.

The numbers come from :func:`oferta.referrals.selectors.linkage_funnel`, which starts from the
referrals the user may see; a territory filter only narrows that scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final, cast

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oferta.accounts.models import Role
from oferta.territories.models import Department, Municipality

from .access import referral_scope, user_is_partner
from .models import RoutingRun
from .selectors import FunnelBy, FunnelRow, LinkageFunnel, linkage_funnel
from .states import ClosureReason

STAGES: Final[tuple[tuple[str, str | Promise], ...]] = (
    ("identified", _lazy("Identificadas")),
    ("referred", _lazy("Remitidas")),
    ("accepted", _lazy("Aceptadas")),
    ("enrolled", _lazy("Inscritas")),
    ("served", _lazy("Atendidas")),
)
"""The funnel's stages in order; each counts referrals (a household referred to two offers
counts twice)."""

STAGE_HELP: Final[dict[str, str | Promise]] = {
    "identified": _lazy("Propuestas por una corrida de focalización (todas las remisiones)."),
    "referred": _lazy("Aprobadas por el equipo y enviadas a la entidad."),
    "accepted": _lazy("Aceptadas por la entidad."),
    "enrolled": _lazy("Con inscripción confirmada: vinculación efectiva."),
    "served": _lazy("Con fecha de atención registrada."),
}

GROUPINGS: Final[dict[str, str | Promise]] = {
    "offer": _lazy("Oferta"),
    "organization": _lazy("Entidad"),
    "department": _lazy("Departamento"),
    "municipality": _lazy("Municipio"),
}


def user_can_see_dashboard(*, user: Any) -> bool:
    """Everyone with a referral scope: national, regional and municipal users, partners."""
    return referral_scope(user) is not None


def dashboard_departments_for(*, user: Any) -> list[str] | None:
    """Department codes whose territories ``user`` may filter by; ``None`` = every one.

    National users and partners (whose scope is their offers, anywhere) filter anywhere;
    regional analysts within their departments; municipal users only their municipality
    (its department is listed so the municipality can be shown, but not offered as a filter).
    """
    if user.is_national or user_is_partner(user):
        return None
    if user.role == Role.REGIONAL_ANALYST:
        return sorted(user.departments.values_list("code", flat=True))
    if user.role == Role.MUNICIPAL_USER and user.municipality_id:
        return [str(user.municipality_id)[:2]]
    return []


def dashboard_territory_choices(*, user: Any) -> list[tuple[str, Any]]:
    """Grouped choices of the territory filter (departments, then municipalities)."""
    allowed = dashboard_departments_for(user=user)
    departments = Department.objects.order_by("code")
    municipalities = Municipality.objects.order_by("code")
    if allowed is not None:
        departments = departments.filter(code__in=allowed)
        municipalities = municipalities.filter(department__code__in=allowed)
    if user.role == Role.MUNICIPAL_USER and not user.is_national:
        departments = departments.none()
        municipalities = municipalities.filter(code=user.municipality_id)
    choices: list[tuple[str, Any]] = []
    department_choices = [(d.code, f"{d.code} · {d.name}") for d in departments]
    municipality_choices = [(m.code, f"{m.code} · {m.name}") for m in municipalities]
    if department_choices:
        choices.append((_("Departamentos"), department_choices))
    if municipality_choices:
        choices.append((_("Municipios"), municipality_choices))
    return choices


def territory_name(code: str) -> str:
    """«Uribia (44847)» / «La Guajira (44)»; the bare code if unknown."""
    if len(code) == 2:
        name = Department.objects.filter(code=code).values_list("name", flat=True).first()
    else:
        name = Municipality.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name} ({code})" if name else code


def default_grouping(*, user: Any, territory_code: str | None) -> str:
    """Finer groups the smaller the territory: by department nationally, by municipality in a
    department, by offer in a municipality and for partners."""
    if user_is_partner(user):
        return "offer"
    if territory_code and len(territory_code) == 5:
        return "offer"
    if territory_code or user.role == Role.REGIONAL_ANALYST:
        return "municipality"
    if user.role == Role.MUNICIPAL_USER:
        return "offer"
    return "department"


def dashboard_title(*, user: Any, territory_code: str | None) -> tuple[str, bool]:
    """The page title and whether it is the national dashboard."""
    if territory_code:
        return _("Tablero territorial: %(t)s") % {"t": territory_name(territory_code)}, False
    if user_is_partner(user):
        name = user.organization.name if user.organization_id else ""
        return _("Seguimiento de las remisiones de %(org)s") % {"org": name}, False
    if user.is_national:
        return _("Tablero nacional de vinculación efectiva"), True
    if user.role == Role.MUNICIPAL_USER and user.municipality_id:
        return _("Tablero territorial: %(t)s") % {
            "t": territory_name(str(user.municipality_id))
        }, False
    names = [territory_name(code) for code in dashboard_departments_for(user=user) or []]
    return _("Tablero territorial: %(t)s") % {"t": ", ".join(names) or "—"}, False


# --------------------------------------------------------------------------- shaping


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def percent_text(value: float | None) -> str:
    """``45.0`` → ``"45,0 %"``; ``None`` → ``"—"``."""
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


@dataclass(frozen=True)
class StageBar:
    key: str
    label: str | Promise
    count: int
    percent: float | None  # of the row's identified referrals
    width: str  # SVG width in a 0–100 viewBox, always with a decimal point
    y: int  # SVG row of the stage in the small per-row funnel

    @property
    def percent_text(self) -> str:
        return percent_text(self.percent)


@dataclass(frozen=True)
class DashboardRow:
    key: str
    code: str  # the DIVIPOLA code or offer/entity id shown next to the name
    label: str
    stages: list[StageBar]
    linkage_rate: float | None  # enrolled / referred
    median_days_to_enrolment: float | None
    rejection_reasons: list[tuple[str, str, int]]  # (code, Spanish label, count)
    rejected: int = 0

    @property
    def linkage_rate_text(self) -> str:
        return percent_text(self.linkage_rate)

    def count(self, stage: str) -> int:
        return next(s.count for s in self.stages if s.key == stage)


@dataclass
class Dashboard:
    title: str
    national: bool
    by: str
    territory_code: str | None
    run: RoutingRun | None
    rows: list[DashboardRow]
    total: DashboardRow
    filters_text: list[tuple[str, str]] = field(default_factory=list)

    @property
    def by_label(self) -> str:
        return str(GROUPINGS[self.by])


def reason_label(code: str) -> str:
    try:
        return str(ClosureReason(code).label)
    except ValueError:
        return code


def _row(row: FunnelRow, *, by: str, base: int | None = None) -> DashboardRow:
    whole = row.identified if base is None else base
    stages = []
    for i, (key, label) in enumerate(STAGES):
        count = getattr(row, key)
        percent = _percent(count, whole)
        stages.append(
            StageBar(
                key=key,
                label=label,
                count=count,
                percent=percent,
                width=f"{min(percent or 0.0, 100.0):.2f}",
                y=i * 5,
            )
        )
    reasons = sorted(
        ((code, reason_label(code), n) for code, n in row.rejection_reasons.items()),
        key=lambda item: (-item[2], item[1]),
    )
    code = row.key if by in ("department", "municipality") else ""
    return DashboardRow(
        key=row.key,
        code=code,
        label=row.label,
        stages=stages,
        linkage_rate=_percent(row.enrolled, row.referred),
        median_days_to_enrolment=row.median_days_to_enrolment,
        rejection_reasons=reasons,
        rejected=sum(n for _code, _label, n in reasons),
    )


def dashboard_build(
    *,
    user: Any,
    by: str | None = None,
    territory_code: str | None = None,
    run: RoutingRun | None = None,
) -> Dashboard:
    """The dashboard of ``user`` over the referrals they may see, narrowed to a territory and a
    run if given. The caller has checked that the territory and the run are the user's."""
    by = by or default_grouping(user=user, territory_code=territory_code)
    if by not in GROUPINGS:
        raise ValueError(f"unknown funnel grouping: {by}")
    funnel: LinkageFunnel = linkage_funnel(
        user=user, by=cast(FunnelBy, by), run=run, territory_code=territory_code
    )
    title, national = dashboard_title(user=user, territory_code=territory_code)
    filters_text = [
        (_("Alcance"), title),
        (
            _("Territorio"),
            territory_name(territory_code) if territory_code else _("Todo su alcance"),
        ),
        (_("Agrupado por"), str(GROUPINGS[by])),
    ]
    if run is not None:
        filters_text.append((_("Corrida"), f"{run} ({run.uuid})"))
    total = replace(_row(funnel.total, by=by), label=_("Total"), code="")
    return Dashboard(
        title=title,
        national=national,
        by=by,
        territory_code=territory_code,
        run=run,
        rows=[_row(row, by=by) for row in funnel.rows],
        total=total,
        filters_text=filters_text,
    )
