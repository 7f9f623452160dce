"""Reads of the offer catalogue: search, the offer sheet, change history and territory news.

Territorial availability follows DIVIPOLA: an offer is available in municipality M when one of
its service areas is the nation, M's department (the first two digits of M) or M itself; in
department D when an area is the nation, D, or any municipality of D.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import (
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oferta.territories.models import Department, Municipality

from .models import (
    AreaScope,
    FieldChange,
    RuleScope,
    Service,
    ServiceArea,
    ServiceStatus,
    Slot,
    TaxonomyTerm,
)
from .taxonomies import PROFILE_TAXONOMY_BY_KEY

NATION_CODE = "CO"


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip accents (the Python side of the search fold)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Fold(Func):
    """Lower case without Spanish accents, in SQL, the same on SQLite and PostgreSQL.

    SQLite's LOWER() and LIKE only fold ASCII, and nested REPLACE() calls overflow its parser,
    so on SQLite the fold is ``normalise`` registered as a deterministic SQL function. On
    PostgreSQL it is ``translate(lower(x), …)`` (no ``unaccent`` extension needed); upper-case
    accented letters are listed too because lower() leaves them alone under the C locale.
    """

    function = "LOWER"
    output_field = TextField()
    _ACCENTED = "áéíóúüñàèìòùÁÉÍÓÚÜÑÀÈÌÒÙ"
    _PLAIN = "aeiouunaeiouaeiouunaeiou"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        connection.ensure_connection()
        connection.connection.create_function("oferta_fold", 1, _sqlite_fold, deterministic=True)
        return self.as_sql(compiler, connection, function="oferta_fold", **extra_context)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, function="LOWER", **extra_context)
        return f"translate({sql}, %s, %s)", (*params, self._ACCENTED, self._PLAIN)


def _sqlite_fold(value: Any) -> str | None:
    return None if value is None else normalise(str(value))


def _search_text() -> Any:
    fields = (
        "name",
        "alternate_name",
        "description",
        "organization__name",
        "organization__alternate_name",
        "program__name",
    )
    parts: list[Any] = []
    for name in fields:
        if parts:
            parts.append(Value(" ", output_field=TextField()))
        parts.append(Coalesce(name, Value(""), output_field=TextField()))
    return Fold(Concat(*parts, output_field=TextField()))


# --------------------------------------------------------------------------- territory


def territory_kind(code: str) -> str | None:
    """The kind of a well-formed code ("nation", "department", "municipality"), else None."""
    code = (code or "").strip().upper()
    if code == NATION_CODE:
        return AreaScope.NATION
    if len(code) == 2 and code.isdigit():
        return AreaScope.DEPARTMENT
    if len(code) == 5 and code.isdigit():
        return AreaScope.MUNICIPALITY
    return None


def territory_exists(code: str) -> bool:
    kind = territory_kind(code)
    if kind == AreaScope.NATION:
        return True
    if kind == AreaScope.DEPARTMENT:
        return Department.objects.filter(code=code).exists()
    if kind == AreaScope.MUNICIPALITY:
        return Municipality.objects.filter(code=code).exists()
    return False


def territory_names(codes: Iterable[str]) -> dict[str, str]:
    """Display names for DIVIPOLA codes ("CO" → "Colombia"; municipalities with department)."""
    codes = {c for c in codes if c}
    names: dict[str, str] = {}
    if NATION_CODE in codes:
        names[NATION_CODE] = str(_("Colombia (todo el país)"))
    deps = [c for c in codes if len(c) == 2 and c != NATION_CODE]
    muns = [c for c in codes if len(c) == 5]
    names.update(Department.objects.filter(code__in=deps).values_list("code", "name"))
    for code, name, dep_name in Municipality.objects.filter(code__in=muns).values_list(
        "code", "name", "department__name"
    ):
        names[code] = f"{name} ({dep_name})"
    return names


def territory_name(code: str) -> str | None:
    return territory_names([code]).get(code)


def _available_in(code: str) -> Q:
    """Q on Service: available in the territory ``code`` (see module docstring)."""
    kind = territory_kind(code)
    areas = ServiceArea.objects.filter(service=OuterRef("pk"))
    if kind == AreaScope.NATION:
        return Q(Exists(areas))
    nation = Q(scope=AreaScope.NATION)
    if kind == AreaScope.DEPARTMENT:
        match = (
            nation
            | Q(divipola_code=code)
            | Q(scope=AreaScope.MUNICIPALITY, divipola_code__startswith=code)
        )
    elif kind == AreaScope.MUNICIPALITY:
        match = (
            nation
            | Q(scope=AreaScope.DEPARTMENT, divipola_code=code[:2])
            | Q(scope=AreaScope.MUNICIPALITY, divipola_code=code)
        )
    else:
        return Q(pk__in=[])
    return Q(Exists(areas.filter(match)))


def _has_term(m2m: str, codes: Sequence[str]) -> Q:
    through = getattr(Service, m2m).through
    taxonomy_id = PROFILE_TAXONOMY_BY_KEY[m2m].id
    return Q(
        Exists(
            through.objects.filter(
                service_id=OuterRef("pk"),
                taxonomyterm__code__in=list(codes),
                taxonomyterm__taxonomy_detail_id=taxonomy_id,
            )
        )
    )


def _places_total() -> Subquery:
    totals = (
        Slot.objects.filter(service=OuterRef("pk"))
        .values("service")
        .annotate(total=Sum("places"))
        .values("total")
    )
    return Subquery(totals, output_field=IntegerField())


def _slot_codes_for(code: str) -> Q:
    """Q on Slot: the places that count as available in the filtered territory ``code``.

    For a municipality: its own slots plus its department's department-wide slots (those serve
    every municipality of the department, so the figure is what a person there may apply to,
    not a share reserved for the municipality). For a department: its department-wide slots
    plus the slots of all its municipalities. Nation-wide slots ("CO") are left out here (they
    count in the offer's total only), so the label can name the territory exactly.
    """
    kind = territory_kind(code)
    if kind == AreaScope.MUNICIPALITY:
        return Q(territory_code__in=[code, code[:2]])
    if kind == AreaScope.DEPARTMENT:
        # A slot code is a department (2 digits) or a municipality (5), so "starts with D"
        # is D itself and every municipality of D.
        return Q(territory_code__startswith=code)
    return Q(pk__in=[])


def _places_in(code: str) -> Subquery:
    totals = (
        Slot.objects.filter(service=OuterRef("pk"))
        .filter(_slot_codes_for(code))
        .values("service")
        .annotate(total=Sum("places"))
        .values("total")
    )
    return Subquery(totals, output_field=IntegerField())


def places_territory_label(*, department_code: str = "", municipality_code: str = "") -> str:
    """How the catalogue names the territory of ``places_in_territory``: "Uribia y La Guajira"
    for a municipality (its places and its department's), "La Guajira" for a department."""
    if municipality_code:
        found = (
            Municipality.objects.filter(code=municipality_code)
            .values_list("name", "department__name")
            .first()
        )
        if found is None:
            return municipality_code
        return _("%(municipality)s y %(department)s") % {
            "municipality": found[0],
            "department": found[1],
        }
    if department_code:
        return (
            Department.objects.filter(code=department_code).values_list("name", flat=True).first()
            or department_code
        )
    return ""


def _card_prefetch(qs: QuerySet[Service]) -> QuerySet[Service]:
    ordered_terms = TaxonomyTerm.objects.order_by("code")
    return qs.select_related("organization", "program").prefetch_related(
        Prefetch("ipm_indicators", queryset=ordered_terms),
        Prefetch("channels", queryset=ordered_terms),
        Prefetch("target_populations", queryset=ordered_terms),
    )


# --------------------------------------------------------------------------- search


def service_search(
    *,
    query: str = "",
    department_code: str = "",
    municipality_code: str = "",
    indicator_codes: Sequence[str] = (),
    organization_id: UUID | str | None = None,
    population_code: str = "",
    channel_code: str = "",
    status: str = "",
    level: str = "",
) -> QuerySet[Service]:
    """Offers matching every given filter, ordered by name, ready to render as cards.

    ``query`` matches every word (accent- and case-insensitive) in the name, alternate name,
    description, program or entity name. A municipality filter wins over a department
    filter. ``indicator_codes`` matches offers closing *any* of the deprivations. Each row is
    annotated with ``places_total`` (sum of its slots, None without slots) and, when a
    territory filter is set, ``places_in_territory`` (sum of the slots in that territory, see
    ``_slot_codes_for``; 0 when none are there), and has entity, program, indicators, channels
    and populations loaded. Places are summed over every period, as on the offer sheet.
    """
    qs = Service.objects.all()
    words = normalise(query).split()
    if words:
        qs = qs.annotate(search_text=_search_text())
        for word in words:
            qs = qs.filter(search_text__contains=word)
    if municipality_code:
        qs = qs.filter(_available_in(municipality_code))
    elif department_code:
        qs = qs.filter(_available_in(department_code))
    if indicator_codes:
        qs = qs.filter(_has_term("ipm_indicators", indicator_codes))
    if population_code:
        qs = qs.filter(_has_term("target_populations", [population_code]))
    if channel_code:
        qs = qs.filter(_has_term("channels", [channel_code]))
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(organization__level=level)
    qs = qs.annotate(places_total=_places_total())
    territory = municipality_code or department_code
    if territory:
        qs = qs.annotate(places_in_territory=Coalesce(_places_in(territory), 0))
    return _card_prefetch(qs).order_by("name", "id")


def service_sheet(*, service: Service) -> OfferSheet:
    """Everything the offer sheet (page, PDF, map) shows, in a fixed number of queries."""
    service = (
        Service.objects.select_related("organization", "program")
        .prefetch_related(
            Prefetch("ipm_indicators", queryset=TaxonomyTerm.objects.order_by("code")),
            Prefetch("target_populations", queryset=TaxonomyTerm.objects.order_by("code")),
            Prefetch("differential_approaches", queryset=TaxonomyTerm.objects.order_by("code")),
            Prefetch("channels", queryset=TaxonomyTerm.objects.order_by("code")),
            Prefetch("service_areas", queryset=ServiceArea.objects.order_by("divipola_code")),
            "slots",
            "enrolment_windows",
            "required_documents",
            "contacts__phones",
            "phones",
        )
        .get(pk=service.pk)
    )
    areas = list(service.service_areas.all())
    slots = list(service.slots.all())
    windows = list(service.enrolment_windows.all())
    codes = {a.divipola_code for a in areas} | {s.territory_code for s in slots}
    codes |= {w.territory_code for w in windows}
    codes |= {NATION_CODE for a in areas if a.scope == AreaScope.NATION}
    names = territory_names(codes)
    area_rows = [
        AreaRow(
            code=NATION_CODE if a.scope == AreaScope.NATION else a.divipola_code,
            scope=a.scope,
            scope_label=a.get_scope_display(),
            name=names.get(NATION_CODE if a.scope == AreaScope.NATION else a.divipola_code)
            or a.name
            or a.divipola_code,
        )
        for a in areas
    ]
    slot_rows = [
        SlotRow(
            code=s.territory_code,
            name=names.get(s.territory_code, s.territory_code),
            period_start=s.period_start,
            period_end=s.period_end,
            places=s.places,
            notes=s.notes,
        )
        for s in sorted(slots, key=lambda s: (s.territory_code, s.period_start))
    ]
    return OfferSheet(
        service=service,
        areas=area_rows,
        slots=slot_rows,
        places_total=sum(s.places for s in slots),
        windows=[(w, names.get(w.territory_code, w.territory_code)) for w in windows],
        map_codes=sorted({a.code for a in area_rows}),
    )


@dataclass(frozen=True)
class AreaRow:
    code: str
    scope: str
    scope_label: str
    name: str


@dataclass(frozen=True)
class SlotRow:
    code: str
    name: str
    period_start: date
    period_end: date
    places: int
    notes: str


@dataclass(frozen=True)
class OfferSheet:
    service: Service
    areas: list[AreaRow]
    slots: list[SlotRow]
    places_total: int
    windows: list[tuple[Any, str]]
    map_codes: list[str]


# --------------------------------------------------------------------------- history and news


def service_history(*, service: Service) -> QuerySet[FieldChange]:
    """The field-level change log of an offer, newest first."""
    return FieldChange.objects.filter(
        resource_type="service", resource_id=str(service.id)
    ).order_by("-last_action_date", "field_name")


# Spanish labels of the logged fields (FieldChange.field_name is the code name).
FIELD_LABELS: dict[str, Any] = {
    "name": _("Nombre"),
    "alternate_name": _("Nombre alterno"),
    "description": _("Descripción"),
    "url": _("Enlace"),
    "email": _("Correo"),
    "status": _("Estado"),
    "application_process": _("Cómo acceder"),
    "fees_description": _("Costos"),
    "eligibility_description": _("Requisitos"),
    "minimum_age": _("Edad mínima"),
    "maximum_age": _("Edad máxima"),
    "eligibility_rule": _("Regla de elegibilidad (CEL)"),
    "eligibility_scope": _("La regla se evalúa para"),
    "eligibility_rule_description": _("Descripción de la regla"),
    "legal_basis": _("Fundamento legal"),
    "alert": _("Alerta"),
    "organization": _("Entidad"),
    "program": _("Programa"),
    "ipm_indicators": _("Privaciones que atiende"),
    "target_populations": _("Población objetivo"),
    "differential_approaches": _("Enfoques diferenciales"),
    "channels": _("Canales de atención"),
    "service_areas": _("Dónde está disponible"),
    "slots": _("Cupos"),
    "enrolment_windows": _("Convocatorias"),
    "required_documents": _("Documentos requeridos"),
    "contact.name": _("Contacto: nombre"),
    "contact.title": _("Contacto: cargo"),
    "contact.department": _("Contacto: dependencia"),
    "contact.email": _("Contacto: correo"),
    "contact.phone": _("Contacto: teléfono"),
}
_CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "status": dict(ServiceStatus.choices),
    "eligibility_scope": dict(RuleScope.choices),
}


@dataclass(frozen=True)
class ChangeRow:
    """A FieldChange ready to show: Spanish field label, choice values as their labels."""

    change: FieldChange
    label: str
    before: str
    after: str


def change_rows(changes: Iterable[FieldChange]) -> list[ChangeRow]:
    rows = []
    for change in changes:
        choices = _CHOICE_LABELS.get(change.field_name, {})
        rows.append(
            ChangeRow(
                change=change,
                label=str(FIELD_LABELS.get(change.field_name, change.field_name)),
                before=str(choices.get(change.previous_value, change.previous_value)),
                after=str(choices.get(change.replacement_value, change.replacement_value)),
            )
        )
    return rows


@dataclass
class NewsItem:
    service: Service
    is_new: bool
    changed_at: datetime
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[str]:
        """Spanish labels of the fields changed in the period."""
        return sorted({str(FIELD_LABELS.get(c.field_name, c.field_name)) for c in self.changes})

    @property
    def change_rows(self) -> list[ChangeRow]:
        return change_rows(self.changes)


def territory_news(*, code: str, since: date | datetime) -> list[NewsItem]:
    """Offers available in territory ``code`` created or changed since ``since``, newest first,
    each with the field changes recorded in that period."""
    if isinstance(since, datetime):
        since_dt = since
    else:
        since_dt = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    changed_ids = FieldChange.objects.filter(
        resource_type="service", last_action_date__gte=since_dt
    ).values("resource_id")
    services = list(
        _card_prefetch(
            Service.objects.filter(_available_in(code)).filter(
                Q(created_at__gte=since_dt) | Q(id__in=_as_uuid_subquery(changed_ids))
            )
        ).order_by("name")
    )
    if not services:
        return []
    changes_by_id: dict[str, list[FieldChange]] = {}
    for change in FieldChange.objects.filter(
        resource_type="service",
        resource_id__in=[str(s.id) for s in services],
        last_action_date__gte=since_dt,
    ).order_by("-last_action_date", "field_name"):
        changes_by_id.setdefault(change.resource_id, []).append(change)
    items = []
    for service in services:
        changes = changes_by_id.get(str(service.id), [])
        is_new = service.created_at >= since_dt
        latest = max(
            [c.last_action_date for c in changes] + [service.created_at],
        )
        items.append(NewsItem(service=service, is_new=is_new, changed_at=latest, changes=changes))
    items.sort(key=lambda i: i.changed_at, reverse=True)
    return items


def _as_uuid_subquery(resource_ids: QuerySet[Any]) -> list[UUID]:
    # FieldChange.resource_id is text and Service.id a UUID (stored as hex without dashes
    # on SQLite), so compare in Python rather than across column types.
    out = []
    for rid in set(resource_ids.values_list("resource_id", flat=True)):
        try:
            out.append(UUID(rid))
        except ValueError:
            continue
    return out


def organizations_with_offers() -> QuerySet[Any]:
    """Entities that have at least one offer (for the catalogue's entity filter)."""
    from .models import Organization

    return Organization.objects.filter(Exists(Service.objects.filter(organization=OuterRef("pk"))))
