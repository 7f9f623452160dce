"""Why a household of a routing run did not get each other offer ("¿por qué no esta oferta?").

A run stores its figures, parameters (K, the priority policy) and one proposed referral per
assignment, not the eligibility pairs nor the allocation instance (at 12 M households they do
not belong in the database). The explanation is therefore **recomputed for one household**:

1. the offers of the run: active offers with places in the run's territories (the same
   selection as the run), their rules compiled as the run compiled them;
2. the household's eligibility for each offer with the tracing interpreter
   (:func:`~oferta.engine.eligibility.interpret.evaluate_household`), on the same household
   and member variables the bulk evaluator reads (built by the engine's ``household_frame`` /
   ``person_frame`` from the stored registry rows); person-level offers: any member;
3. the run's assignments (its referrals) and places: the places of each offer the household
   could reach (its municipality and department) less those the run gave to households of the
   municipality and, at the least, those other municipalities of the department had to draw
   from the department's pool;
4. the engine's :func:`~oferta.engine.allocation.explain.explain_household` on a one-household
   instance built with the run's K and policy, so the reasons and their order are the engine's.

The result reflects the database *now*: if rules, places or the household's record changed
since the run, the explanation may differ from what the run saw; the page says so when the
rules' fingerprint or the household's diagnosis date show a change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oferta.engine.allocation import DEFAULT_K, NEED_CODES, PriorityPolicy, build_instance
from oferta.engine.allocation.explain import explain_household
from oferta.engine.allocation.solve import Allocation
from oferta.engine.eligibility.compile import CompiledRule, compile_rule
from oferta.engine.eligibility.frame import household_frame, person_frame
from oferta.engine.eligibility.interpret import evaluate_household, explain_es
from oferta.households.models import Household
from oferta.offers.models import Service

from .models import Referral, RoutingRun
from .routing import (
    _allocation_households,
    _database_offers,
    _policy_for,
    registry_frames,
    rules_hash,
    run_slots,
)
from .states import state_label

REASON_ORDER: Final[tuple[str, ...]] = (
    "not_eligible",
    "no_value",
    "k_limit",
    "no_places",
    "not_chosen",
    "invalid_rule",
)
REASON_LABELS: Final[dict[str, Any]] = {
    "not_eligible": _lazy("No cumple las condiciones"),
    "no_value": _lazy("No atiende sus privaciones"),
    "k_limit": _lazy("Límite de K ofertas"),
    "no_places": _lazy("Sin cupos a su alcance"),
    "not_chosen": _lazy("No elegida por la optimización"),
    "invalid_rule": _lazy("Regla inválida"),
}
MAX_MEMBER_REASONS: Final[int] = 3


@dataclass(frozen=True)
class OfferOutcome:
    """One offer of the run for the household: assigned (with its referral) or why not."""

    offer_id: str
    offer_name: str
    organization_name: str
    reason: str  # "assigned" or a code of REASON_ORDER
    text: str
    referral: Referral | None = None

    @property
    def state_label(self) -> str:
        return state_label(self.referral.state) if self.referral else ""


@dataclass
class HouseholdRunExplanation:
    run: RoutingRun
    household: Household
    k_max: int
    policy: PriorityPolicy
    assigned: list[OfferOutcome] = field(default_factory=list)
    not_assigned: list[OfferOutcome] = field(default_factory=list)
    rules_changed: bool = False
    household_changed: bool = False

    @property
    def reason_counts(self) -> list[tuple[str, Any, int]]:
        """``(code, Spanish label, offers)`` per reason, in the engine's order."""
        counts: dict[str, int] = defaultdict(int)
        for outcome in self.not_assigned:
            counts[outcome.reason] += 1
        return [
            (code, REASON_LABELS[code], counts[code]) for code in REASON_ORDER if counts.get(code)
        ]


# --------------------------------------------------------------------------- inputs


def _household_frames(household: Household) -> tuple[pl.DataFrame, pl.DataFrame, pl.LazyFrame]:
    """The household and member frames the rules read, for one household, built from the
    stored rows by the run's own builder (:func:`~oferta.referrals.routing.registry_frames`)."""
    households, persons, diagnosis = registry_frames(Household.objects.filter(pk=household.pk))
    hh_frame = household_frame(households.lazy(), persons.lazy(), diagnosis.lazy()).collect()
    p_frame = person_frame(persons.lazy()).collect()
    return hh_frame, p_frame, persons.lazy()


