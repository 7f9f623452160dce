"""Routing runs: eligibility at scale plus the optimal allocation of places, from the database or
from files, stored so any run can be reproduced.

The engine is called with plain Polars frames only. :func:`route_frames` is the shared core (files
and database); :func:`routing_run_execute` feeds it from the database, stores the figures in the
:class:`~oferta.referrals.models.RoutingRun` and proposes one referral per assignment.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext_noop

from oferta.engine.allocation import (
    DEFAULT_K,
    DEFAULT_POLICY,
    NEED_CODES,
    AllocationInstance,
    PriorityPolicy,
    build_instance,
    solve_greedy,
    solve_min_cost_flow,
    verify_allocation,
)
from oferta.engine.allocation.explain import unfilled_places, unmet_need
from oferta.engine.allocation.solve import Allocation
from oferta.engine.eligibility.compile import compile_rule, eligible_pairs
from oferta.engine.eligibility.frame import household_frame, person_frame
from oferta.engine.eligibility.variables import IPM_INDICATORS, PERSON_FIELDS

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
"""``progress(percent, stage)``: called at each stage (a Spanish msgid; pages translate it)."""

OFFER_COLUMNS = ("offer_id", "rule", "scope", "indicators")
PLACE_COLUMNS = ("offer_id", "territory_code", "period", "places")


class RoutingFailed(Exception):
    """A run could not finish; ``message`` is Spanish and holds no personal data."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RoutingResult:
    """Everything a run produces (frames for files, figures for the run record)."""

    instance: AllocationInstance
    optimal: Allocation
    greedy: Allocation
    verification: dict[str, Any]
    greedy_verification: dict[str, Any]
    assignments: pl.DataFrame  # + person_id for person-level offers
    invalid_rules: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    inputs_summary: dict[str, Any] = field(default_factory=dict)

    def unfilled_places(self) -> pl.DataFrame:
        return unfilled_places(self.instance, self.optimal)

    def unmet_need(self) -> pl.DataFrame:
        return unmet_need(self.instance, self.optimal)

    def figures(self) -> dict[str, Any]:
        scale = self.instance.policy.scale
        return {
            "objective": self.optimal.objective / scale,
            "greedy_objective": self.greedy.objective / scale,
            "places_filled": self.optimal.places_filled,
            "households_reached": self.optimal.households_reached,
            "greedy_places_filled": self.greedy.places_filled,
            "greedy_households_reached": self.greedy.households_reached,
            "solver_status": self.optimal.status,
        }


def _noop(percent: int, stage: str) -> None:  # pragma: no cover - default callback
    return None


