"""Writes of the insights app: the refresh of the municipal registry summaries and of the
need/supply/uptake rows per IPM indicator (definitions in docs/insights.md)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from oferta.accounts.audit import audit_event_record
from oferta.engine.eligibility.variables import IPM_INDICATORS
from oferta.households.models import Household, MonetaryStatus, Quadrant
from oferta.offers.models import ServiceStatus, Slot
from oferta.referrals.models import Referral, RoutingRun, RunStatus
from oferta.referrals.selectors import FUNNEL_MILESTONES
from oferta.referrals.states import ReferralState

from .models import MunicipalIndicatorGap, MunicipalRegistrySummary

NOT_COVERING_STATES: frozenset[str] = frozenset(
    {ReferralState.CANCELLED, ReferralState.REJECTED, ReferralState.FAILED}
)
"""A referral in one of these states does not meet the need it was made for (unmet need)."""


@dataclass(frozen=True)
class RefreshOutcome:
    municipalities: int
    summary_rows: int
    gap_rows: int
    seconds: float
    refreshed_at: datetime
    changed: bool = True

    def __str__(self) -> str:
        return (
            f"{self.municipalities} municipios, {self.gap_rows} filas de brechas "
            f"({self.seconds:.1f} s)"
        )


# --------------------------------------------------------------------------- helpers

_IGNORED_FIELDS = frozenset({"id", "refreshed_at"})


def _row_key(instance: Any) -> tuple[Any, ...]:
    return tuple(
        getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in _IGNORED_FIELDS
    )


def _same_rows(stored: Any, fresh: list[Any]) -> bool:
    """Whether the stored rows hold exactly the values of ``fresh`` (dates of refresh aside)."""
    if stored.count() != len(fresh):
        return False
    return sorted(map(_row_key, stored), key=repr) == sorted(map(_row_key, fresh), key=repr)


def _expand_codes(codes: Iterable[str] | None) -> list[str] | None:
    """Municipality codes; a 2-digit department code stands for the municipalities of that
    department that have households in the registry (or rows to remove)."""
    if codes is None:
        return None
    municipalities = {c for c in codes if len(c) == 5}
    departments = sorted({c for c in codes if len(c) == 2})
    if departments:
        municipalities |= set(
            Household.objects.filter(department_code__in=departments)
            .order_by()
            .values_list("municipality_code", flat=True)
            .distinct()
        )
        for model in (MunicipalRegistrySummary, MunicipalIndicatorGap):
            municipalities |= set(
                model.objects.filter(department_code__in=departments).values_list(
                    "municipality_code", flat=True
                )
            )
    return sorted(municipalities)


def _household_filter(codes: list[str] | None, prefix: str = "") -> Q:
    """Households of the municipalities (all when None) that are still in the registry: a
    household a later extract dropped but kept for its referrals is neither need nor uptake."""
    selected = Q() if codes is None else Q(**{f"{prefix}municipality_code__in": codes})
    return selected & Q(**{f"{prefix}in_registry": True})


def _registry_aggregates(codes: list[str] | None) -> list[dict[str, Any]]:
    """One GROUP BY over the households: totals and, per indicator, deprived households, deprived
    poor households, persons in deprived households and households where it is measured."""
    aggregates: dict[str, Any] = {
        "households": Count("pk"),
        "persons": Sum("size"),
        "households_poor": Count("pk", filter=Q(poor=True)),
        "persons_poor": Sum("size", filter=Q(poor=True)),
        "households_monetary_poor": Count(
            "pk",
            filter=Q(monetary_status__in=[MonetaryStatus.POOR, MonetaryStatus.EXTREME_POOR]),
        ),
        "households_extreme_poor": Count(
            "pk", filter=Q(monetary_status=MonetaryStatus.EXTREME_POOR)
        ),
        "households_double_condition": Count("pk", filter=Q(quadrant=Quadrant.BOTH)),
        "registry_as_of": Max("as_of"),
    }
    for code in IPM_INDICATORS:
        flag = f"deprived_{code}"
        aggregates[f"{code}__measured"] = Count("pk", filter=Q(**{f"{flag}__isnull": False}))
        aggregates[f"{code}__deprived"] = Count("pk", filter=Q(**{flag: True}))
        aggregates[f"{code}__deprived_poor"] = Count("pk", filter=Q(**{flag: True, "poor": True}))
        aggregates[f"{code}__persons"] = Sum("size", filter=Q(**{flag: True}))
    return list(
        Household.objects.filter(_household_filter(codes))
        .order_by()
        .values("municipality_code", "department_code")
        .annotate(**aggregates)
    )


def active_slots(*, on: date) -> Any:
    """Slots of active offers whose period covers ``on`` (the supply counted as available)."""
    return Slot.objects.filter(
        service__status=ServiceStatus.ACTIVE, period_start__lte=on, period_end__gte=on
    )


def supply_by_territory(*, on: date) -> dict[tuple[str, str], tuple[set[str], int]]:
    """(slot territory code, indicator) -> (offer ids, places) of the active slots on ``on``.

    The catalogue is small (thousands of slots), so this is read whole; an offer closing
    several indicators counts its places for each of them.
    """
    result: dict[tuple[str, str], tuple[set[str], int]] = {}
    rows = (
        active_slots(on=on)
        .filter(service__ipm_indicators__code__in=IPM_INDICATORS)
        .values_list("territory_code", "service__ipm_indicators__code", "service_id", "places")
    )
    for territory, indicator, service_id, places in rows:
        offers, total = result.get((territory, indicator), (set(), 0))
        offers.add(str(service_id))
        result[(territory, indicator)] = (offers, total + places)
    return result


def _uptake(codes: list[str] | None) -> dict[tuple[str, str], dict[str, int]]:
    """(municipality, indicator) -> distinct deprived households with a referral to an offer
    closing the indicator that reached each milestone."""
    milestones = FUNNEL_MILESTONES
    aggregates = {}
    for code in IPM_INDICATORS:
        closes = Q(offer__ipm_indicators__code=code, **{f"household__deprived_{code}": True})
        for stage, reached in milestones.items():
            aggregates[f"{code}__{stage}"] = Count(
                "household_id", distinct=True, filter=closes & reached
            )
    rows = (
        Referral.objects.filter(_household_filter(codes, "household__"))
        .filter(approved_at__isnull=False)
        .order_by()
        .values("household__municipality_code")
        .annotate(**aggregates)
    )
    result: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        municipality = row["household__municipality_code"]
        for code in IPM_INDICATORS:
            result[(municipality, code)] = {s: row[f"{code}__{s}"] or 0 for s in milestones}
    return result


def latest_runs(municipality_codes: Iterable[str]) -> dict[str, RoutingRun]:
    """The latest succeeded routing run whose scope covers each municipality (by its own code
    or its department's)."""
    runs = list(
        RoutingRun.objects.filter(status=RunStatus.SUCCEEDED).order_by(
            "-finished_at", "-created_at", "-id"
        )
    )
    result: dict[str, RoutingRun] = {}
    for municipality in municipality_codes:
        for run in runs:
            scope = {str(c) for c in run.scope or []}
            if municipality in scope or municipality[:2] in scope:
                result[municipality] = run
                break
    return result


def _covered(runs: dict[str, RoutingRun]) -> dict[tuple[str, str], int]:
    """(municipality, indicator) -> deprived poor households of the municipality with a referral
    of its latest run, not cancelled, rejected or failed, to an offer closing the indicator."""
    by_run: dict[int, list[str]] = defaultdict(list)
    for municipality, run in runs.items():
        by_run[run.pk].append(municipality)
    if not by_run:
        return {}
    scope = Q()
    for run_id, municipalities in by_run.items():
        scope |= Q(routing_run_id=run_id, household__municipality_code__in=municipalities)
    aggregates = {
        code: Count(
            "household_id",
            distinct=True,
            filter=Q(offer__ipm_indicators__code=code, **{f"household__deprived_{code}": True}),
        )
        for code in IPM_INDICATORS
    }
    rows = (
        Referral.objects.filter(scope, _household_filter(None, "household__"), household__poor=True)
        .exclude(state__in=NOT_COVERING_STATES)
        .order_by()
        .values("household__municipality_code")
        .annotate(**aggregates)
    )
    return {
        (row["household__municipality_code"], code): row[code] or 0
        for row in rows
        for code in IPM_INDICATORS
    }


# --------------------------------------------------------------------------- the refresh


def insights_refresh(
    *, municipality_codes: list[str] | None = None, actor: Any | None = None
) -> RefreshOutcome:
    """Recompute the registry summaries and the need/supply/uptake rows of the given
    municipalities (every municipality when None; a 2-digit code stands for its department's).

    Set-based: one GROUP BY over the households, one over the referrals, one over the active
    slots, then delete and bulk-create the rows in one transaction with one audit event.
    """
    started = time.perf_counter()
    codes = _expand_codes(municipality_codes)
    now = timezone.now()
    today = timezone.localdate()
    registry = _registry_aggregates(codes)
    supply = supply_by_territory(on=today)
    uptake = _uptake(codes)
    runs = latest_runs(row["municipality_code"] for row in registry)
    covered = _covered(runs)

    summaries: list[MunicipalRegistrySummary] = []
    gaps: list[MunicipalIndicatorGap] = []
    empty: tuple[set[str], int] = (set(), 0)
    for row in registry:
        municipality = row["municipality_code"]
        department = row["department_code"]
        summaries.append(
            MunicipalRegistrySummary(
                municipality_code=municipality,
                department_code=department,
                households=row["households"],
                persons=row["persons"] or 0,
                households_poor=row["households_poor"],
                persons_poor=row["persons_poor"] or 0,
                households_monetary_poor=row["households_monetary_poor"],
                households_extreme_poor=row["households_extreme_poor"],
                households_double_condition=row["households_double_condition"],
                registry_as_of=row["registry_as_of"],
                refreshed_at=now,
            )
        )
        run = runs.get(municipality)
        for code in IPM_INDICATORS:
            local_offers, local_places = supply.get((municipality, code), empty)
            pool_offers, pool_places = supply.get((department, code), empty)
            if not row[f"{code}__measured"] and not local_places and not pool_places:
                continue  # the indicator is not part of this registry's method, and no offer
            deprived_poor = row[f"{code}__deprived_poor"]
            stages = uptake.get((municipality, code), {})
            gaps.append(
                MunicipalIndicatorGap(
                    municipality_code=municipality,
                    department_code=department,
                    indicator=code,
                    households_deprived=row[f"{code}__deprived"],
                    households_deprived_poor=deprived_poor,
                    persons_deprived=row[f"{code}__persons"] or 0,
                    offers=len(local_offers | pool_offers),
                    places_municipal=local_places,
                    places_department=pool_places,
                    referred=stages.get("referred", 0),
                    accepted=stages.get("accepted", 0),
                    enrolled=stages.get("enrolled", 0),
                    served=stages.get("served", 0),
                    unmet_need=(
                        None
                        if run is None
                        else max(deprived_poor - covered.get((municipality, code), 0), 0)
                    ),
                    routing_run_uuid=run.uuid if run else None,
                    refreshed_at=now,
                )
            )

    with transaction.atomic():
        stored = {
            model: model.objects.all()
            if codes is None
            else model.objects.filter(municipality_code__in=codes)
            for model in (MunicipalRegistrySummary, MunicipalIndicatorGap)
        }
        # Nothing changed (a re-run of the demo, a refresh after a no-op): no write, no audit
        # event, and the figures keep the date they were last different.
        changed = not (
            _same_rows(stored[MunicipalRegistrySummary], summaries)
            and _same_rows(stored[MunicipalIndicatorGap], gaps)
        )
        if changed:
            for stale in stored.values():
                stale.delete()
            MunicipalRegistrySummary.objects.bulk_create(summaries, batch_size=2000)
            MunicipalIndicatorGap.objects.bulk_create(gaps, batch_size=2000)
            seconds = time.perf_counter() - started
            audit_event_record(
                actor=actor,
                action="insights.refreshed",
                object_type="insights",
                # The nation, or the first municipality of the list (the whole list is in after).
                object_id="CO" if codes is None else (codes[0] if codes else "-"),
                after={
                    "municipality_codes": codes,
                    "municipalities": len(summaries),
                    "gap_rows": len(gaps),
                    "seconds": round(seconds, 2),
                },
                message="Actualización de la lectura territorial",
            )
    return RefreshOutcome(
        municipalities=len(summaries),
        summary_rows=len(summaries),
        gap_rows=len(gaps),
        seconds=time.perf_counter() - started,
        refreshed_at=now,
        changed=changed,
    )
