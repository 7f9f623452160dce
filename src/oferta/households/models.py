"""Registry households and persons, their stored IPM diagnostics, imports and the access log.

Rows are written in bulk by :mod:`oferta.households.loading` (COPY on PostgreSQL), so every
default that matters is set by the loader too: keep the two in step when adding a column.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oferta.engine.contracts import registry_v1 as contract
from oferta.engine.eligibility.variables import IPM_INDICATORS


def _choices(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, code) for code in codes]


class Zone(models.TextChoices):
    URBAN = "urban", _("Cabecera (urbana)")
    RURAL = "rural", _("Centros poblados y rural disperso")


class MonetaryStatus(models.TextChoices):
    EXTREME_POOR = "extreme_poor", _("Pobreza monetaria extrema")
    POOR = "poor", _("Pobreza monetaria")
    NOT_POOR = "not_poor", _("No pobre monetario")


class Quadrant(models.TextChoices):
    BOTH = "both", _("Pobre monetario y multidimensional")
    ONLY_MONETARY = "only_monetary", _("Solo pobre monetario")
    ONLY_MULTIDIMENSIONAL = "only_multidimensional", _("Solo pobre multidimensional")
    NEITHER = "neither", _("Ni pobre monetario ni multidimensional")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("En curso")
    SUCCEEDED = "succeeded", _("Terminada")
    FAILED = "failed", _("Fallida")


class RegistryImport(models.Model):
    """One load of a registry extract (households and persons files) and its outcome.

    Counts never hold personal data. ``rejects_path`` is the CSV of rejected rows (it does hold
    the offending cells, so it is served only to the roles that may import).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    households_file_name = models.CharField(_("archivo de hogares"), max_length=255)
    persons_file_name = models.CharField(_("archivo de personas"), max_length=255)
    status = models.CharField(
        _("estado"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    stage = models.CharField(_("etapa"), max_length=120, blank=True)
    as_of = models.DateField(_("fecha de referencia"))
    method_code = models.CharField(_("método IPM"), max_length=32)
    k = models.CharField(_("umbral k"), max_length=16, default="0.33")
    strict = models.BooleanField(_("modo estricto"), default=False)
    households_read = models.PositiveIntegerField(default=0)
    households_accepted = models.PositiveIntegerField(default=0)
    households_rejected = models.PositiveIntegerField(default=0)
    persons_read = models.PositiveIntegerField(default=0)
    persons_accepted = models.PositiveIntegerField(default=0)
    persons_rejected = models.PositiveIntegerField(default=0)
    households_removed = models.PositiveIntegerField(
        default=0, help_text="Households of the imported municipalities absent from the new file."
    )
    households_kept = models.PositiveIntegerField(
        default=0,
        help_text="Households absent from the new file newly flagged as out of the registry but "
        "kept because other records (referrals) point to them.",
    )
    municipality_codes = models.JSONField(default=list, blank=True)
    rejects_path = models.CharField(max_length=500, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("importación del registro")
        verbose_name_plural = _("importaciones del registro")

    def __str__(self) -> str:
        return f"{self.uuid} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)


class Household(models.Model):
    """A household of the registry with its housing facts and stored diagnostics.

    ``registry_id`` is the file's ``household_id`` and is unique: a registry is national (Sisbén
    IV, Registro Social de Hogares), so a later import updates the household in place and keeps
    its ``uuid``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registry_id = models.CharField(_("identificador en el registro"), max_length=64, unique=True)
    municipality_code = models.CharField(_("municipio (DIVIPOLA)"), max_length=5)
    department_code = models.CharField(_("departamento (DIVIPOLA)"), max_length=2)
    zone = models.CharField(_("zona"), max_length=8, choices=Zone.choices)
    sleeping_rooms = models.PositiveSmallIntegerField(_("cuartos para dormir"))
    water_source = models.CharField(
        _("fuente de agua"), max_length=32, choices=_choices(contract.WATER_SOURCES)
    )
    toilet = models.CharField(
        _("servicio sanitario"), max_length=32, choices=_choices(contract.TOILETS)
    )
    floor_material = models.CharField(
        _("material de pisos"), max_length=32, choices=_choices(contract.FLOOR_MATERIALS)
    )
    wall_material = models.CharField(
        _("material de paredes"), max_length=32, choices=_choices(contract.WALL_MATERIALS)
    )
    monthly_income = models.DecimalField(
        _("ingreso mensual (COP)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    sisben_group = models.CharField(_("grupo Sisbén IV"), max_length=4, blank=True)
    programs = models.JSONField(_("programas"), default=list, blank=True)
    accompaniment = models.BooleanField(_("acompañamiento familiar"), null=True, blank=True)
    size = models.PositiveSmallIntegerField(_("integrantes"), default=0)

    # Stored diagnostics (computed by the engine at import time, at ``as_of``).
    as_of = models.DateField(_("fecha de referencia"))
    method_code = models.CharField(_("método IPM"), max_length=32)
    k = models.CharField(_("umbral k"), max_length=16)
    score = models.DecimalField(_("puntaje IPM"), max_digits=6, decimal_places=4)
    score_units = models.IntegerField(_("puntaje IPM (unidades exactas)"))
    poor = models.BooleanField(_("pobre multidimensional"))
    income_per_capita = models.DecimalField(
        _("ingreso per cápita (COP)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    monetary_status = models.CharField(
        _("pobreza monetaria"), max_length=16, choices=MonetaryStatus.choices, blank=True
    )
    quadrant = models.CharField(_("cuadrante"), max_length=24, choices=Quadrant.choices, blank=True)
    diagnosed_at = models.DateTimeField(_("diagnosticado el"))
    registry_import = models.ForeignKey(
        RegistryImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    # False for a household that a later extract of its municipality no longer lists but that
    # is kept because other records (referrals) point to it; new routing runs leave it out.
    in_registry = models.BooleanField(_("en el registro"), default=True, db_default=True)
    left_registry_on = models.DateField(
        _("fuera del registro desde"),
        null=True,
        blank=True,
        help_text="Reference date of the first extract that no longer listed the household.",
    )

    # One flag per indicator code; null when the household's method does not use it.
    deprived_low_educational_attainment = models.BooleanField(null=True)
    deprived_illiteracy = models.BooleanField(null=True)
    deprived_school_non_attendance = models.BooleanField(null=True)
    deprived_school_lag = models.BooleanField(null=True)
    deprived_early_childhood_barriers = models.BooleanField(null=True)
    deprived_child_labour = models.BooleanField(null=True)
    deprived_long_term_unemployment = models.BooleanField(null=True)
    deprived_informal_work = models.BooleanField(null=True)
    deprived_no_health_insurance = models.BooleanField(null=True)
    deprived_health_access_barriers = models.BooleanField(null=True)
    deprived_no_improved_water = models.BooleanField(null=True)
    deprived_inadequate_sanitation = models.BooleanField(null=True)
    deprived_inadequate_floors = models.BooleanField(null=True)
    deprived_inadequate_walls = models.BooleanField(null=True)
    deprived_critical_overcrowding = models.BooleanField(null=True)
    deprived_high_economic_dependency = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("hogar")
        verbose_name_plural = _("hogares")
        indexes = [
            # Territorial scope filters (regional: department; municipal: municipality).
            models.Index(fields=["department_code", "municipality_code"], name="hh_territory"),
            models.Index(fields=["municipality_code"], name="hh_municipality"),
        ]

    def __str__(self) -> str:
        return str(self.uuid)

    def deprivations(self) -> dict[str, bool | None]:
        return {code: getattr(self, f"deprived_{code}") for code in IPM_INDICATORS}


DEPRIVATION_FIELDS: tuple[str, ...] = tuple(f"deprived_{code}" for code in IPM_INDICATORS)


class Person(models.Model):
    """A member of a registry household. Personal data (Ley 1581 de 2012): read only through
    :mod:`oferta.households.access`, never logged."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registry_id = models.CharField(_("identificador en el registro"), max_length=64, unique=True)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    document_type = models.CharField(
        _("tipo de documento"), max_length=8, choices=_choices(contract.DOCUMENT_TYPES)
    )
    document_number = models.CharField(_("número de documento"), max_length=32, db_index=True)
    first_names = models.CharField(_("nombres"), max_length=120)
    last_names = models.CharField(_("apellidos"), max_length=120)
    # Lower case, accent-free "first names last names", for prefix search by word.
    search_name = models.CharField(max_length=250)
    sex = models.CharField(_("sexo"), max_length=8, choices=_choices(contract.SEXES))
    birth_date = models.DateField(_("fecha de nacimiento"))
    relationship = models.CharField(
        _("parentesco"), max_length=16, choices=_choices(contract.RELATIONSHIPS)
    )
    ethnicity = models.CharField(
        _("autorreconocimiento étnico"), max_length=16, choices=_choices(contract.ETHNICITIES)
    )
    disability = models.BooleanField(_("discapacidad"))
    victim = models.BooleanField(_("víctima"))
    can_read_write = models.BooleanField(_("sabe leer y escribir"))
    years_of_schooling = models.PositiveSmallIntegerField(_("años de educación aprobados"))
    attends_school = models.BooleanField(_("asiste a educación"))
    activity = models.CharField(
        _("actividad"), max_length=16, choices=_choices(contract.ACTIVITIES)
    )
    unemployed_months = models.PositiveSmallIntegerField(null=True, blank=True)
    contributes_to_pension = models.BooleanField(_("cotiza a pensión"))
    receives_pension = models.BooleanField(_("recibe pensión"))
    health_insured = models.BooleanField(_("afiliado a salud"))
    health_need_last_30_days = models.BooleanField()
    health_need_attended = models.BooleanField(null=True)
    early_childhood_care_adequate = models.BooleanField(null=True)
    early_childhood_nutrition_adequate = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any
            # collation; other databases ignore opclasses.
            models.Index(
                fields=["search_name"], name="person_search_name", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class HouseholdAccessLog(models.Model):
    """One read of a household record by a person (Ley 1581 de 2012): who, when, which
    household (its uuid only), and through which page. Never holds names or documents."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="household_reads",
    )
    username = models.CharField(max_length=150)
    # Not a foreign key: the log outlives a household removed by a later import.
    household_uuid = models.UUIDField(db_index=True)
    purpose = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("consulta de hogar")
        verbose_name_plural = _("consultas de hogares")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.household_uuid}"
