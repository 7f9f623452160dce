"""Precomputed territorial aggregates (refreshed when a registry import or a routing run ends)
and the institutional-capacity scores users upload for prioritisation.

Aggregates are stored per municipality; departments and the nation are sums of their
municipalities, so one refresh keeps every level consistent. No personal data is stored here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalRegistrySummary(models.Model):
    """Registry totals of one municipality (households and persons, poverty conditions)."""

    municipality_code = models.CharField(_("municipio (DIVIPOLA)"), max_length=5, unique=True)
    department_code = models.CharField(_("departamento (DIVIPOLA)"), max_length=2, db_index=True)
    households = models.PositiveIntegerField(_("hogares"), default=0)
    persons = models.PositiveIntegerField(_("personas"), default=0)
    households_poor = models.PositiveIntegerField(
        _("hogares en pobreza multidimensional"), default=0
    )
    persons_poor = models.PositiveIntegerField(_("personas en pobreza multidimensional"), default=0)
    households_monetary_poor = models.PositiveIntegerField(
        _("hogares en pobreza monetaria"), default=0
    )
    households_extreme_poor = models.PositiveIntegerField(
        _("hogares en pobreza monetaria extrema"), default=0
    )
    households_double_condition = models.PositiveIntegerField(
        _("hogares en doble condición"), default=0
    )
    registry_as_of = models.DateField(_("fecha de referencia del registro"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("actualizado el"))

    class Meta:
        verbose_name = _("resumen municipal del registro")
        verbose_name_plural = _("resúmenes municipales del registro")


class MunicipalIndicatorGap(models.Model):
    """Need, supply and uptake of one municipality for one IPM indicator.

    need: households (and their persons) deprived in the indicator; supply: places of active
    offers that close the indicator, in the municipality itself and in its department's pools;
    uptake: referrals of deprived households of the municipality to offers closing the
    indicator that reached each funnel stage; unmet need: deprived poor households the latest
    successful routing run covering the municipality left without such an offer.
    """

    municipality_code = models.CharField(_("municipio (DIVIPOLA)"), max_length=5)
    department_code = models.CharField(_("departamento (DIVIPOLA)"), max_length=2, db_index=True)
    indicator = models.CharField(_("indicador IPM"), max_length=48)
    households_deprived = models.PositiveIntegerField(_("hogares con la privación"), default=0)
    households_deprived_poor = models.PositiveIntegerField(
        _("hogares pobres con la privación"), default=0
    )
    persons_deprived = models.PositiveIntegerField(
        _("personas en hogares con la privación"), default=0
    )
    offers = models.PositiveIntegerField(_("ofertas que la atienden"), default=0)
    places_municipal = models.PositiveIntegerField(_("cupos en el municipio"), default=0)
    places_department = models.PositiveIntegerField(
        _("cupos departamentales disponibles"), default=0
    )
    referred = models.PositiveIntegerField(_("remitidos"), default=0)
    accepted = models.PositiveIntegerField(_("aceptados"), default=0)
    enrolled = models.PositiveIntegerField(_("vinculados"), default=0)
    served = models.PositiveIntegerField(_("atendidos"), default=0)
    unmet_need = models.PositiveIntegerField(_("necesidad no cubierta"), null=True, blank=True)
    routing_run_uuid = models.UUIDField(null=True, blank=True)
    refreshed_at = models.DateTimeField(_("actualizado el"))

    class Meta:
        verbose_name = _("brecha municipal por indicador")
        verbose_name_plural = _("brechas municipales por indicador")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code", "indicator"], name="gap_unique_per_indicator"
            )
        ]
        indexes = [models.Index(fields=["indicator", "department_code"], name="gap_indicator")]


class CapacityUpload(models.Model):
    """One CSV of institutional-capacity scores uploaded by a user (kept for provenance)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("archivo"), max_length=255)
    source = models.CharField(_("fuente"), max_length=255)
    rows = models.PositiveIntegerField(_("filas"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("cargado el"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("carga de capacidad institucional")
        verbose_name_plural = _("cargas de capacidad institucional")


class InstitutionalCapacity(models.Model):
    """The current institutional-capacity score (0–100) of a municipality, from the latest upload
    that named it."""

    municipality_code = models.CharField(_("municipio (DIVIPOLA)"), max_length=5, unique=True)
    score = models.DecimalField(_("puntaje"), max_digits=6, decimal_places=2)
    upload = models.ForeignKey(CapacityUpload, on_delete=models.CASCADE, related_name="scores")

    class Meta:
        verbose_name = _("capacidad institucional")
        verbose_name_plural = _("capacidades institucionales")
