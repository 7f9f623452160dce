"""Reads on referrals: filtered lists, overdue alerts, timelines and the linkage funnel.

Every selector starts from :func:`oferta.referrals.access.referrals_visible_to`, so a list or a
count never includes a referral the user may not see (partners: never ``proposed`` ones).
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from oferta.households.access import households_visible_to
from oferta.households.models import Household
from oferta.offers.models import Organization, Service
from oferta.territories.models import Department, Municipality

from .access import as_uuid, referrals_visible_to
from .models import Referral, ReferralEvent, RoutingRun
from .states import CLOSED_STATES, ReferralState


def _filter(
    queryset: QuerySet[Referral],
    *,
    run: RoutingRun | None = None,
    state: str | None = None,
    municipality_code: str | None = None,
    offer_id: Any = None,
    organization_id: Any = None,
    overdue: bool = False,
) -> QuerySet[Referral]:
    if run is not None:
        queryset = queryset.filter(routing_run=run)
    if state:
        queryset = queryset.filter(state=state)
    if municipality_code:
        queryset = queryset.filter(household__municipality_code=municipality_code)
    if offer_id:
        queryset = queryset.filter(offer_id=as_uuid(offer_id))
    if organization_id:
        queryset = queryset.filter(offer__organization_id=as_uuid(organization_id))
    if overdue:
        queryset = queryset.filter(due_at__lt=timezone.now()).exclude(state__in=CLOSED_STATES)
    return queryset


def referrals_search(
    *,
    user: Any,
    run: RoutingRun | None = None,
    state: str | None = None,
    municipality_code: str | None = None,
    offer_id: Any = None,
    organization_id: Any = None,
    overdue: bool = False,
) -> QuerySet[Referral]:
    """The referrals ``user`` may see that match the filters, oldest due first."""
    queryset = _filter(
        referrals_visible_to(user=user),
        run=run,
        state=state,
        municipality_code=municipality_code,
        offer_id=offer_id,
        organization_id=organization_id,
        overdue=overdue,
    )
    return queryset.select_related(
        "household", "person", "offer", "offer__organization", "routing_run"
    ).order_by("due_at", "-created_at", "pk")


def referrals_proposed_matching(
    *,
    user: Any,
    run: RoutingRun,
    municipality_code: str | None = None,
    offer_id: Any = None,
    organization_id: Any = None,
) -> QuerySet[Referral]:
    """The proposed referrals of ``run`` in the user's scope matching the bulk-action filters."""
    return _filter(
        referrals_visible_to(user=user),
        run=run,
        municipality_code=municipality_code,
        offer_id=offer_id,
        organization_id=organization_id,
    ).filter(state=ReferralState.PROPOSED)


