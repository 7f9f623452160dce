"""DIVIPOLA territory (2018 geography) and official figures with their source and release."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("código DIVIPOLA"), max_length=2, primary_key=True)
    name = models.CharField(_("nombre"), max_length=120)
    area_km2 = models.DecimalField(
        _("área (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipal unit of DIVIPOLA 2018: a municipality or an área no municipalizada."""

    code = models.CharField(_("código DIVIPOLA"), max_length=5, primary_key=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities"
    )
    name = models.CharField(_("nombre"), max_length=120)
    area_km2 = models.DecimalField(
        _("área (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    creation_act = models.CharField(_("acto de creación"), max_length=200, blank=True)
    is_pdet = models.BooleanField(_("PDET"), default=False)
    pdet_subregion = models.CharField(_("subregión PDET"), max_length=120, blank=True)
    # 20 units of 2018 in Amazonas, Guainía and Vaupés have no cabecera municipal and no
    # municipal government; DANE ranks municipalities without them.
    is_non_municipalized = models.BooleanField(_("área no municipalizada"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")

    def __str__(self) -> str:
        return f"{self.name} ({self.department.name})"


class DataSource(models.Model):
    """Where a set of figures comes from: publisher, document and release date."""

    code = models.SlugField(_("código"), max_length=80, unique=True)
    title = models.CharField(_("título"), max_length=255)
    publisher = models.CharField(_("entidad que publica"), max_length=120, default="DANE")
    release_date = models.DateField(_("fecha de publicación"), null=True, blank=True)
    file_name = models.CharField(_("archivo"), max_length=255, blank=True)
    url = models.URLField(_("dirección"), blank=True)
    notes = models.TextField(_("notas"), blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("fuente")
        verbose_name_plural = _("fuentes")

    def __str__(self) -> str:
        return self.title


class TerritoryLevel(models.TextChoices):
    NATION = "nation", _("Nación")
    REGION = "region", _("Región")
    DEPARTMENT = "department", _("Departamento")
    MUNICIPALITY = "municipality", _("Municipio")


class Zone(models.TextChoices):
    TOTAL = "total", _("Total")
    URBAN = "urban", _("Cabeceras")
    RURAL = "rural", _("Centros poblados y rural disperso")


class Figure(models.Model):
    """One published figure: a value of an indicator for a territory, zone and year.

    ``territory_code`` is the DIVIPOLA code ("05", "05001"), "CO" for the nation, or the
    region's name for DANE's regions. Values are kept as published (percent or COP).
    """

    territory_level = models.CharField(max_length=16, choices=TerritoryLevel.choices)
    territory_code = models.CharField(max_length=40, db_index=True)
    indicator = models.CharField(_("indicador"), max_length=64, db_index=True)
    zone = models.CharField(_("zona"), max_length=8, choices=Zone.choices, default=Zone.TOTAL)
    year = models.PositiveSmallIntegerField(_("año"))
    value = models.DecimalField(_("valor"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unidad"), max_length=16, default="percent")
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="figures")

    class Meta:
        verbose_name = _("cifra")
        verbose_name_plural = _("cifras")
        constraints = [
            models.UniqueConstraint(
                fields=["territory_level", "territory_code", "indicator", "zone", "year", "source"],
                name="figure_unique_per_source",
            )
        ]
        indexes = [models.Index(fields=["indicator", "year", "territory_level"])]

    def __str__(self) -> str:
        return f"{self.territory_code} {self.indicator} {self.zone} {self.year}: {self.value}"