def _eligibility(
    rule: CompiledRule, household: dict[str, Any], members: list[dict[str, Any]]
) -> str | None:
    """``None`` when eligible; otherwise the tracer's Spanish reason."""
    if rule.scope != "person":
        trace = evaluate_household(rule, household=household, members=members)
        return None if trace.result else explain_es(trace)
    if len(members) == 1:
        trace = evaluate_household(rule, household=household, members=members, person=members[0])
        return None if trace.result else explain_es(trace)
    reasons: list[str] = []
    for member in members:
        trace = evaluate_household(rule, household=household, members=members, person=member)
        if trace.result:
            return None
        text = explain_es(trace).removeprefix("no cumple: ")
        if text not in reasons:
            reasons.append(text)
    if not members:
        return _("no cumple: el hogar no tiene integrantes registrados")
    return _("ningún integrante cumple: %(r)s") % {"r": "; ".join(reasons[:MAX_MEMBER_REASONS])}


def _places_in_reach(run: RoutingRun, household: Household, slots: Any) -> dict[str, int]:
    """Places of each offer the household could still reach after the run's assignments.

    A household takes a place in its municipality or its department's pool. The run's
    referrals say which households got each offer, not which slot they drew from; the pool's
    use by the other municipalities of the department is taken at its least (what exceeded
    their own places), so a positive figure means a place may have been left in reach.
    """
    municipality, department = household.municipality_code, household.department_code
    places: dict[tuple[str, str], int] = defaultdict(int)
    for offer_id, territory, n in slots.filter(
        Q(territory_code=department) | Q(territory_code__startswith=department)
    ).values_list("service_id", "territory_code", "places"):
        places[(str(offer_id), territory)] += int(n)
    given: dict[tuple[str, str], int] = defaultdict(int)
    for offer_id, territory, n in (
        Referral.objects.filter(routing_run=run, household__department_code=department)
        .values("offer_id", "household__municipality_code")
        .annotate(n=Count("household", distinct=True))
        .values_list("offer_id", "household__municipality_code", "n")
    ):
        given[(str(offer_id), territory)] += n
    offers = {offer for offer, territory in places if territory in (municipality, department)}
    left: dict[str, int] = {}
    for offer in offers:
        overflow = sum(
            max(0, n - places.get((offer, territory), 0))
            for (o, territory), n in given.items()
            if o == offer and territory != municipality
        )
        left[offer] = max(
            0,
            places.get((offer, municipality), 0)
            + places.get((offer, department), 0)
            - given.get((offer, municipality), 0)
            - overflow,
        )
    return left


# --------------------------------------------------------------------------- explanation


