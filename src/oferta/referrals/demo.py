"""Demo referrals: a real routing run over the demo registry, then a sample moved through the
lifecycle by the demo users, with the same services the pages use.

The run routes La Guajira and Chocó (``routing_run_create`` + ``routing_run_execute``, run
synchronously). A deterministic sample of its proposals is then moved as the demo users would
move it: the reviewers (national analyst; regional analyst for Chocó; the Uribia municipal user
for Uribia) record consent and approve, cancel a few; SENA's and ICBF's partner users receive,
accept, reject, start, pause, complete, record the service and fail; the national analyst
records the answers of entities without a demo user. Every change goes through
:mod:`oferta.referrals.services`, so each one has its audit event and timeline entry.

So that the timelines, due dates and the linkage funnel read like weeks of work, the run and
each step happen on a simulated clock (``django.utils.timezone.now``), anchored so the run is
:data:`RUN_DAYS_AGO` days old: some referrals sent more than 30 days ago are overdue, enrolment
takes days. Nothing else is backdated and no row is written around the services.

Idempotent and resumable: the run is found again by its name; each referral of the sample has a
fixed path (by a sort on registry ids and offer ids), and a second call only takes the steps a
referral has not taken yet, so after a complete first call it changes nothing. A referral that
someone moved off its path in the meantime is left alone.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed

from .models import Referral, RoutingRun, RunStatus
from .services import ACTION_TARGET, REVIEW_ACTIONS
from .states import ReferralState, state_label

DEMO_RUN_NAME = "Corrida de demostración: La Guajira y Chocó"
DEMO_SCOPE = ("27", "44")
DEMO_K = 3
RUN_DAYS_AGO = 50
URIBIA = "44847"

# Demo users (oferta.accounts.demo_users): who reviews where, who answers for which entity.
NATIONAL = "analista"
REGIONAL = "regional"  # Chocó (27) here; La Guajira outside Uribia goes to the national analyst
MUNICIPAL = "municipal"  # Uribia
PARTNER_USERS = {"sena": "entidad", "icbf": "entidad2"}

# Within one simulated day: consent, then approval, then everything else.
_PHASE = {"consent": 0, "approve": 1}
# The state after each step of a path. consent and serve keep the state: a path records consent
# while proposed and the service once completed.
_STATE_AFTER = {
    **ACTION_TARGET,
    "consent": ReferralState.PROPOSED,
    "serve": ReferralState.COMPLETED,
}


@dataclass(frozen=True)
class Step:
    action: str
    days_ago: int


def _path(*steps: tuple[str, int]) -> tuple[Step, ...]:
    return tuple(Step(action, days) for action, days in steps)


# Each scenario: the steps one referral takes, oldest first (days before the anchor, strictly
# decreasing so the order of steps is the order of time). Due dates are 30 days after sending:
# the open ones sent 40+ days ago are overdue.
SCENARIOS: dict[str, tuple[Step, ...]] = {
    "consented": _path(("consent", 3)),
    "sent": _path(("consent", 14), ("approve", 12)),
    "overdue_sent": _path(("consent", 46), ("approve", 45)),
    "received": _path(("consent", 14), ("approve", 12), ("receive", 10)),
    "overdue_received": _path(("consent", 46), ("approve", 45), ("receive", 41)),
    "accepted": _path(("consent", 14), ("approve", 12), ("accept", 9)),
    "overdue_accepted": _path(("consent", 46), ("approve", 45), ("accept", 40)),
    "in_progress": _path(("consent", 16), ("approve", 15), ("accept", 12), ("start", 8)),
    "on_hold": _path(("consent", 16), ("approve", 15), ("accept", 12), ("hold", 6)),
    "rejected": _path(("consent", 40), ("approve", 38), ("reject", 33)),
    "completed": _path(
        ("consent", 42), ("approve", 40), ("accept", 36), ("start", 30), ("complete", 25)
    ),
    "served": _path(
        ("consent", 42), ("approve", 40), ("accept", 36), ("complete", 28), ("serve", 20)
    ),
    "failed": _path(("consent", 42), ("approve", 40), ("accept", 36), ("fail", 22)),
    # Withdrawn after sending (the entity had not answered): partners see it cancelled.
    "cancelled": _path(("consent", 30), ("approve", 29), ("cancel", 25)),
}

# Which scenarios, in which order, for each pool (cycled over the pool's first referrals).
PARTNER_PATTERN = (
    # The first four give an entity with few referrals (ICBF has about ten) one of each of the
    # main outcomes: linked, rejected, accepted and overdue.
    "served",
    "rejected",
    "accepted",
    "overdue_sent",
    "completed",
    "in_progress",
    "received",
    "failed",
    "sent",
    "on_hold",
    "cancelled",
    "consented",
    "overdue_received",
    "overdue_accepted",
)
OTHER_PATTERN = ("sent", "completed", "overdue_sent", "cancelled", "consented", "accepted")
# How many times each pattern is taken: in Uribia first (the browser test and the municipal
# demo user look there), then elsewhere.
PARTNER_ROUNDS = {"uribia": 2, "elsewhere": 3}
OTHER_ROUNDS = {"uribia": 1, "elsewhere": 3}

REJECT_REASONS = ("no_capacity", "not_eligible", "client_refused")
FAIL_REASONS = ("household_unreachable", "client_refused")
CANCEL_REASONS = ("no_longer_needed",)
CONSENT_METHODS = ("written", "verbal", "digital")
NOTES = {
    "hold": "La próxima cohorte inicia el mes entrante.",
    "serve": "Asistió a la primera sesión.",
}
OTHER_ENTITY_NOTE = "Respuesta de la entidad recibida por oficio; la registra el equipo nacional."


@dataclass
class DemoReferralsResult:
    """What the demo step left: the run, its referrals by state, and what this call changed."""

    run_uuid: str
    run_created: bool
    referrals: int
    by_state: dict[str, int]
    overdue: int
    steps_taken: int
    left_alone: int = 0
    in_uribia: int = 0
    by_partner_user: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        states = ", ".join(
            f"{state_label(state).lower()} {count}"
            for state, count in sorted(self.by_state.items(), key=lambda item: -item[1])
        )
        text = (
            f"{self.referrals} remisiones de la corrida de demostración ({states}); "
            f"{self.overdue} vencidas; {self.in_uribia} en Uribia; "
            + "".join(
                f"{count} visibles para «{username}»; "
                for username, count in self.by_partner_user.items()
            )
            + f"{self.steps_taken} cambios de estado en esta ejecución"
        )
        if self.left_alone:
            text += f" ({self.left_alone} remisiones cambiadas a mano se dejaron como están)"
        return text


# --------------------------------------------------------------------------- clock


@contextlib.contextmanager
def _clock(at: datetime) -> Iterator[None]:
    """Everything inside happens at ``at``: services, ``auto_now`` fields and audit events
    read ``django.utils.timezone.now`` (and ``localdate`` through it)."""
    with mock.patch.object(timezone, "now", return_value=at):
        yield


# --------------------------------------------------------------------------- users, run


def _users() -> dict[str, Any]:
    from oferta.accounts.models import User

    names = {NATIONAL, REGIONAL, MUNICIPAL, *PARTNER_USERS.values()}
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    missing = sorted(names - users.keys())
    if missing:
        raise RuntimeError(
            "Faltan usuarios de demostración (" + ", ".join(missing) + "); "
            "créelos antes con demo_users_ensure()."
        )
    return users


def _run(*, actor: Any, now: datetime) -> tuple[RoutingRun, datetime, bool]:
    """The demo run (created and executed if absent, re-executed if it did not finish) and the
    anchor of the demo clock."""
    from .routing import routing_run_create, routing_run_execute

    run = RoutingRun.objects.filter(name=DEMO_RUN_NAME).order_by("created_at", "pk").first()
    created = run is None
    if run is None:
        anchor = now
        with _clock(anchor - timedelta(days=RUN_DAYS_AGO)):
            run = routing_run_create(
                actor=actor, scope=list(DEMO_SCOPE), k_max=DEMO_K, name=DEMO_RUN_NAME
            )
    else:
        anchor = run.created_at + timedelta(days=RUN_DAYS_AGO)
    if run.status != RunStatus.SUCCEEDED:
        with _clock(run.created_at + timedelta(minutes=1)):
            routing_run_execute(run=run, actor=actor)
        if run.status != RunStatus.SUCCEEDED:
            raise RuntimeError(f"La corrida de demostración falló: {run.error_message}")
    return run, anchor, created


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _Candidate:
    """What the plan needs of a referral (read as plain values: the run holds thousands)."""

    pk: int
    sort_key: tuple[str, str, str]
    organization_id: str
    municipality_code: str
    department_code: str


@dataclass(frozen=True)
class _Planned:
    referral: Referral
    scenario: str
    variant: int  # picks reasons and consent methods, so the sample is varied
    reviewer: str
    answerer: str  # who records the entity's answers


def _candidates(run: RoutingRun) -> list[_Candidate]:
    rows = Referral.objects.filter(routing_run=run).values_list(
        "pk",
        "household__registry_id",
        "offer_id",
        "person__registry_id",
        "offer__organization_id",
        "household__municipality_code",
        "household__department_code",
    )
    candidates = [
        _Candidate(
            pk=pk,
            sort_key=(household, str(offer), person or ""),
            organization_id=str(organization),
            municipality_code=municipality,
            department_code=department,
        )
        for pk, household, offer, person, organization, municipality, department in rows
    ]
    return sorted(candidates, key=lambda c: c.sort_key)


def _plan(run: RoutingRun) -> list[_Planned]:
    """Which referral takes which path: deterministic for the same registry and catalogue."""
    from oferta.offers.partners import PARTNER_BY_KEY

    partner_keys = {str(PARTNER_BY_KEY[key].id): key for key in PARTNER_USERS}
    pools: dict[str, list[_Candidate]] = {key: [] for key in PARTNER_USERS}
    pools["other"] = []
    for candidate in _candidates(run):
        pools[partner_keys.get(candidate.organization_id, "other")].append(candidate)

    chosen: list[tuple[_Candidate, str, int, str]] = []
    for pool, members in pools.items():
        pattern, rounds = (
            (OTHER_PATTERN, OTHER_ROUNDS) if pool == "other" else (PARTNER_PATTERN, PARTNER_ROUNDS)
        )
        answerer = PARTNER_USERS.get(pool, NATIONAL)
        uribia = [c for c in members if c.municipality_code == URIBIA]
        uribia = uribia[: rounds["uribia"] * len(pattern)]
        elsewhere = [c for c in members if c.municipality_code != URIBIA]
        elsewhere = elsewhere[: rounds["elsewhere"] * len(pattern)]
        # The pattern restarts in each part, so Uribia gets every scenario too.
        for part in (uribia, elsewhere):
            for position, candidate in enumerate(part):
                scenario = pattern[position % len(pattern)]
                chosen.append((candidate, scenario, len(chosen), answerer))

    referrals = Referral.objects.in_bulk([c.pk for c, *_ in chosen])
    return [
        _Planned(
            referral=referrals[candidate.pk],
            scenario=scenario,
            variant=variant,
            reviewer=_reviewer_for(candidate),
            answerer=answerer,
        )
        for candidate, scenario, variant, answerer in chosen
    ]


def _reviewer_for(candidate: _Candidate) -> str:
    if candidate.municipality_code == URIBIA:
        return MUNICIPAL
    if candidate.department_code == "27":
        return REGIONAL
    return NATIONAL


def _remaining(referral: Referral, steps: tuple[Step, ...]) -> tuple[Step, ...] | None:
    """The steps of ``steps`` that ``referral`` has not taken; None when it left the path."""
    if referral.state == ReferralState.PROPOSED:
        if steps[0].action != "consent":
            return None
        return steps[1:] if referral.consent_recorded_at else steps
    done = None
    for index, step in enumerate(steps):
        if _STATE_AFTER[step.action] == referral.state:
            done = index
    if done is None:
        return None
    if steps[done].action == "serve" and referral.served_on is None:
        done -= 1
    return steps[done + 1 :]


# --------------------------------------------------------------------------- doing it


@dataclass(frozen=True)
class _Task:
    days_ago: int
    phase: int
    action: str
    actor: str
    order: int  # position in the plan, for a stable order within a day
    planned: _Planned


def _tasks(planned: list[_Planned]) -> tuple[list[_Task], int]:
    tasks: list[_Task] = []
    left_alone = 0
    for order, item in enumerate(planned):
        remaining = _remaining(item.referral, SCENARIOS[item.scenario])
        if remaining is None:
            left_alone += 1
            continue
        for step in remaining:
            actor = item.reviewer if step.action in REVIEW_ACTIONS else item.answerer
            tasks.append(
                _Task(
                    days_ago=step.days_ago,
                    phase=_PHASE.get(step.action, 2),
                    action=step.action,
                    actor=actor,
                    order=order,
                    planned=item,
                )
            )
    tasks.sort(key=lambda t: (-t.days_ago, t.phase, t.order))
    return tasks, left_alone


def _at(anchor: datetime, task: _Task) -> datetime:
    # Working hours of that day, in order: consent, approval, then the answers.
    return anchor - timedelta(days=task.days_ago) + timedelta(minutes=20 * task.phase)


def _apply(task: _Task, *, users: dict[str, Any]) -> None:
    from .services import referral_act

    item = task.planned
    actor = users[task.actor]
    data: dict[str, Any] = {}
    if task.action == "reject":
        data["reason"] = REJECT_REASONS[item.variant % len(REJECT_REASONS)]
    elif task.action == "fail":
        data["reason"] = FAIL_REASONS[item.variant % len(FAIL_REASONS)]
    elif task.action == "cancel":
        data["reason"] = CANCEL_REASONS[item.variant % len(CANCEL_REASONS)]
    elif task.action == "complete":
        data["enrolled_on"] = timezone.localdate()
    elif task.action == "serve":
        data["served_on"] = timezone.localdate()
    note = NOTES.get(task.action, "")
    if task.actor == NATIONAL and task.action not in REVIEW_ACTIONS:
        note = OTHER_ENTITY_NOTE
    referral_act(referral=item.referral, actor=actor, action=task.action, note=note, **data)


def _apply_review_group(tasks: list[_Task], *, users: dict[str, Any]) -> None:
    """Consent or approval of one reviewer on one day: one bulk call, as on the review page."""
    from .services import referrals_approve, referrals_record_consent

    actor = users[tasks[0].actor]
    referrals = [t.planned.referral for t in tasks]
    if tasks[0].action == "approve":
        referrals_approve(actor=actor, referrals=referrals)
        return
    by_method: dict[str, list[Referral]] = {}
    for task in tasks:
        method = CONSENT_METHODS[task.planned.variant % len(CONSENT_METHODS)]
        by_method.setdefault(method, []).append(task.planned.referral)
    for method, group in sorted(by_method.items()):
        referrals_record_consent(actor=actor, referrals=group, method=method)


def _take(tasks: list[_Task], *, anchor: datetime, users: dict[str, Any]) -> int:
    taken = 0
    index = 0
    while index < len(tasks):
        task = tasks[index]
        if task.action in _PHASE:
            group = [task]
            while (
                index + len(group) < len(tasks)
                and (nxt := tasks[index + len(group)]).action == task.action
                and (nxt.days_ago, nxt.actor) == (task.days_ago, task.actor)
            ):
                group.append(nxt)
            with _clock(_at(anchor, task)):
                _apply_review_group(group, users=users)
            index += len(group)
            taken += len(group)
            continue
        with _clock(_at(anchor, task)):
            _apply(task, users=users)
        index += 1
        taken += 1
    return taken


def demo_referrals_load() -> DemoReferralsResult:
    """Route the demo registry and move a sample of the referrals through their lifecycle.

    Needs the demo registry, catalogue and users. Raises RuntimeError (Spanish) when a demo user
    is missing or the run fails; a service refusing a step (ValidationFailed, PermissionDenied,
    ObjectNotFound) is a bug in the plan and propagates, leaving the lifecycle unchanged.
    """
    users = _users()
    run, anchor, created = _run(actor=users[NATIONAL], now=timezone.now())
    planned = _plan(run)
    tasks, left_alone = _tasks(planned)
    if tasks:
        try:
            with transaction.atomic():
                taken = _take(tasks, anchor=anchor, users=users)
        except (ValidationFailed, PermissionDenied, ObjectNotFound) as exc:
            raise RuntimeError(
                f"No se pudieron mover las remisiones de demostración: {exc}"
            ) from exc
    else:
        taken = 0
    return _summary(run, created=created, taken=taken, left_alone=left_alone, users=users)


def _summary(
    run: RoutingRun, *, created: bool, taken: int, left_alone: int, users: dict[str, Any]
) -> DemoReferralsResult:
    from .access import referrals_visible_to
    from .selectors import referrals_overdue

    referrals = Referral.objects.filter(routing_run=run)
    by_state = Counter(referrals.values_list("state", flat=True))
    overdue = referrals_overdue(user=users[NATIONAL]).filter(routing_run=run).count()
    return DemoReferralsResult(
        run_uuid=str(run.uuid),
        run_created=created,
        referrals=sum(by_state.values()),
        by_state=dict(by_state),
        overdue=overdue,
        steps_taken=taken,
        left_alone=left_alone,
        in_uribia=referrals.filter(household__municipality_code=URIBIA).count(),
        by_partner_user={
            username: referrals_visible_to(user=users[username]).filter(routing_run=run).count()
            for username in PARTNER_USERS.values()
        },
    )