def referrals_overdue(*, user: Any) -> QuerySet[Referral]:
    """Referrals whose due date has passed and that are not closed."""
    return (
        referrals_visible_to(user=user)
        .filter(due_at__lt=timezone.now())
        .exclude(state__in=CLOSED_STATES)
        .select_related("household", "offer", "offer__organization")
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class ReviewSummary:
    total: int
    by_state: dict[str, int]
    proposed_with_consent: int
    proposed_without_consent: int
    overdue: int


def referral_review_summary(queryset: QuerySet[Referral]) -> ReviewSummary:
    """Counts for the review page's header and bulk-action buttons (one query)."""
    proposed = Q(state=ReferralState.PROPOSED)
    counts = queryset.order_by().aggregate(
        total=Count("pk"),
        with_consent=Count("pk", filter=proposed & Q(consent_recorded_at__isnull=False)),
        without_consent=Count("pk", filter=proposed & Q(consent_recorded_at__isnull=True)),
        overdue=Count("pk", filter=Q(due_at__lt=timezone.now()) & ~Q(state__in=CLOSED_STATES)),
    )
    by_state = dict(
        queryset.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return ReviewSummary(
        total=counts["total"],
        by_state=by_state,
        proposed_with_consent=counts["with_consent"],
        proposed_without_consent=counts["without_consent"],
        overdue=counts["overdue"],
    )


def referral_timeline(*, referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.order_by("occurred_at", "pk"))


def referral_is_overdue(referral: Referral) -> bool:
    return bool(
        referral.due_at and referral.due_at < timezone.now() and referral.state not in CLOSED_STATES
    )


# --------------------------------------------------------------------------- linkage funnel

FunnelBy = Literal["offer", "organization", "department", "municipality"]

_GROUP_FIELDS: dict[str, str] = {
    "offer": "offer_id",
    "organization": "offer__organization_id",
    "department": "household__department_code",
    "municipality": "household__municipality_code",
}


@dataclass
class FunnelRow:
    """One group of the linkage funnel. Each stage counts the referrals that reached it, even
    if they later moved on (an enrolled referral was also accepted and referred)."""

    key: str
    label: str
    identified: int = 0  # proposed by routing (every referral)
    referred: int = 0  # sent to the entity (approved: requested or later)
    accepted: int = 0
    enrolled: int = 0  # effective linkage
    served: int = 0
    median_days_to_enrolment: float | None = None  # from sending to enrolment
    rejection_reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class LinkageFunnel:
    by: str
    rows: list[FunnelRow]
    total: FunnelRow


def _labels(by: str, keys: set[str]) -> dict[str, str]:
    if by == "offer":
        rows = Service.objects.filter(pk__in=keys).values_list("pk", "name")
    elif by == "organization":
        rows = Organization.objects.filter(pk__in=keys).values_list("pk", "name")
    elif by == "department":
        rows = Department.objects.filter(code__in=keys).values_list("code", "name")
    else:
        rows = Municipality.objects.filter(code__in=keys).values_list("code", "name")
    return {str(key): name for key, name in rows}


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def territory_filter(code: str | None, *, prefix: str = "household__") -> Q:
    """Referrals (or households, with ``prefix=""``) of a DIVIPOLA department (2 digits) or
    municipality (5 digits); ``Q()`` when no code is given."""
    if not code:
        return Q()
    if len(code) == 2:
        return Q(**{f"{prefix}department_code": code})
    if len(code) == 5:
        return Q(**{f"{prefix}municipality_code": code})
    raise ValueError(f"not a DIVIPOLA department or municipality code: {code!r}")


FUNNEL_MILESTONES: dict[str, Q] = {
    "referred": Q(approved_at__isnull=False),
    "accepted": Q(accepted_at__isnull=False),
    "enrolled": Q(enrolled_on__isnull=False),
    "served": Q(served_on__isnull=False),
}
"""The referrals that reached each stage after "identified" (every referral): milestones are
timestamps, so a referral counts in every stage it passed even after a later state."""


def funnel_stage_counts() -> dict[str, Count]:
    """Aggregates ``identified`` … ``served`` for ``annotate``/``aggregate`` over referrals."""
    return {
        "identified": Count("pk"),
        **{stage: Count("pk", filter=reached) for stage, reached in FUNNEL_MILESTONES.items()},
    }


def linkage_funnel(
    *,
    user: Any,
    by: FunnelBy,
    run: RoutingRun | None = None,
    territory_code: str | None = None,
) -> LinkageFunnel:
    """identified → referred → accepted → enrolled → served, grouped ``by`` offer, entity,
    department or municipality of the household, over the referrals ``user`` may see (of
    ``run`` and of the households of ``territory_code`` — a DIVIPOLA department or
    municipality — if given), with median days from sending to enrolment and rejection
    reasons. The territory narrows the user's scope, never widens it."""
    if by not in _GROUP_FIELDS:
        raise ValueError(f"unknown funnel grouping: {by}")
    group = _GROUP_FIELDS[by]
    queryset = referrals_visible_to(user=user).filter(territory_filter(territory_code))
    if run is not None:
        queryset = queryset.filter(routing_run=run)
    queryset = queryset.order_by()
    counts = queryset.values(group).annotate(**funnel_stage_counts())
    rows: dict[str, FunnelRow] = {}
    total = FunnelRow(key="", label="Total")
    for item in counts:
        key = "" if item[group] is None else str(item[group])
        row = rows.setdefault(key, FunnelRow(key=key, label=""))
        for stage in ("identified", "referred", "accepted", "enrolled", "served"):
            setattr(row, stage, getattr(row, stage) + item[stage])
            setattr(total, stage, getattr(total, stage) + item[stage])
    reasons = (
        queryset.filter(state=ReferralState.REJECTED)
        .values(group, "closure_reason")
        .annotate(n=Count("pk"))
    )
    for item in reasons:
        key = "" if item[group] is None else str(item[group])
        reason = item["closure_reason"] or "other"
        for target in (rows[key], total):
            target.rejection_reasons[reason] = target.rejection_reasons.get(reason, 0) + item["n"]
    durations: dict[str, list[int]] = defaultdict(list)
    enrolled = queryset.filter(enrolled_on__isnull=False, approved_at__isnull=False)
    for key, enrolled_on, approved_at in enrolled.values_list(group, "enrolled_on", "approved_at"):
        durations["" if key is None else str(key)].append(
            (enrolled_on - timezone.localdate(approved_at)).days
        )
    for key, values in durations.items():
        rows[key].median_days_to_enrolment = _median(values)
    total.median_days_to_enrolment = _median([d for v in durations.values() for d in v])
    labels = _labels(by, set(rows) - {""})
    for key, row in rows.items():
        row.label = labels.get(key, key or "—")
    ordered = sorted(rows.values(), key=lambda r: (r.label, r.key))
    return LinkageFunnel(by=by, rows=ordered, total=total)


# ----------------------------------------------------------------------- routing run × household


def run_scope_filter(run: RoutingRun, *, prefix: str = "") -> Q:
    """Households (behind ``prefix``) inside the territories of ``run``; none if it has none."""
    codes = [str(c) for c in run.scope or []]
    departments = [c for c in codes if len(c) == 2]
    municipalities = [c for c in codes if len(c) == 5]
    if not departments and not municipalities:
        return Q(pk__in=[])
    return Q(**{f"{prefix}department_code__in": departments}) | Q(
        **{f"{prefix}municipality_code__in": municipalities}
    )


RUN_HOUSEHOLD_SEARCH_LIMIT = 20


def routing_run_households_find(*, user: Any, run: RoutingRun, query: str) -> list[Household]:
    """Households of ``run``'s territories that ``user`` may read whose registry id is
    ``query`` or with a member whose document number is ``query`` (exact; spaces, dots and
    dashes ignored). Search-first: an empty query finds nothing."""
    query = (query or "").strip()
    compact = re.sub(r"[\s.\-]", "", query)
    if not compact:
        # "-" or "..." would otherwise match every member registered without a document.
        return []
    values = {query, compact}
    households = households_visible_to(user=user).filter(run_scope_filter(run))
    matching = households.filter(
        Q(registry_id__in=values) | Q(members__document_number__in=values)
    ).distinct()
    return list(matching.order_by("registry_id", "pk")[:RUN_HOUSEHOLD_SEARCH_LIMIT])
