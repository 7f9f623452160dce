"""Writes on referrals: proposing them from a routing run, consent, approval and the lifecycle.

Every state change (and every change of a referral's data) happens in one transaction that also
writes one audit event (:func:`oferta.accounts.audit.audit_event_record`) and one
:class:`~oferta.referrals.models.ReferralEvent` for the timeline. Legal moves are those of
:data:`oferta.referrals.states.TRANSITIONS`; anything else is a ValidationFailed with a Spanish
message. Errors and audit messages never carry personal data (ids and codes only).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oferta.accounts.audit import AuditChange, audit_event_record, audit_events_record_bulk
from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed
from oferta.households.models import Household, Person
from oferta.offers.models import Service

from .access import (
    access_referral_by_id,
    as_uuid,
    referrals_visible_to,
    user_can_act_as_partner,
    user_can_review_referrals,
)
from .models import Referral, ReferralEvent, RoutingRun
from .selectors import referrals_proposed_matching
from .states import (
    REASON_REQUIRED,
    TRANSITIONS,
    ClosureReason,
    ConsentMethod,
    ReferralState,
    state_label,
    transition_allowed,
)

AUDIT_OBJECT_TYPE = "referral"
DEFAULT_DUE_DAYS = 30
_CHUNK = 2000

REVIEW_ACTIONS = frozenset({"consent", "approve", "cancel"})
PARTNER_ACTIONS = frozenset(
    {"receive", "accept", "reject", "start", "hold", "complete", "fail", "serve"}
)

ACTION_TARGET: dict[str, str] = {
    "approve": ReferralState.REQUESTED,
    "receive": ReferralState.RECEIVED,
    "accept": ReferralState.ACCEPTED,
    "reject": ReferralState.REJECTED,
    "start": ReferralState.IN_PROGRESS,
    "hold": ReferralState.ON_HOLD,
    "complete": ReferralState.COMPLETED,
    "fail": ReferralState.FAILED,
    "cancel": ReferralState.CANCELLED,
}
"""Lifecycle action → the state it moves to. ``consent`` and ``serve`` keep the state."""

TARGET_ACTION: dict[str, str] = {state: action for action, state in ACTION_TARGET.items()}


def referral_due_days() -> int:
    """Days a partner has to close a referral once sent (``OFERTA_REFERRAL_DUE_DAYS``)."""
    return int(getattr(settings, "OFERTA_REFERRAL_DUE_DAYS", DEFAULT_DUE_DAYS))


# --------------------------------------------------------------------------- helpers


def _audit_value(value: Any) -> Any:
    if hasattr(value, "get_username"):
        return value.get_username()
    return value


def _actor_label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else "sistema"


def _event(
    *, referral: Referral, actor: Any, action: str, from_state: str, to_state: str, note: str
) -> ReferralEvent:
    return ReferralEvent(
        referral=referral,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        note=note,
    )


def illegal_transition_error(from_state: str, to_state: str) -> ValidationFailed:
    allowed = sorted(str(state_label(s)).lower() for s in TRANSITIONS.get(from_state, ()))
    message = _("No se puede pasar una remisión de «%(from)s» a «%(to)s».") % {
        "from": state_label(from_state),
        "to": state_label(to_state),
    }
    if allowed:
        message += " " + _("Estados posibles: %(states)s.") % {"states": ", ".join(allowed)}
    else:
        message += " " + _("La remisión ya está cerrada.")
    return ValidationFailed({"state": [message]})


def _check_side(*, actor: Any, referral: Referral, action: str) -> None:
    if action in REVIEW_ACTIONS and not user_can_review_referrals(user=actor):
        raise PermissionDenied(_("Solo el equipo que revisa las remisiones puede hacer esto."))
    if action in PARTNER_ACTIONS and not user_can_act_as_partner(user=actor, referral=referral):
        raise PermissionDenied(_("Solo la entidad que recibe la remisión puede hacer esto."))


def _lock(*, actor: Any, referral: Referral) -> Referral:
    """The referral re-read under a row lock, through the access chokepoint (a user) or
    directly (the system, ``actor=None``)."""
    if actor is None:
        return (
            Referral.objects.select_for_update(of=("self",))
            .select_related("offer", "household")
            .get(pk=referral.pk)
        )
    return access_referral_by_id(user=actor, referral_id=referral.uuid, for_update=True)


def _apply(
    *,
    referral: Referral,
    actor: Any,
    action: str,
    to_state: str | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    check: Any = None,
) -> Referral:
    """Move one referral (or change its data when ``to_state`` is None) with its audit event
    and timeline entry, in one transaction. ``check(locked)`` validates against fresh data."""
    changes = dict(changes or {})
    with transaction.atomic():
        locked = _lock(actor=actor, referral=referral)
        if actor is not None:
            _check_side(actor=actor, referral=locked, action=action)
        from_state = locked.state
        target = to_state or from_state
        if to_state is not None and not transition_allowed(from_state, to_state):
            raise illegal_transition_error(from_state, target)
        if check is not None:
            check(locked)
        if target in TRANSITIONS and not TRANSITIONS[target]:
            changes.setdefault("closed_at", timezone.now())
        if note and target in REASON_REQUIRED:
            changes["closure_note"] = note
        before = {"state": from_state} | {k: _audit_value(getattr(locked, k)) for k in changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.state = target
        locked.save(update_fields=[*changes, "state", "updated_at"])
        audit_event_record(
            actor=actor,
            action=f"referral.{action}",
            object_type=AUDIT_OBJECT_TYPE,
            object_id=str(locked.uuid),
            before=before,
            after={"state": target} | {k: _audit_value(v) for k, v in changes.items()},
            message=f"{from_state} → {target}",
        )
        _uptake_changed([locked.territory_code])
        _event(
            referral=locked,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=target,
            note=note,
        ).save()
    referral.refresh_from_db()
    return locked


# --------------------------------------------------------------------------- proposals


@dataclass(frozen=True)
class ProposalOutcome:
    created: int
    already_present: int


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _resolve(model: Any, keys: set[str], *fields: str) -> dict[str, Any]:
    """Rows of ``model`` by the key given in the assignment rows: a uuid or a registry id.

    Only the identifiers (and ``fields``) are read: a run resolves thousands of rows."""
    found: dict[str, Any] = {}
    rows = model.objects.only("pk", "uuid", "registry_id", *fields)
    uuids = {key: as_uuid(key) for key in keys if as_uuid(key) is not None}
    by_uuid: dict[Any, Any] = {}
    for chunk in _chunks(sorted(set(uuids.values()), key=str)):
        by_uuid.update({row.uuid: row for row in rows.filter(uuid__in=chunk)})
    found.update({key: by_uuid[u] for key, u in uuids.items() if u in by_uuid})
    # Anything else (or a registry id that merely looks like a uuid) is a registry id.
    for chunk in _chunks(sorted(keys - found.keys())):
        found.update({row.registry_id: row for row in rows.filter(registry_id__in=chunk)})
    return found


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def referrals_propose_from_assignments(
    *, run: RoutingRun, rows: Iterable[Mapping[str, Any]], actor: Any | None
) -> ProposalOutcome:
    """Create one ``proposed`` referral per assignment row of ``run``; idempotent per run.

    Each row: ``household_id`` (uuid or registry id), ``offer_id`` (offer uuid),
    ``territory_code`` (DIVIPOLA), ``value`` and, for person-level offers, ``person_id`` (uuid
    or registry id of a member of that household). Every row is checked first; any bad row
    raises ValidationFailed naming the row and nothing is created. Rows already proposed by this
    run (same household, offer and person) are skipped. Writes one ReferralEvent per referral
    and one audit event for the run (creation is not a change of an existing referral).
    """
    rows = [dict(r) for r in rows]
    errors: list[str] = []
    household_keys = {_text(r.get("household_id")) for r in rows} - {""}
    person_keys = {_text(r.get("person_id")) for r in rows} - {""}
    offer_keys = {_text(r.get("offer_id")) for r in rows} - {""}
    households = _resolve(Household, household_keys)
    persons = _resolve(Person, person_keys, "household_id")
    offer_ids = [as_uuid(k) for k in offer_keys if as_uuid(k) is not None]
    offers = {
        str(o.pk): o for chunk in _chunks(offer_ids) for o in Service.objects.filter(pk__in=chunk)
    }
    planned: dict[tuple[int, Any, int | None], Referral] = {}
    for number, row in enumerate(rows, start=1):
        household = households.get(_text(row.get("household_id")))
        offer_key = _text(row.get("offer_id"))
        offer = offers.get(str(as_uuid(offer_key))) if as_uuid(offer_key) else None
        person_key = _text(row.get("person_id"))
        person = persons.get(person_key) if person_key else None
        territory = _text(row.get("territory_code"))
        problems = []
        if household is None:
            problems.append(_("hogar desconocido"))
        if offer is None:
            problems.append(_("oferta desconocida"))
        if person_key and (person is None or (household and person.household_id != household.pk)):
            problems.append(_("la persona no es integrante del hogar"))
        if not territory.isdigit() or len(territory) not in (2, 5):
            problems.append(_("código de territorio inválido"))
        try:
            value = Decimal(_text(row.get("value")) or "0")
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("valor inválido"))
            value = Decimal(0)
        if problems:
            errors.append(_("Asignación %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
            continue
        key = (household.pk, offer.pk, person.pk if person else None)
        planned.setdefault(
            key,
            Referral(
                household=household,
                person=person,
                offer=offer,
                routing_run=run,
                territory_code=territory,
                value=value,
                state=ReferralState.PROPOSED,
            ),
        )
    if errors:
        raise ValidationFailed({"rows": errors})
    with transaction.atomic():
        existing = set(
            Referral.objects.filter(routing_run=run).values_list(
                "household_id", "offer_id", "person_id"
            )
        )
        new = [ref for key, ref in planned.items() if key not in existing]
        created = Referral.objects.bulk_create(new, batch_size=_CHUNK)
        if any(ref.pk is None for ref in created):
            ids = dict(Referral.objects.filter(routing_run=run).values_list("uuid", "pk"))
            for ref in created:
                ref.pk = ids[ref.uuid]
        ReferralEvent.objects.bulk_create(
            (
                _event(
                    referral=ref,
                    actor=actor,
                    action="propose",
                    from_state="",
                    to_state=ReferralState.PROPOSED,
                    note="",
                )
                for ref in created
            ),
            batch_size=_CHUNK,
        )
        audit_event_record(
            actor=actor,
            action="referrals.propose",
            object_type="routing_run",
            object_id=str(run.uuid),
            after={"created": len(created), "already_present": len(planned) - len(created)},
            message=f"{len(created)} remisiones propuestas",
        )
    return ProposalOutcome(created=len(created), already_present=len(planned) - len(created))


# --------------------------------------------------------------------------- consent, approval


def _consent_check(method: str) -> None:
    if method not in ConsentMethod.values:
        raise ValidationFailed({"method": [_("Indique cómo se obtuvo el consentimiento.")]})


def referral_record_consent(*, referral: Referral, actor: Any, method: str) -> Referral:
    """Record that the household agreed to share its data with the offer's entity (Ley 1581).

    Only before the referral is sent. Recording it again changes nothing (and writes nothing).
    """
    _consent_check(method)

    def check(locked: Referral) -> None:
        if locked.state != ReferralState.PROPOSED:
            raise ValidationFailed(
                {"state": [_("El consentimiento se registra antes de enviar la remisión.")]}
            )

    if referral.consent_recorded_at is not None and referral.state == ReferralState.PROPOSED:
        return referral
    return _apply(
        referral=referral,
        actor=actor,
        action="consent",
        changes={
            "consent_recorded_at": timezone.now(),
            "consent_recorded_by": actor,
            "consent_method": method,
        },
        check=check,
    )


def _json(value: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail stores for ``value`` (dates and decimals as JSON text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _uptake_changed(territory_codes: Iterable[str]) -> None:
    """The territorial reading counts referrals by stage: refresh it after this commit."""
    from oferta.insights.freshness import insights_refresh_after_commit

    insights_refresh_after_commit(municipality_codes=territory_codes)


def _bulk_apply(
    *,
    locked: list[Referral],
    actor: Any,
    action: str,
    to_state: str,
    changes: dict[str, Any],
    context: Mapping[str, Any] | None = None,
) -> int:
    """The same change on many locked referrals, in the caller's transaction.

    Queries do not grow with the number of referrals beyond the insert and update batches:
    one UPDATE per chunk of :data:`_CHUNK` referrals, and the audit events and timeline entries
    written with ``bulk_create``. Every referral still gets its own audit event (before/after)
    and timeline entry; when more than one referral changes, one summary event
    ``referrals.<action>_bulk`` (object ``referral_batch``) records the bulk action, and each
    referral's event names that batch in ``after.batch``.
    """
    if not locked:
        return 0
    now = timezone.now()
    for chunk in _chunks([r.pk for r in locked]):
        Referral.objects.filter(pk__in=chunk).update(state=to_state, updated_at=now, **changes)
    batch = str(uuid.uuid4()) if len(locked) > 1 else None
    after = _json(
        {"state": to_state}
        | {k: _audit_value(v) for k, v in changes.items()}
        | ({"batch": batch} if batch else {})
    )
    _uptake_changed(r.territory_code for r in locked)
    audit_events_record_bulk(
        actor=actor,
        action=f"referral.{action}",
        object_type=AUDIT_OBJECT_TYPE,
        changes=(
            AuditChange(
                object_id=str(referral.uuid),
                before={"state": referral.state}
                | {k: _audit_value(getattr(referral, k)) for k in changes},
                after=after,
                message=f"{referral.state} → {to_state}",
            )
            for referral in locked
        ),
        batch_size=_CHUNK,
    )
    ReferralEvent.objects.bulk_create(
        (
            _event(
                referral=r,
                actor=actor,
                action=action,
                from_state=r.state,
                to_state=to_state,
                note="",
            )
            for r in locked
        ),
        batch_size=_CHUNK,
    )
    if batch:
        run_ids = {r.routing_run_id for r in locked} - {None}
        runs = sorted(
            str(u) for u in RoutingRun.objects.filter(pk__in=run_ids).values_list("uuid", flat=True)
        )
        audit_event_record(
            actor=actor,
            action=f"referrals.{action}_bulk",
            object_type="referral_batch",
            object_id=batch,
            before={"states": sorted({r.state for r in locked})},
            after={
                "state": to_state,
                "count": len(locked),
                "routing_runs": runs,
                **{k: str(v) for k, v in (context or {}).items() if v not in (None, "")},
            },
            message=f"{len(locked)} remisiones: {action}",
        )
    return len(locked)


def _locked_for_review(*, actor: Any, queryset: QuerySet[Referral]) -> list[Referral]:
    if not user_can_review_referrals(user=actor):
        raise PermissionDenied(_("Solo el equipo que revisa las remisiones puede hacer esto."))
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def _locked_given(*, actor: Any, referrals: Iterable[Referral]) -> list[Referral]:
    """The given referrals, locked, through the actor's scope (in chunks, so a list of tens of
    thousands stays within the database's parameter limits). ObjectNotFound if any is not
    visible to the actor."""
    if not user_can_review_referrals(user=actor):
        raise PermissionDenied(_("Solo el equipo que revisa las remisiones puede hacer esto."))
    pks = sorted({r.pk for r in referrals})
    visible = referrals_visible_to(user=actor)
    locked: list[Referral] = []
    for chunk in _chunks(pks):
        locked += _locked_for_review(actor=actor, queryset=visible.filter(pk__in=chunk))
    if len(locked) != len(pks):
        raise ObjectNotFound(_("La remisión no existe o no tiene acceso a ella."))
    return locked


def referrals_record_consent(*, actor: Any, referrals: Iterable[Referral], method: str) -> int:
    """Record consent on each proposed referral given (the caller fetched them through access);
    those that already have it are left alone. Returns how many were recorded."""
    _consent_check(method)
    with transaction.atomic():
        locked = _locked_given(actor=actor, referrals=referrals)
        if any(r.state != ReferralState.PROPOSED for r in locked):
            raise ValidationFailed(
                {"state": [_("El consentimiento se registra antes de enviar la remisión.")]}
            )
        pending = [r for r in locked if r.consent_recorded_at is None]
        return _bulk_apply(
            locked=pending,
            actor=actor,
            action="consent",
            to_state=ReferralState.PROPOSED,
            changes={
                "consent_recorded_at": timezone.now(),
                "consent_recorded_by": actor,
                "consent_method": method,
            },
        )


def referrals_record_consent_matching(
    *,
    actor: Any,
    run: RoutingRun,
    method: str,
    municipality_code: str | None = None,
    offer_id: Any = None,
    organization_id: Any = None,
) -> int:
    """Record consent on every proposed referral of ``run`` in the actor's scope that matches
    the filters and has none yet. Returns how many were recorded."""
    _consent_check(method)
    queryset = referrals_proposed_matching(
        user=actor,
        run=run,
        municipality_code=municipality_code,
        offer_id=offer_id,
        organization_id=organization_id,
    ).filter(consent_recorded_at__isnull=True)
    with transaction.atomic():
        locked = _locked_for_review(actor=actor, queryset=queryset)
        return _bulk_apply(
            locked=locked,
            actor=actor,
            action="consent",
            to_state=ReferralState.PROPOSED,
            changes={
                "consent_recorded_at": timezone.now(),
                "consent_recorded_by": actor,
                "consent_method": method,
            },
            context=_matching_context(
                municipality_code=municipality_code,
                offer_id=offer_id,
                organization_id=organization_id,
            ),
        )


def _matching_context(**filters: Any) -> dict[str, Any]:
    """The filters of a "matching" bulk action, for its summary audit event (codes and ids)."""
    return {f"filter_{k}": v for k, v in filters.items() if v not in (None, "")}


def _approve_locked(
    *,
    actor: Any,
    locked: list[Referral],
    due_in_days: int | None,
    context: Mapping[str, Any] | None = None,
) -> int:
    not_proposed = [r for r in locked if r.state != ReferralState.PROPOSED]
    if not_proposed:
        raise illegal_transition_error(not_proposed[0].state, ReferralState.REQUESTED)
    without = sum(1 for r in locked if r.consent_recorded_at is None)
    if without:
        raise ValidationFailed(
            {
                "consent": [
                    _(
                        "%(n)s remisiones no tienen registrado el consentimiento del hogar para "
                        "compartir sus datos con la entidad. Regístrelo antes de aprobar."
                    )
                    % {"n": without}
                    if without > 1
                    else _(
                        "La remisión no tiene registrado el consentimiento del hogar para "
                        "compartir sus datos con la entidad. Regístrelo antes de aprobar."
                    )
                ]
            }
        )
    days = referral_due_days() if due_in_days is None else due_in_days
    if days < 1:
        raise ValidationFailed({"due_in_days": [_("El plazo debe ser de al menos un día.")]})
    now = timezone.now()
    return _bulk_apply(
        locked=locked,
        actor=actor,
        action="approve",
        to_state=ReferralState.REQUESTED,
        changes={"approved_at": now, "approved_by": actor, "due_at": now + timedelta(days=days)},
        context=context,
    )


def referrals_approve(
    *, actor: Any, referrals: Iterable[Referral], due_in_days: int | None = None
) -> int:
    """Approve (send to the entity) the given proposed referrals: all or none.

    Each needs the household's consent; otherwise ValidationFailed and nothing is sent. Sets
    the due date ``due_in_days`` (default :func:`referral_due_days`) from now.
    """
    with transaction.atomic():
        locked = _locked_given(actor=actor, referrals=referrals)
        return _approve_locked(actor=actor, locked=locked, due_in_days=due_in_days)


def referral_approve(*, referral: Referral, actor: Any, due_in_days: int | None = None) -> Referral:
    """Approve one referral (see :func:`referrals_approve`)."""
    referrals_approve(actor=actor, referrals=[referral], due_in_days=due_in_days)
    referral.refresh_from_db()
    return referral


def referrals_approve_matching(
    *,
    actor: Any,
    run: RoutingRun,
    municipality_code: str | None = None,
    offer_id: Any = None,
    organization_id: Any = None,
    due_in_days: int | None = None,
) -> int:
    """Approve every proposed referral of ``run`` in the actor's scope that matches the
    filters (municipality of the household, offer, offer's entity): all or none, so if any of
    them lacks consent nothing is sent. Returns how many were approved."""
    queryset = referrals_proposed_matching(
        user=actor,
        run=run,
        municipality_code=municipality_code,
        offer_id=offer_id,
        organization_id=organization_id,
    )
    context = _matching_context(
        municipality_code=municipality_code, offer_id=offer_id, organization_id=organization_id
    )
    with transaction.atomic():
        locked = _locked_for_review(actor=actor, queryset=queryset)
        return _approve_locked(actor=actor, locked=locked, due_in_days=due_in_days, context=context)


# --------------------------------------------------------------------------- lifecycle


def _reason_changes(reason: str, note: str) -> dict[str, Any]:
    if reason not in ClosureReason.values:
        raise ValidationFailed({"reason": [_("Indique un motivo de la lista.")]})
    if reason == ClosureReason.OTHER and not note.strip():
        raise ValidationFailed({"note": [_("Describa el motivo en la observación.")]})
    return {"closure_success": False, "closure_reason": reason}


def _date_check(locked: Referral, *, enrolled_on: date | None, served_on: date | None) -> None:
    today = timezone.localdate()
    sent_on = timezone.localdate(locked.approved_at) if locked.approved_at else None
    for field, value in (("enrolled_on", enrolled_on), ("served_on", served_on)):
        if value is None:
            continue
        if value > today:
            raise ValidationFailed({field: [_("La fecha no puede ser posterior a hoy.")]})
        if sent_on and value < sent_on:
            raise ValidationFailed(
                {
                    field: [
                        _("La fecha no puede ser anterior al envío de la remisión (%(d)s).")
                        % {"d": sent_on.isoformat()}
                    ]
                }
            )
    if enrolled_on and served_on and served_on < enrolled_on:
        raise ValidationFailed(
            {"served_on": [_("La fecha de atención no puede ser anterior a la de inscripción.")]}
        )


def referral_receive(*, referral: Referral, actor: Any, note: str = "") -> Referral:
    """The entity acknowledges it received the referral."""
    return _apply(
        referral=referral, actor=actor, action="receive", to_state=ReferralState.RECEIVED, note=note
    )


def referral_accept(*, referral: Referral, actor: Any, note: str = "") -> Referral:
    """The entity accepts to attend the household."""
    return _apply(
        referral=referral,
        actor=actor,
        action="accept",
        to_state=ReferralState.ACCEPTED,
        changes={"accepted_at": timezone.now()},
        note=note,
    )


def referral_reject(*, referral: Referral, actor: Any, reason: str, note: str = "") -> Referral:
    """The entity declines the referral, with a reason (and a note when the reason is other)."""
    return _apply(
        referral=referral,
        actor=actor,
        action="reject",
        to_state=ReferralState.REJECTED,
        changes=_reason_changes(reason, note),
        note=note,
    )


def referral_start(*, referral: Referral, actor: Any, note: str = "") -> Referral:
    """The entity is working on the enrolment (also resumes a referral on hold)."""
    return _apply(
        referral=referral,
        actor=actor,
        action="start",
        to_state=ReferralState.IN_PROGRESS,
        note=note,
    )


def referral_hold(*, referral: Referral, actor: Any, note: str = "") -> Referral:
    """The entity pauses an accepted referral (e.g. the next cohort opens later)."""
    return _apply(
        referral=referral, actor=actor, action="hold", to_state=ReferralState.ON_HOLD, note=note
    )


def referral_complete(
    *,
    referral: Referral,
    actor: Any,
    enrolled_on: date | None,
    served_on: date | None = None,
    note: str = "",
) -> Referral:
    """Effective linkage: the entity confirms the enrolment (date required) and, if already
    given, the service (date). Dates may not be in the future nor before the referral was sent."""
    if enrolled_on is None:
        raise ValidationFailed({"enrolled_on": [_("Indique la fecha de inscripción.")]})
    return _apply(
        referral=referral,
        actor=actor,
        action="complete",
        to_state=ReferralState.COMPLETED,
        changes={"closure_success": True, "enrolled_on": enrolled_on, "served_on": served_on},
        note=note,
        check=lambda locked: _date_check(locked, enrolled_on=enrolled_on, served_on=served_on),
    )


def referral_record_service(
    *, referral: Referral, actor: Any, served_on: date | None, note: str = ""
) -> Referral:
    """The entity reports the service was delivered, on a completed (enrolled) referral."""
    if served_on is None:
        raise ValidationFailed({"served_on": [_("Indique la fecha de atención.")]})

    def check(locked: Referral) -> None:
        if locked.state != ReferralState.COMPLETED:
            raise ValidationFailed(
                {"state": [_("Primero confirme la inscripción (remisión completada).")]}
            )
        _date_check(locked, enrolled_on=locked.enrolled_on, served_on=served_on)

    return _apply(
        referral=referral,
        actor=actor,
        action="serve",
        changes={"served_on": served_on},
        note=note,
        check=check,
    )


def referral_fail(*, referral: Referral, actor: Any, reason: str, note: str = "") -> Referral:
    """The accepted referral did not end in enrolment, with the reason."""
    return _apply(
        referral=referral,
        actor=actor,
        action="fail",
        to_state=ReferralState.FAILED,
        changes=_reason_changes(reason, note),
        note=note,
    )


def referral_cancel(*, referral: Referral, actor: Any, reason: str, note: str = "") -> Referral:
    """The reviewing team withdraws the referral, with the reason."""
    return _apply(
        referral=referral,
        actor=actor,
        action="cancel",
        to_state=ReferralState.CANCELLED,
        changes=_reason_changes(reason, note),
        note=note,
    )


def referral_act(*, referral: Referral, actor: Any, action: str, **data: Any) -> Referral:
    """Dispatch a named action (pages, API, CSV) to its service with the data it needs."""
    note = data.get("note") or ""
    if action == "consent":
        return referral_record_consent(referral=referral, actor=actor, method=data.get("method"))
    if action == "approve":
        return referral_approve(referral=referral, actor=actor)
    if action in {"reject", "fail", "cancel"}:
        function = {"reject": referral_reject, "fail": referral_fail, "cancel": referral_cancel}
        return function[action](
            referral=referral, actor=actor, reason=data.get("reason") or "", note=note
        )
    if action == "complete":
        return referral_complete(
            referral=referral,
            actor=actor,
            enrolled_on=data.get("enrolled_on"),
            served_on=data.get("served_on"),
            note=note,
        )
    if action == "serve":
        return referral_record_service(
            referral=referral, actor=actor, served_on=data.get("served_on"), note=note
        )
    simple = {
        "receive": referral_receive,
        "accept": referral_accept,
        "start": referral_start,
        "hold": referral_hold,
    }
    if action not in simple:
        raise ValidationFailed({"action": [_("Acción desconocida.")]})
    return simple[action](referral=referral, actor=actor, note=note)


def actions_available(*, referral: Referral, user: Any) -> list[str]:
    """The actions ``user`` may take on ``referral`` now (to show buttons and forms)."""
    actions = []
    reviewer = user_can_review_referrals(user=user)
    partner = user_can_act_as_partner(user=user, referral=referral)
    if reviewer and referral.state == ReferralState.PROPOSED:
        actions.append("approve" if referral.consent_recorded_at else "consent")
    for target in sorted(TRANSITIONS.get(referral.state, ())):
        action = TARGET_ACTION[target]
        if action == "approve":
            continue
        if (action in REVIEW_ACTIONS and reviewer) or (action in PARTNER_ACTIONS and partner):
            actions.append(action)
    if partner and referral.state == ReferralState.COMPLETED and referral.served_on is None:
        actions.append("serve")
    return actions
