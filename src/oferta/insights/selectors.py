"""Reads of the territorial profile and the coverage gaps (public API for pages and reports).

Registry-derived figures come from the rows :func:`oferta.insights.services.insights_refresh`
stores per municipality; a department or the nation is the sum of its municipalities (the
department pools counted once per department). The offer available and the referral funnel
are read live. Definitions: docs/insights.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oferta.core.errors import ObjectNotFound
from oferta.engine.eligibility.variables import IPM_INDICATORS
from oferta.offers.models import EntityLevel
from oferta.referrals.access import referrals_visible_to
from oferta.referrals.selectors import FunnelRow, funnel_stage_counts
from oferta.territories.models import Municipality, TerritoryLevel
from oferta.territories.selectors import (
    DEPRIVATION_LABELS,
    Territory,
    TerritoryFigures,
    figures_for_territory,
    territory_get,
)

from .access import NATION_CODE, user_can_read_territory_registry
from .models import MunicipalIndicatorGap, MunicipalRegistrySummary
from .services import active_slots

GAP_STEPS: tuple[tuple[str, Any], ...] = (
    ("availability", gettext_lazy("Disponibilidad")),
    ("access", gettext_lazy("Acceso")),
    ("contact", gettext_lazy("Contacto")),
    ("effectiveness", gettext_lazy("Efectividad")),
)
"""The bottleneck steps, in funnel order (definitions in docs/insights.md)."""


def indicator_label(code: str) -> str:
    """Spanish label of an IPM indicator code (the territories app's table)."""
    label = DEPRIVATION_LABELS.get(code)
    return str(label) if label is not None else code


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class RegistrySummary:
    """Registry totals of a territory (sum of its municipalities)."""

    municipalities: int
    households: int
    persons: int
    households_poor: int
    persons_poor: int
    households_monetary_poor: int
    households_extreme_poor: int
    households_double_condition: int
    registry_as_of: date | None
    refreshed_at: datetime | None

    @property
    def households_poor_percent(self) -> Decimal | None:
        return _percent(self.households_poor, self.households)

    @property
    def persons_poor_percent(self) -> Decimal | None:
        return _percent(self.persons_poor, self.persons)


@dataclass(frozen=True)
class NeedRow:
    """Households (and persons) of the registry deprived in one indicator."""

    indicator: str
    label: str
    households_deprived: int
    households_deprived_poor: int
    persons_deprived: int
    percent_of_households: Decimal | None


@dataclass(frozen=True)
class OfferIndicatorRow:
    indicator: str
    label: str
    offers: int
    places: int


@dataclass(frozen=True)
class OfferEntityRow:
    organization_id: str
    name: str
    level: str
    offers: int
    places: int
    indicators: list[str] = field(default_factory=list)  # labels


@dataclass
class TerritoryProfile:
    """Everything the territorial profile shows. ``registry_visible`` is False when the user's
    scope does not cover the territory: then the registry, needs and funnel are empty and only
    public figures (census, DANE, catalogue) are filled."""

    territory: Territory
    figures: TerritoryFigures
    registry_visible: bool
    registry: RegistrySummary | None
    needs: list[NeedRow]
    offer_by_indicator: list[OfferIndicatorRow]
    offer_by_entity: list[OfferEntityRow]
    offers_total: int
    places_total: int
    funnel: FunnelRow | None
    offer_as_of: date


@dataclass
class GapRow:
    """Need, supply, uptake and the gap at each step for one indicator of a territory."""

    indicator: str
    label: str
    need: int  # households deprived in the indicator
    need_poor: int  # of them, multidimensionally poor
    persons: int
    offers: int
    places_municipal: int
    places_department: int
    referred: int
    accepted: int
    enrolled: int
    served: int
    unmet_need: int | None
    availability: int = 0
    access: int = 0
    contact: int = 0
    effectiveness: int = 0

    @property
    def supply(self) -> int:
        return self.places_municipal + self.places_department

    @property
    def largest_gap(self) -> int:
        return max(self.availability, self.access, self.contact, self.effectiveness)

    @property
    def bottleneck(self) -> str:
        """The step with the largest gap ("" when every gap is zero); ties go to the earlier
        step of the funnel."""
        if not self.largest_gap:
            return ""
        return next(key for key, _label in GAP_STEPS if getattr(self, key) == self.largest_gap)

    @property
    def bottleneck_label(self) -> str:
        labels = dict(GAP_STEPS)
        return str(labels[self.bottleneck]) if self.bottleneck else ""

    @property
    def coverage_percent(self) -> Decimal | None:
        """Served households as a share of the need."""
        return _percent(self.served, self.need)

    def compute_gaps(self) -> GapRow:
        usable = min(self.need, self.supply)
        self.availability = max(self.need - self.supply, 0)
        self.access = max(usable - self.referred, 0)
        self.contact = max(self.referred - self.accepted, 0)
        self.effectiveness = max(self.accepted - self.served, 0)
        return self


@dataclass(frozen=True)
class MissingOfferRow:
    """A municipality × indicator with need and no (or the least) supply."""

    municipality_code: str
    municipality_name: str
    department_code: str
    indicator: str
    label: str
    need: int
    need_poor: int
    supply: int
    offers: int

    @property
    def uncovered(self) -> int:
        return max(self.need - self.supply, 0)


# --------------------------------------------------------------------------- helpers


def _rows_of(code: str):
    """Stored gap (or summary) filter for a territory: municipality, department or nation."""
    if code == NATION_CODE:
        return Q()
    if len(code) == 2:
        return Q(department_code=code)
    return Q(municipality_code=code)


def _territory(code: str) -> Territory:
    return territory_get(code=(code or "").strip().upper())


def _slot_filter(territory: Territory) -> Q:
    """Slots available in a territory: a municipality's own and its department's pool; a
    department's pool and its municipalities'; every slot for the nation."""
    if territory.level == TerritoryLevel.MUNICIPALITY:
        return Q(territory_code__in=[territory.code, territory.department_code])
    if territory.level == TerritoryLevel.DEPARTMENT:
        return Q(territory_code__startswith=territory.code)
    return Q()


def registry_summary(*, code: str) -> RegistrySummary | None:
    """Registry totals of a territory, None when no registry is loaded there (no scope check:
    callers check :func:`user_can_read_territory_registry`)."""
    counts = ("households", "persons", "households_poor", "persons_poor")
    counts += (
        "households_monetary_poor",
        "households_extreme_poor",
        "households_double_condition",
    )
    totals = MunicipalRegistrySummary.objects.filter(_rows_of(code)).aggregate(
        municipalities=Count("pk"),
        registry_as_of=Max("registry_as_of"),
        refreshed_at=Min("refreshed_at"),
        **{name: Sum(name) for name in counts},
    )
    if not totals["municipalities"]:
        return None
    return RegistrySummary(
        municipalities=totals["municipalities"],
        registry_as_of=totals["registry_as_of"],
        refreshed_at=totals["refreshed_at"],
        **{name: totals[name] or 0 for name in counts},
    )


def _gap_rows(code: str) -> list[GapRow]:
    """Stored rows summed over the territory, one per indicator, in IPM order (no ranking)."""
    per_department = (
        MunicipalIndicatorGap.objects.filter(_rows_of(code))
        .order_by()
        .values("department_code", "indicator")
        .annotate(
            need=Sum("households_deprived"),
            need_poor=Sum("households_deprived_poor"),
            persons=Sum("persons_deprived"),
            offers=Max("offers"),
            places_municipal=Sum("places_municipal"),
            # The department pool is the same figure on every municipality of the department.
            places_department=Max("places_department"),
            referred=Sum("referred"),
            accepted=Sum("accepted"),
            enrolled=Sum("enrolled"),
            served=Sum("served"),
            unmet_need=Sum("unmet_need"),
        )
    )
    sums: dict[str, dict[str, Any]] = {}
    for item in per_department:
        row = sums.setdefault(item["indicator"], defaultdict(int, unmet_need=None))
        for key in (
            "need",
            "need_poor",
            "persons",
            "places_municipal",
            "places_department",
            "referred",
            "accepted",
            "enrolled",
            "served",
        ):
            row[key] += item[key] or 0
        if item["unmet_need"] is not None:
            row["unmet_need"] = (row["unmet_need"] or 0) + item["unmet_need"]
        row["offers"] = max(row["offers"], item["offers"] or 0)
    if len(code) != 5:
        live = _offers_per_indicator(_territory(code))
        for indicator, row in sums.items():
            row["offers"] = live.get(indicator, (0, 0))[0]
    return [
        GapRow(indicator=code_, label=indicator_label(code_), **sums[code_]).compute_gaps()
        for code_ in IPM_INDICATORS
        if code_ in sums
    ]


def _offers_per_indicator(territory: Territory) -> dict[str, tuple[int, int]]:
    """indicator -> (active offers, places) available in the territory today (live)."""
    offers: dict[str, set[str]] = defaultdict(set)
    places: dict[str, int] = defaultdict(int)
    rows = (
        active_slots(on=timezone.localdate())
        .filter(_slot_filter(territory), service__ipm_indicators__code__in=IPM_INDICATORS)
        .values_list("service__ipm_indicators__code", "service_id", "places")
    )
    for indicator, service_id, n in rows:
        offers[indicator].add(str(service_id))
        places[indicator] += n
    return {k: (len(offers[k]), places[k]) for k in offers}


def funnel_totals(*, code: str, user: Any) -> FunnelRow:
    """identified → referred → accepted → enrolled → served of the referrals of a territory that
    ``user`` may see (stage definitions of :func:`oferta.referrals.selectors.linkage_funnel`),
    in one query.

    The territory is matched on the referral's own ``territory_code`` (the household's
    municipality when it was proposed), not through the households table: at 1 M households the
    join to fetch their municipality cost ~0.3 s per page, the referral column a scan of the
    referrals only. Medians and rejection reasons stay on the follow-up dashboard.
    """
    queryset = referrals_visible_to(user=user)
    if code != NATION_CODE:
        queryset = queryset.filter(territory_code__startswith=code)
    counts = queryset.order_by().aggregate(**funnel_stage_counts())
    return FunnelRow(key=code, label=_("Total"), **counts)


def _check_registry_access(*, code: str, user: Any) -> Territory:
    territory = _territory(code)
    if not user_can_read_territory_registry(user=user, code=territory.code):
        raise ObjectNotFound(
            _("El territorio no existe o no tiene acceso a las cifras de su registro.")
        )
    return territory


# --------------------------------------------------------------------------- public API


def territory_profile(*, code: str, user: Any) -> TerritoryProfile:
    """The territorial profile of a municipality, department or the nation ("CO").

    Census and DANE figures and the offer available are public; the registry summary, the
    needs per indicator and the referral funnel only when ``user``'s scope covers the whole
    territory (see :mod:`oferta.insights.access`). ObjectNotFound for an unknown code.
    """
    figures = figures_for_territory(code=(code or "").strip().upper())
    territory = figures.territory
    visible = user_can_read_territory_registry(user=user, code=territory.code)
    registry = registry_summary(code=territory.code) if visible else None
    needs: list[NeedRow] = []
    funnel: FunnelRow | None = None
    if visible:
        for row in _gap_rows(territory.code):
            needs.append(
                NeedRow(
                    indicator=row.indicator,
                    label=row.label,
                    households_deprived=row.need,
                    households_deprived_poor=row.need_poor,
                    persons_deprived=row.persons,
                    percent_of_households=_percent(row.need, registry.households)
                    if registry
                    else None,
                )
            )
        funnel = funnel_totals(code=territory.code, user=user)

    by_indicator = _offers_per_indicator(territory)
    offer_by_indicator = [
        OfferIndicatorRow(code_, indicator_label(code_), *by_indicator[code_])
        for code_ in IPM_INDICATORS
        if code_ in by_indicator
    ]
    entities: dict[str, dict[str, Any]] = {}
    offer_ids: set[str] = set()
    places_total = 0
    slot_rows = (
        active_slots(on=timezone.localdate())
        .filter(_slot_filter(territory))
        .values_list(
            "pk",
            "service_id",
            "places",
            "service__organization_id",
            "service__organization__name",
            "service__organization__level",
        )
    )
    indicator_rows = (
        active_slots(on=timezone.localdate())
        .filter(_slot_filter(territory), service__ipm_indicators__code__in=IPM_INDICATORS)
        .values_list("service__organization_id", "service__ipm_indicators__code")
        .distinct()
    )
    indicators_of: dict[str, set[str]] = defaultdict(set)
    for org_id, indicator in indicator_rows:
        indicators_of[str(org_id)].add(indicator)
    levels = dict(EntityLevel.choices)
    for _pk, service_id, n, org_id, org_name, org_level in slot_rows:
        key = str(org_id or "")
        entity = entities.setdefault(
            key,
            {
                "name": org_name or "—",
                "level": str(levels.get(org_level, "")),
                "offers": set(),
                "places": 0,
            },
        )
        entity["offers"].add(str(service_id))
        entity["places"] += n
        offer_ids.add(str(service_id))
        places_total += n
    offer_by_entity = sorted(
        (
            OfferEntityRow(
                organization_id=key,
                name=e["name"],
                level=e["level"],
                offers=len(e["offers"]),
                places=e["places"],
                indicators=[indicator_label(c) for c in IPM_INDICATORS if c in indicators_of[key]],
            )
            for key, e in entities.items()
        ),
        key=lambda r: (-r.places, r.name),
    )
    return TerritoryProfile(
        territory=territory,
        figures=figures,
        registry_visible=visible,
        registry=registry,
        needs=needs,
        offer_by_indicator=offer_by_indicator,
        offer_by_entity=offer_by_entity,
        offers_total=len(offer_ids),
        places_total=places_total,
        funnel=funnel,
        offer_as_of=timezone.localdate(),
    )


def coverage_gaps(*, code: str, user: Any) -> list[GapRow]:
    """Per IPM indicator of a municipality (summed for a department or the nation): need,
    supply, uptake, unmet need and the gap at each step, ranked by the largest gap (then by
    need). Empty when no registry is loaded there. ObjectNotFound when the territory does not
    exist or ``user``'s scope does not cover it."""
    territory = _check_registry_access(code=code, user=user)
    rows = _gap_rows(territory.code)
    return sorted(rows, key=lambda r: (-r.largest_gap, -r.need, IPM_INDICATORS.index(r.indicator)))


def gaps_refreshed_at(*, code: str) -> datetime | None:
    """When the stored rows of a territory were last refreshed (the oldest, if several)."""
    return (
        MunicipalIndicatorGap.objects.filter(_rows_of(code))
        .aggregate(at=Min("refreshed_at"))
        .get("at")
    )


def missing_offer_ranking(*, code: str, user: Any, limit: int = 20) -> list[MissingOfferRow]:
    """Where offer is missing for which deprivation: the municipality × indicator pairs of the
    territory with need, those without any place first, then by uncovered need (need − places)
    and need. ObjectNotFound as :func:`coverage_gaps`."""
    territory = _check_registry_access(code=code, user=user)
    rows = list(
        MunicipalIndicatorGap.objects.filter(
            _rows_of(territory.code), households_deprived__gt=0
        ).values(
            "municipality_code",
            "department_code",
            "indicator",
            "households_deprived",
            "households_deprived_poor",
            "places_municipal",
            "places_department",
            "offers",
        )
    )
    rows.sort(
        key=lambda r: (
            (r["places_municipal"] + r["places_department"]) > 0,
            -(r["households_deprived"] - r["places_municipal"] - r["places_department"]),
            -r["households_deprived"],
            r["municipality_code"],
            r["indicator"],
        )
    )
    rows = rows[: max(limit, 0)]
    names = dict(
        Municipality.objects.filter(code__in={r["municipality_code"] for r in rows}).values_list(
            "code", "name"
        )
    )
    return [
        MissingOfferRow(
            municipality_code=r["municipality_code"],
            municipality_name=names.get(r["municipality_code"], r["municipality_code"]),
            department_code=r["department_code"],
            indicator=r["indicator"],
            label=indicator_label(r["indicator"]),
            need=r["households_deprived"],
            need_poor=r["households_deprived_poor"],
            supply=r["places_municipal"] + r["places_department"],
            offers=r["offers"],
        )
        for r in rows
    ]
