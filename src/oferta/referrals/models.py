"""Routing runs, the referrals they propose, and each referral's state-change timeline.

A referral holds personal data only by reference (household, person): read it through
:mod:`oferta.referrals.access`, never log it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .states import ClosureReason, ConsentMethod, ReferralState


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("En curso")
    SUCCEEDED = "succeeded", _("Terminada")
    FAILED = "failed", _("Fallida")


class RoutingRun(models.Model):
    """One routing run: eligibility + allocation over a scope, stored so it can be reproduced.

    Filled by the routing job (engine/allocation); the referrals app only reads it and hangs
    the proposed referrals on it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nombre"), max_length=120, blank=True)
    scope = models.JSONField(
        _("territorios (DIVIPOLA)"), default=list, blank=True, help_text="Territory codes."
    )
    parameters = models.JSONField(
        _("parámetros"), default=dict, blank=True, help_text="K, k, policy, rule versions."
    )
    inputs_summary = models.JSONField(_("resumen de entradas"), default=dict, blank=True)
    status = models.CharField(
        _("estado"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    stage = models.CharField(_("etapa"), max_length=120, blank=True)
    solver_status = models.CharField(_("estado del optimizador"), max_length=40, blank=True)
    verifier_result = models.JSONField(_("resultado del verificador"), default=dict, blank=True)
    objective = models.FloatField(_("valor objetivo"), null=True, blank=True)
    greedy_objective = models.FloatField(_("valor objetivo voraz"), null=True, blank=True)
    places_filled = models.PositiveIntegerField(_("cupos asignados"), null=True, blank=True)
    households_reached = models.PositiveIntegerField(_("hogares alcanzados"), null=True, blank=True)
    unfilled_places = models.JSONField(
        _("cupos sin asignar"),
        default=list,
        blank=True,
        help_text="offer_id, territory_code, period, places, filled, unfilled (> 0 only).",
    )
    unmet_need = models.JSONField(
        _("necesidad no cubierta"),
        default=list,
        blank=True,
        help_text="indicator, municipality_code, households_in_need, covered, unmet.",
    )
    error_message = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routing_runs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("corrida de focalización")
        verbose_name_plural = _("corridas de focalización")

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        return self.name or f"{_('Corrida')} {when}".strip()


class Referral(models.Model):
    """A household (or one of its members, for person-level offers) referred to an offer.

    States: :class:`~oferta.referrals.states.ReferralState` (FHIR SDOH task states plus
    ``proposed``). Milestones are timestamps so the linkage funnel counts what happened even
    after a later state: ``approved_at`` (sent), ``accepted_at``, ``enrolled_on``, ``served_on``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(
        "households.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="Only for offers aimed at a person.",
    )
    offer = models.ForeignKey("offers.Service", on_delete=models.PROTECT, related_name="referrals")
    routing_run = models.ForeignKey(
        RoutingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    territory_code = models.CharField(_("territorio (DIVIPOLA)"), max_length=5)
    value = models.DecimalField(_("valor"), max_digits=14, decimal_places=4, default=0)
    state = models.CharField(
        _("estado"),
        max_length=16,
        choices=ReferralState.choices,
        default=ReferralState.PROPOSED,
        db_index=True,
    )
    due_at = models.DateTimeField(_("fecha límite"), null=True, blank=True, db_index=True)

    consent_recorded_at = models.DateTimeField(_("consentimiento registrado"), null=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_method = models.CharField(
        _("forma del consentimiento"), max_length=16, choices=ConsentMethod.choices, blank=True
    )
    approved_at = models.DateTimeField(_("aprobada (enviada)"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("aceptada"), null=True, blank=True)

    # Closure (FHIR SDOH): success, reason when not, enrolment and service dates.
    closure_success = models.BooleanField(_("vinculación exitosa"), null=True, blank=True)
    closure_reason = models.CharField(
        _("motivo"), max_length=32, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("observación"), blank=True)
    enrolled_on = models.DateField(_("fecha de inscripción"), null=True, blank=True)
    served_on = models.DateField(_("fecha de atención"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("remisión")
        verbose_name_plural = _("remisiones")
        constraints = [
            # Proposing from the same run twice must not duplicate (idempotent per run).
            models.UniqueConstraint(
                fields=["routing_run", "household", "offer"],
                condition=Q(person__isnull=True, routing_run__isnull=False),
                name="referral_unique_household_offer_per_run",
            ),
            models.UniqueConstraint(
                fields=["routing_run", "household", "offer", "person"],
                condition=Q(person__isnull=False, routing_run__isnull=False),
                name="referral_unique_person_offer_per_run",
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "state"], name="referral_offer_state"),
            models.Index(fields=["routing_run", "state"], name="referral_run_state"),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class ReferralEvent(models.Model):
    """One entry of a referral's timeline: a state change (or a change of its data, with the
    same state on both sides). The audit trail keeps the before/after; this is what the
    pages show."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("evento de remisión")
        verbose_name_plural = _("eventos de remisión")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.from_state}→{self.to_state}"