def rules_hash(offers: pl.DataFrame) -> str:
    """SHA-256 of the offers' (id, scope, rule) texts, in id order: identifies the rule set."""
    rows = sorted(
        (str(o), str(s or "household"), str(r or ""))
        for o, s, r in offers.select("offer_id", "scope", "rule").iter_rows()
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def _allocation_households(households: pl.LazyFrame, persons: pl.LazyFrame) -> pl.LazyFrame:
    """The household frame with the priority flags the policy reads (from the members)."""
    schema = persons.collect_schema()

    def any_member(expr: pl.Expr, name: str) -> pl.Expr:
        return expr.fill_null(False).any().alias(name)

    flags = persons.group_by("household_id").agg(
        any_member(
            (pl.col("ethnicity").cast(pl.String) != "none")
            if "ethnicity" in schema
            else pl.lit(False),
            "ethnic",
        ),
        any_member(pl.col("victim") if "victim" in schema else pl.lit(False), "victim"),
        any_member(pl.col("disability") if "disability" in schema else pl.lit(False), "disability"),
    )
    return (
        households.select(
            "household_id",
            "municipality_code",
            *(f"deprived_{code}" for code in IPM_INDICATORS),
            "monetary_status",
            pl.col("ipm_score").alias("score"),
            pl.col("ipm_poor").alias("poor"),
            "accompaniment",
            "female_head",
        )
        .join(flags, on="household_id", how="left")
        .with_columns(pl.col("ethnic", "victim", "disability").fill_null(False))
    )


def route_frames(
    *,
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    diagnosis: pl.LazyFrame,
    offers: pl.DataFrame,
    places: pl.DataFrame,
    k_max: int = DEFAULT_K,
    policy: PriorityPolicy = DEFAULT_POLICY,
    progress: Progress = _noop,
) -> RoutingResult:
    """Eligibility, instance, exact and greedy solves and verification on plain frames.

    ``households``/``persons`` are registry tables (``person_id`` and ``age`` on persons),
    ``diagnosis`` the stored or computed IPM results, ``offers`` has :data:`OFFER_COLUMNS`
    (an empty rule means open to everyone) and ``places`` :data:`PLACE_COLUMNS`. Offers whose
    rule does not compile are left out and listed in ``invalid_rules``.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress(10, gettext_noop("Preparando los hogares"))
    hh_frame = household_frame(households, persons, diagnosis).collect()
    p_frame = person_frame(persons).collect()
    timings["frames"] = time.perf_counter() - t0

    progress(25, gettext_noop("Compilando las reglas de elegibilidad"))
    t = time.perf_counter()
    rules = {}
    invalid: dict[str, str] = {}
    for offer_id, rule, scope in offers.select("offer_id", "rule", "scope").iter_rows():
        text = (rule or "").strip() or "true"
        try:
            rules[str(offer_id)] = compile_rule(text, scope=scope or "household")
        except Exception as exc:
            invalid[str(offer_id)] = type(exc).__name__
    timings["compile"] = time.perf_counter() - t

    progress(40, gettext_noop("Calculando la elegibilidad"))
    t = time.perf_counter()
    if rules:
        pairs = (
            eligible_pairs(rules, hh_frame.lazy(), p_frame.lazy())
            .with_columns(pl.col("offer_id").cast(pl.String))
            .collect()
        )
    else:
        pairs = pl.DataFrame(
            schema={"household_id": pl.String, "offer_id": pl.String, "person_id": pl.String}
        )
    timings["eligibility"] = time.perf_counter() - t

    progress(55, gettext_noop("Construyendo la instancia de asignación"))
    t = time.perf_counter()
    valid_offers = offers.filter(pl.col("offer_id").is_in(list(rules)))
    valid_places = places.filter(pl.col("offer_id").is_in(list(rules)))
    known = set(NEED_CODES)
    offers_f = valid_offers.select(
        pl.col("offer_id").cast(pl.String),
        pl.col("indicators")
        .cast(pl.List(pl.String))
        .list.eval(pl.element().filter(pl.element().is_in(list(known)))),
    )
    instance = build_instance(
        households=_allocation_households(hh_frame.lazy(), persons).collect(),
        offers=offers_f,
        places=valid_places.select(PLACE_COLUMNS),
        eligible=pairs.select("household_id", "offer_id").unique(),
        k_max=k_max,
        policy=policy,
    )
    timings["instance"] = time.perf_counter() - t

    progress(70, gettext_noop("Resolviendo la asignación óptima (flujo de costo mínimo)"))
    t = time.perf_counter()
    optimal = solve_min_cost_flow(instance)
    timings["min_cost_flow"] = time.perf_counter() - t
    progress(80, gettext_noop("Calculando la asignación voraz de referencia"))
    t = time.perf_counter()
    greedy = solve_greedy(instance)
    timings["greedy"] = time.perf_counter() - t

    progress(85, gettext_noop("Verificando las restricciones"))
    t = time.perf_counter()
    report = verify_allocation(instance, optimal).to_dict()
    greedy_report = verify_allocation(instance, greedy).to_dict()
    timings["verify"] = time.perf_counter() - t

    # Person-level offers: the place goes to the first eligible member (by id, deterministic).
    first_person = (
        pairs.filter(pl.col("person_id").is_not_null())
        .group_by("household_id", "offer_id")
        .agg(pl.col("person_id").cast(pl.String).min())
    )
    assignments = (
        optimal.assignments.join(first_person, on=["household_id", "offer_id"], how="left")
        .join(
            instance.households.select("household_id", "municipality_code"),
            on="household_id",
            how="left",
        )
        .sort("household_id", "offer_id")
    )
    timings["total"] = time.perf_counter() - t0
    summary = {
        **instance.summary(),
        "persons": p_frame.height,
        "offers_given": offers.height,
        "offers_invalid_rule": len(invalid),
        "rules_sha256": rules_hash(offers),
        "policy": policy.to_dict(),
        "k_max": k_max,
    }
    return RoutingResult(
        instance=instance,
        optimal=optimal,
        greedy=greedy,
        verification=report,
        greedy_verification=greedy_report,
        assignments=assignments,
        invalid_rules=invalid,
        timings={k: round(v, 3) for k, v in timings.items()},
        inputs_summary=summary,
    )


# --------------------------------------------------------------------------- database side


def _scope_filter(scope: Iterable[str]) -> tuple[list[str], list[str]]:
    codes = [str(c) for c in scope]
    return [c for c in codes if len(c) == 2], [c for c in codes if len(c) == 5]


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


_PERSON_SCHEMA: dict[str, Any] = {
    "household_id": pl.String,
    "person_id": pl.String,
    "age": pl.Int16,
    "sex": pl.String,
    "relationship": pl.String,
    "ethnicity": pl.String,
    "activity": pl.String,
    "disability": pl.Boolean,
    "victim": pl.Boolean,
    "can_read_write": pl.Boolean,
    "attends_school": pl.Boolean,
    "contributes_to_pension": pl.Boolean,
    "receives_pension": pl.Boolean,
    "health_insured": pl.Boolean,
    "years_of_schooling": pl.Int16,
    "unemployed_months": pl.Int16,
}


def registry_frames(households_qs: Any) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The household, person and diagnosis frames the rules and the allocation read, built
    from the stored registry rows of ``households_qs`` (a Household queryset).

    One builder for the routing run (its whole scope) and for the explanation of one household
    (:mod:`oferta.referrals.run_explanations`), so both see the same variables.
    """
    from oferta.households.models import Person

    deprived = [f"deprived_{c}" for c in IPM_INDICATORS]
    hh_rows = list(
        households_qs.order_by("uuid").values(
            "uuid",
            "municipality_code",
            "zone",
            "sisben_group",
            "programs",
            "accompaniment",
            "as_of",
            "score",
            "poor",
            "income_per_capita",
            "monetary_status",
            "quadrant",
            *deprived,
        )
    )
    households = pl.DataFrame(
        {
            "household_id": [str(r["uuid"]) for r in hh_rows],
            "municipality_code": [r["municipality_code"] for r in hh_rows],
            "zone": [r["zone"] for r in hh_rows],
            "sisben_group": [r["sisben_group"] or None for r in hh_rows],
            "programs": [list(r["programs"] or []) for r in hh_rows],
            "accompaniment": [r["accompaniment"] for r in hh_rows],
        },
        schema={
            "household_id": pl.String,
            "municipality_code": pl.String,
            "zone": pl.String,
            "sisben_group": pl.String,
            "programs": pl.List(pl.String),
            "accompaniment": pl.Boolean,
        },
    )
    diagnosis = pl.DataFrame(
        {
            "household_id": households["household_id"],
            "score": [float(r["score"]) for r in hh_rows],
            "poor": [bool(r["poor"]) for r in hh_rows],
            "income_per_capita": [
                None if r["income_per_capita"] is None else float(r["income_per_capita"])
                for r in hh_rows
            ],
            "monetary_status": [r["monetary_status"] or None for r in hh_rows],
            "quadrant": [r["quadrant"] or None for r in hh_rows],
            **{name: [r[name] for r in hh_rows] for name in deprived},
        },
        schema_overrides={
            "score": pl.Float64,
            "poor": pl.Boolean,
            "income_per_capita": pl.Float64,
            "monetary_status": pl.String,
            "quadrant": pl.String,
            **dict.fromkeys(deprived, pl.Boolean),
        },
    )
    as_of = {str(r["uuid"]): r["as_of"] for r in hh_rows}
    # The member fields rules may read, less those derived from the row (age, is_head).
    person_fields = tuple(name for name in PERSON_FIELDS if name not in ("age", "is_head"))
    p_rows = list(
        # Registry order within each household: explanations list members as the registry does.
        Person.objects.filter(household__in=households_qs)
        .order_by("household__uuid", "registry_id")
        .values("uuid", "household__uuid", "birth_date", *person_fields)
    )
    persons = pl.DataFrame(
        {
            "household_id": [str(r["household__uuid"]) for r in p_rows],
            "person_id": [str(r["uuid"]) for r in p_rows],
            "age": [_age(r["birth_date"], as_of[str(r["household__uuid"])]) for r in p_rows],
            **{f: [r[f] for r in p_rows] for f in person_fields},
        },
        schema_overrides=_PERSON_SCHEMA,
    )
    return households, persons, diagnosis


def run_slots(run: Any) -> Any:
    """The slots a run reads: of active offers, with places in a municipality of the scope, in
    a department of the scope or of a scoped municipality, or in a municipality of a scoped
    department; restricted to ``parameters.period`` when set."""
    from django.db.models import Q

    from oferta.offers.models import ServiceStatus, Slot

    departments, municipalities = _scope_filter(run.scope or [])
    scope_departments = sorted(set(departments) | {m[:2] for m in municipalities})
    slot_q = Q(territory_code__in=municipalities) | Q(territory_code__in=scope_departments)
    for dep in departments:
        slot_q |= Q(territory_code__startswith=dep)
    slots = Slot.objects.filter(slot_q, service__status=ServiceStatus.ACTIVE)
    period = (run.parameters or {}).get("period")
    if period:
        on = date.fromisoformat(period)
        slots = slots.filter(period_start__lte=on, period_end__gte=on)
    return slots


def _database_frames(
    run: Any,
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, pl.DataFrame, pl.DataFrame]:
    from django.db.models import Q

    from oferta.households.models import Household

    from .selectors import run_scope_filter

    departments, municipalities = _scope_filter(run.scope)
    if not departments and not municipalities:
        raise RoutingFailed(gettext_noop("La corrida no tiene territorios."))
    # Households kept only because referrals point to them are no longer in the registry.
    hh_q = run_scope_filter(run) & Q(in_registry=True)
    households, persons, diagnosis = registry_frames(Household.objects.filter(hh_q))
    slot_rows = list(
        run_slots(run)
        .order_by("service_id", "territory_code", "period_start")
        .values("service_id", "territory_code", "period_start", "places")
    )
    # A department slot of a run restricted to municipalities is shared with municipalities
    # outside the run: it still counts, the households in scope draw from it.
    places = pl.DataFrame(
        {
            "offer_id": [str(r["service_id"]) for r in slot_rows],
            "territory_code": [r["territory_code"] for r in slot_rows],
            "period": [r["period_start"].isoformat() for r in slot_rows],
            "places": [int(r["places"]) for r in slot_rows],
        },
        schema={
            "offer_id": pl.String,
            "territory_code": pl.String,
            "period": pl.String,
            "places": pl.Int64,
        },
    )
    offer_ids = sorted(set(places["offer_id"].to_list()))
    offers = _database_offers(offer_ids)
    return households.lazy(), persons.lazy(), diagnosis.lazy(), offers, places


def _database_offers(offer_ids: list[str]) -> pl.DataFrame:
    from oferta.offers.models import Service

    rows = []
    for service in (
        Service.objects.filter(pk__in=offer_ids).prefetch_related("ipm_indicators").order_by("pk")
    ):
        rows.append(
            {
                "offer_id": str(service.pk),
                "rule": service.eligibility_rule or "",
                "scope": service.eligibility_scope or "household",
                "indicators": sorted(t.code for t in service.ipm_indicators.all() if t.code),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "offer_id": pl.String,
            "rule": pl.String,
            "scope": pl.String,
            "indicators": pl.List(pl.String),
        },
    )


def _json_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """A small result frame as JSON-ready rows (codes stay text, counts integers)."""
    return [
        {
            key: (int(value) if isinstance(value, bool | int) else str(value))
            for key, value in row.items()
        }
        for row in frame.iter_rows(named=True)
    ]


def _policy_for(run: Any) -> PriorityPolicy:
    """The policy stored with ``run`` (``parameters.policy``, see ``routing_run_create``).

    Runs stored before policies were editable carry no policy: they get ``DEFAULT_POLICY``.
    This is called before the run's error handling, so it must not raise: an unreadable stored
    policy (edited by hand) falls back to the default too, and the run then stores the
    default's dict, so the record always names the policy actually used.
    """
    stored = (getattr(run, "parameters", None) or {}).get("policy")
    if not stored:
        return DEFAULT_POLICY
    try:
        return PriorityPolicy.from_dict(stored)
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        logger.warning("routing run %s: stored policy unreadable, default used", run.uuid)
        return DEFAULT_POLICY


def routing_run_create(
    *,
    actor: Any,
    scope: list[str],
    k_max: int,
    name: str = "",
    policy: PriorityPolicy | Mapping[str, Any] | None = None,
) -> Any:
    """A queued run over ``scope`` (DIVIPOLA codes) with ``K`` = ``k_max`` and the priority
    ``policy`` (a :class:`PriorityPolicy` or its ``to_dict()``; default ``DEFAULT_POLICY``),
    stored as ``parameters.policy`` so the run can be reproduced. A policy dict that the
    engine refuses raises ``ValueError`` (Spanish message) and no run is created."""
    from django.db import transaction

    from oferta.accounts.audit import audit_event_record
    from oferta.referrals.models import RoutingRun

    if policy is None:
        policy = DEFAULT_POLICY
    elif not isinstance(policy, PriorityPolicy):
        policy = PriorityPolicy.from_dict(policy)
    with transaction.atomic():
        run = RoutingRun.objects.create(
            name=name,
            scope=sorted(scope),
            parameters={"k_max": int(k_max), "policy": policy.to_dict()},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        # Starting a run is a state change like any other: who asked for which territories,
        # K and policy (the execution writes its own event when it ends).
        audit_event_record(
            actor=actor,
            action="routing_run.created",
            object_type="routing_run",
            object_id=str(run.uuid),
            after={
                "name": run.name,
                "scope": run.scope,
                "k_max": int(k_max),
                "policy": policy.code,
                "status": run.status,
            },
            message="Corrida de focalización creada",
        )
    return run


def routing_run_execute(*, run: Any, actor: Any, progress: Progress | None = None) -> Any:
    """Run ``run`` from the database: eligibility, allocation, verification, proposals.

    Status and progress are saved at each stage; any failure ends the run ``failed`` with a
    Spanish message (no personal data). Writes one audit event (``routing_run.execute``); the
    proposal step writes its own (``referrals.propose``).
    """
    from django.db import transaction
    from django.utils import timezone

    from oferta.accounts.audit import audit_event_record
    from oferta.core.errors import ValidationFailed
    from oferta.referrals.models import RunStatus
    from oferta.referrals.services import referrals_propose_from_assignments

    def step(percent: int, stage: str) -> None:
        run.progress = percent
        run.stage = stage
        run.save(update_fields=["progress", "stage"])
        if progress is not None:
            progress(percent, stage)

    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.error_message = ""
    run.save(update_fields=["status", "started_at", "error_message"])
    parameters = dict(run.parameters or {})
    k_max = int(parameters.get("k_max") or DEFAULT_K)
    try:
        policy = _policy_for(run)
        step(5, "Leyendo hogares y ofertas")
        households, persons, diagnosis, offers, places = _database_frames(run)
        result = route_frames(
            households=households,
            persons=persons,
            diagnosis=diagnosis,
            offers=offers,
            places=places,
            k_max=k_max,
            policy=policy,
            progress=step,
        )
        if not result.verification.get("ok"):
            raise RoutingFailed(
                gettext_noop("La verificación de la asignación encontró restricciones incumplidas.")
            )
        step(90, gettext_noop("Creando las remisiones propuestas"))
        scale = policy.scale
        rows = [
            {
                "household_id": r["household_id"],
                "offer_id": r["offer_id"],
                "person_id": r.get("person_id") or "",
                "territory_code": r["municipality_code"],
                "value": str(Decimal(int(r["value"])) / Decimal(scale)),
            }
            for r in result.assignments.iter_rows(named=True)
        ]
        figures = result.figures()
        with transaction.atomic():
            outcome = referrals_propose_from_assignments(run=run, rows=rows, actor=actor)
            run.parameters = {**parameters, "k_max": k_max, "policy": policy.to_dict()}
            run.inputs_summary = {
                **result.inputs_summary,
                "timings": result.timings,
                "greedy_places_filled": figures["greedy_places_filled"],
                "greedy_households_reached": figures["greedy_households_reached"],
            }
            run.solver_status = figures["solver_status"]
            run.verifier_result = {
                **result.verification,
                "greedy": {"ok": result.greedy_verification.get("ok")},
            }
            run.objective = figures["objective"]
            run.greedy_objective = figures["greedy_objective"]
            run.places_filled = figures["places_filled"]
            run.households_reached = figures["households_reached"]
            run.unfilled_places = _json_rows(result.unfilled_places())
            run.unmet_need = _json_rows(result.unmet_need().filter(pl.col("unmet") > 0))
            run.status = RunStatus.SUCCEEDED
            run.progress = 100
            run.stage = gettext_noop("Terminada")
            run.finished_at = timezone.now()
            run.save()
            audit_event_record(
                actor=actor,
                action="routing_run.execute",
                object_type="routing_run",
                object_id=str(run.uuid),
                before={"status": RunStatus.QUEUED},
                after={
                    "status": run.status,
                    "objective": run.objective,
                    "greedy_objective": run.greedy_objective,
                    "places_filled": run.places_filled,
                    "households_reached": run.households_reached,
                    "referrals_created": outcome.created,
                },
                message="Corrida de focalización terminada",
            )
    except Exception as exc:
        if isinstance(exc, RoutingFailed):
            message = exc.message
        elif isinstance(exc, ValidationFailed):
            message = gettext_noop("Las asignaciones no pudieron convertirse en remisiones.")
        else:
            message = gettext_noop(
                "La corrida falló por un error interno; consulte el registro del sistema."
            )
        # The exception text may quote data: log its type only.
        logger.error("routing run %s failed: %s", run.uuid, type(exc).__name__)
        run.status = RunStatus.FAILED
        run.error_message = message
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error_message", "finished_at"])
        audit_event_record(
            actor=actor,
            action="routing_run.execute",
            object_type="routing_run",
            object_id=str(run.uuid),
            before={"status": RunStatus.QUEUED},
            after={"status": RunStatus.FAILED},
            message=message,
        )
    return run


def offers_from_hsds(services: list[Mapping[str, Any]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Offers and places from the HSDS ``services.json`` of ``oferta catalogue export``.

    Only active services; rules, scope and slots come from each service's ``x_oferta``; IPM
    indicators from its ``attributes`` with ``link_type`` ``ipm_indicators``.
    """
    offers: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    for service in services:
        if service.get("status", "active") != "active":
            continue
        ext = service.get("x_oferta") or {}
        indicators = sorted(
            {
                str((a.get("taxonomy_term") or {}).get("code") or "")
                for a in service.get("attributes") or []
                if a.get("link_type") == "ipm_indicators"
            }
            - {""}
        )
        offer_id = str(service["id"])
        offers.append(
            {
                "offer_id": offer_id,
                "rule": ext.get("eligibility_rule") or "",
                "scope": ext.get("eligibility_scope") or "household",
                "indicators": indicators,
            }
        )
        for slot in ext.get("slots") or []:
            places.append(
                {
                    "offer_id": offer_id,
                    "territory_code": str(slot["territory_code"]),
                    "period": str(slot.get("period_start") or ""),
                    "places": int(slot["places"]),
                }
            )
    offers_df = pl.DataFrame(
        offers,
        schema={
            "offer_id": pl.String,
            "rule": pl.String,
            "scope": pl.String,
            "indicators": pl.List(pl.String),
        },
    )
    places_df = pl.DataFrame(
        places,
        schema={
            "offer_id": pl.String,
            "territory_code": pl.String,
            "period": pl.String,
            "places": pl.Int64,
        },
    )
    return offers_df, places_df


# --------------------------------------------------------------------------- who may route


def user_can_route(*, user: Any) -> bool:
    """National analysts and administrators (everywhere) and regional analysts (their
    departments) start and see routing runs."""
    from oferta.accounts.models import Role
    from oferta.core.identifiers import is_active_user

    if not is_active_user(user):
        return False
    if user.is_national:
        return True
    return bool(user.role == Role.REGIONAL_ANALYST and user.departments.exists())


def routing_departments_for(*, user: Any) -> list[str] | None:
    """Department codes ``user`` may route in; ``None`` = every department."""
    if not user_can_route(user=user):
        return []
    if user.is_national:
        return None
    return sorted(user.departments.values_list("code", flat=True))


def routing_runs_for(*, user: Any) -> Any:
    """Runs ``user`` may see on the routing pages: all for national users; for regional
    analysts, runs whose every territory lies in one of their departments."""
    from oferta.referrals.models import RoutingRun

    departments = routing_departments_for(user=user)
    if departments is None:
        return RoutingRun.objects.all()
    if not departments:
        return RoutingRun.objects.none()
    allowed = set(departments)
    ids = [
        pk
        for pk, scope in RoutingRun.objects.values_list("pk", "scope")
        if scope and all(str(code)[:2] in allowed for code in scope)
    ]
    return RoutingRun.objects.filter(pk__in=ids)


def access_routing_run_for_routing(*, user: Any, run_id: Any) -> Any:
    """The run with uuid ``run_id`` if ``user`` may see it; the same ObjectNotFound otherwise."""
    from django.utils.translation import gettext as _

    from oferta.core.errors import ObjectNotFound
    from oferta.core.identifiers import as_uuid

    pk = as_uuid(run_id)
    run = routing_runs_for(user=user).filter(uuid=pk).first() if pk else None
    if run is None:
        raise ObjectNotFound(_("La corrida no existe o no tiene acceso a ella."))
    return run