def routing_run_household_explain(
    *, run: RoutingRun, household: Household
) -> HouseholdRunExplanation:
    """For ``household`` in ``run``: the offers it was assigned and why not each other one.

    The caller has checked that the user may see both and that the household lies in the
    run's territories (see the module docstring for how the reasons are recomputed).
    """
    k_max = int((run.parameters or {}).get("k_max") or DEFAULT_K)
    policy = _policy_for(run)
    explanation = HouseholdRunExplanation(run=run, household=household, k_max=k_max, policy=policy)

    slots = run_slots(run)
    offer_ids = sorted({str(pk) for pk in slots.values_list("service_id", flat=True).distinct()})
    offers = _database_offers(offer_ids)
    stored_hash = (run.inputs_summary or {}).get("rules_sha256")
    explanation.rules_changed = bool(stored_hash) and stored_hash != rules_hash(offers)
    # Re-diagnosed after the run started, or since left the registry (runs skip such
    # households from then on): the run may have seen other data.
    explanation.household_changed = (
        bool(run.started_at and household.diagnosed_at and household.diagnosed_at > run.started_at)
        or not household.in_registry
    )

    referrals = list(
        Referral.objects.filter(routing_run=run, household=household)
        .select_related("offer", "offer__organization")
        .order_by("offer__name", "pk")
    )
    names = {
        str(s.pk): (s.name, s.organization.name)
        for s in Service.objects.filter(
            pk__in={*offer_ids, *(r.offer_id for r in referrals)}
        ).select_related("organization")
    }
    taken: set[str] = set()
    for referral in referrals:
        offer_id = str(referral.offer_id)
        if offer_id in taken:
            continue  # several members of the household referred to one person-level offer
        taken.add(offer_id)
        explanation.assigned.append(
            OfferOutcome(
                offer_id=offer_id,
                offer_name=referral.offer.name,
                organization_name=referral.offer.organization.name,
                reason="assigned",
                text=_("asignada por la corrida"),
                referral=referral,
            )
        )

    hh_frame, p_frame, persons = _household_frames(household)
    household_id = str(household.uuid)
    variables = {k: v for k, v in hh_frame.row(0, named=True).items() if k != "household_id"}
    members = [
        {k: v for k, v in row.items() if k not in ("household_id", "person_id")}
        for row in p_frame.iter_rows(named=True)
    ]

    ineligible: dict[str, str] = {}
    eligible: list[str] = []
    valid: list[str] = []
    outcomes: list[OfferOutcome] = []
    for offer_id, rule_text, scope in offers.select("offer_id", "rule", "scope").iter_rows():
        try:
            rule = compile_rule((rule_text or "").strip() or "true", scope=scope or "household")
        except Exception:
            if offer_id not in taken:
                name, organization = names.get(offer_id, (offer_id, ""))
                outcomes.append(
                    OfferOutcome(
                        offer_id=offer_id,
                        offer_name=name,
                        organization_name=organization,
                        reason="invalid_rule",
                        text=_(
                            "la regla de elegibilidad de la oferta no es válida: "
                            "la corrida la omitió"
                        ),
                    )
                )
            continue
        valid.append(offer_id)
        reason = _eligibility(rule, variables, members)
        if reason is None:
            eligible.append(offer_id)
        else:
            ineligible[offer_id] = reason

    if valid:
        left = _places_in_reach(run, household, slots)
        known = set(NEED_CODES)
        offers_f = offers.filter(pl.col("offer_id").is_in(valid)).select(
            pl.col("offer_id").cast(pl.String),
            pl.col("indicators")
            .cast(pl.List(pl.String))
            .list.eval(pl.element().filter(pl.element().is_in(list(known)))),
        )
        places = pl.DataFrame(
            {
                "offer_id": [o for o in valid if o in left],
                "territory_code": [household.municipality_code for o in valid if o in left],
                "period": ["" for o in valid if o in left],
                "places": [left[o] for o in valid if o in left],
            },
            schema={
                "offer_id": pl.String,
                "territory_code": pl.String,
                "period": pl.String,
                "places": pl.Int64,
            },
        )
        instance = build_instance(
            households=_allocation_households(hh_frame.lazy(), persons).collect(),
            offers=offers_f,
            places=places,
            eligible=pl.DataFrame(
                {"household_id": [household_id] * len(eligible), "offer_id": eligible},
                schema={"household_id": pl.String, "offer_id": pl.String},
            ),
            k_max=k_max,
            policy=policy,
        )
        # The household's own places are not subtracted from any slot: only its other
        # offers are explained, and ``left`` already counts what the run gave.
        assignments = pl.DataFrame(
            {
                "household_id": [household_id] * len(taken),
                "offer_id": sorted(taken),
                "territory_code": [""] * len(taken),
                "period": [""] * len(taken),
                "value": [0] * len(taken),
            },
            schema={
                "household_id": pl.String,
                "offer_id": pl.String,
                "territory_code": pl.String,
                "period": pl.String,
                "value": pl.Int64,
            },
        )
        allocation = Allocation(
            assignments=assignments,
            objective=0,
            places_filled=len(taken),
            households_reached=1 if taken else 0,
            solver="recomputed",
            status="",
        )
        reasons = explain_household(instance, allocation, household_id, ineligibility=ineligible)
        for offer_id, code, text in reasons.iter_rows():
            name, organization = names.get(offer_id, (offer_id, ""))
            outcomes.append(
                OfferOutcome(
                    offer_id=offer_id,
                    offer_name=name,
                    organization_name=organization,
                    reason=code,
                    text=text,
                )
            )
    explanation.not_assigned = sorted(
        outcomes, key=lambda o: (REASON_ORDER.index(o.reason), o.offer_name, o.offer_id)
    )
    return explanation
