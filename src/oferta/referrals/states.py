"""Referral states (HL7 FHIR SDOH task lifecycle), closure reasons and the legal transitions.

``proposed`` is not a FHIR task state: it is oferta's state of a referral that a routing run
suggested and that nobody has approved yet. Partners never see it. Approval sends the referral
to the partner entity (FHIR ``requested``); from there the states are FHIR's.

The transition table is the single source of truth for which moves are legal; services, the
partner CSV and the pages all ask :func:`transition_allowed`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralState(models.TextChoices):
    PROPOSED = "proposed", _("Propuesta")
    REQUESTED = "requested", _("Enviada")
    RECEIVED = "received", _("Recibida")
    ACCEPTED = "accepted", _("Aceptada")
    REJECTED = "rejected", _("Rechazada")
    IN_PROGRESS = "in-progress", _("En gestión")
    ON_HOLD = "on-hold", _("En pausa")
    COMPLETED = "completed", _("Completada (vinculada)")
    FAILED = "failed", _("Fallida")
    CANCELLED = "cancelled", _("Cancelada")


class ClosureReason(models.TextChoices):
    CLIENT_REFUSED = "client_refused", _("El hogar no aceptó")
    NO_CAPACITY = "no_capacity", _("Sin cupos")
    HOUSEHOLD_UNREACHABLE = "household_unreachable", _("No se pudo contactar al hogar")
    ENTITY_UNREACHABLE = "entity_unreachable", _("No se pudo contactar a la entidad")
    NO_LONGER_NEEDED = "no_longer_needed", _("Ya no lo necesita")
    NOT_ELIGIBLE = "not_eligible", _("No cumple requisitos")
    OTHER = "other", _("Otro")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Por escrito (formato firmado)")
    VERBAL = "verbal", _("Verbal, registrada por el funcionario")
    DIGITAL = "digital", _("Aceptación digital")


S = ReferralState

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.REQUESTED, S.CANCELLED}),
    S.REQUESTED: frozenset({S.RECEIVED, S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.FAILED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.ON_HOLD, S.COMPLETED, S.FAILED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.IN_PROGRESS, S.COMPLETED, S.FAILED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}
"""state → the states it may move to. Terminal states move nowhere."""

CLOSED_STATES: frozenset[str] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
"""Closed referrals: never overdue, closure data filled."""

PARTNER_VISIBLE_STATES: frozenset[str] = frozenset(TRANSITIONS) - {S.PROPOSED}
"""Partners see a referral only once it was sent to them."""

REASON_REQUIRED: frozenset[str] = frozenset({S.REJECTED, S.FAILED, S.CANCELLED})
"""Closing without success needs a reason (and a note when the reason is "other")."""


def transition_allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def state_label(state: str) -> str:
    try:
        return str(ReferralState(state).label)
    except ValueError:
        return state
