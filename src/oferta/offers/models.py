"""The offer catalogue: HSDS 3.0 objects plus oferta's Colombian profile.

HSDS objects keep HSDS field names and UUID identifiers so that export and import are
field-for-field. Profile fields (entity level, sector, IPM indicators, populations,
differential approaches, channels, CEL eligibility rule, places per territory and period,
enrolment windows) are marked "profile" below.
"""

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _uuid_pk() -> models.UUIDField:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class EntityLevel(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    DEPARTMENTAL = "departmental", _("Departamental")
    MUNICIPAL = "municipal", _("Municipal")


class Sector(models.TextChoices):
    INCLUSION = "inclusion_social", _("Inclusión social y reconciliación")
    EDUCATION = "educacion", _("Educación")
    LABOUR = "trabajo", _("Trabajo")
    HEALTH = "salud", _("Salud y protección social")
    HOUSING = "vivienda", _("Vivienda, ciudad y territorio")
    AGRICULTURE = "agricultura", _("Agricultura y desarrollo rural")
    COMMERCE = "comercio", _("Comercio, industria y turismo")
    FINANCE = "hacienda", _("Hacienda y crédito público")
    ICT = "tic", _("Tecnologías de la información")
    CULTURE = "cultura", _("Cultura")
    DEFENCE = "defensa", _("Defensa")
    CIVIL_REGISTRY = "registro", _("Registro civil e identificación")
    TERRITORIAL = "territorial", _("Gobierno territorial")
    OTHER = "otro", _("Otro")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Activa")
    INACTIVE = "inactive", _("Inactiva")
    DEFUNCT = "defunct", _("Terminada")
    TEMPORARILY_CLOSED = "temporarily closed", _("Cerrada temporalmente")


class RuleScope(models.TextChoices):
    HOUSEHOLD = "household", _("Hogar")
    PERSON = "person", _("Persona")


class AreaScope(models.TextChoices):
    NATION = "nation", _("Todo el país")
    DEPARTMENT = "department", _("Departamento")
    MUNICIPALITY = "municipality", _("Municipio")


class Taxonomy(models.Model):
    id = _uuid_pk()
    name = models.CharField(_("nombre"), max_length=255)
    description = models.TextField(_("descripción"))
    uri = models.CharField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomía")
        verbose_name_plural = _("taxonomías")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = _uuid_pk()
    code = models.CharField(_("código"), max_length=120, blank=True)
    name = models.CharField(_("nombre"), max_length=255)
    description = models.TextField(_("descripción"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    taxonomy = models.CharField(max_length=255, blank=True)  # HSDS free-text taxonomy name
    taxonomy_detail = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="terms"
    )
    language = models.CharField(max_length=20, blank=True)
    term_uri = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("término de taxonomía")
        verbose_name_plural = _("términos de taxonomía")
        ordering = ["taxonomy", "code", "name"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A partner entity (HSDS organization) with its level, sector and territory (profile)."""

    id = _uuid_pk()
    name = models.CharField(_("nombre"), max_length=255)
    alternate_name = models.CharField(_("sigla o nombre alterno"), max_length=255, blank=True)
    description = models.TextField(_("descripción"))
    email = models.EmailField(_("correo"), blank=True)
    website = models.CharField(_("sitio web"), max_length=500, blank=True)
    tax_status = models.CharField(max_length=120, blank=True)
    tax_id = models.CharField(_("NIT"), max_length=60, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(_("naturaleza jurídica"), max_length=255, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # profile
    level = models.CharField(
        _("orden"), max_length=16, choices=EntityLevel.choices, default=EntityLevel.NATIONAL
    )
    sector = models.CharField(
        _("sector"), max_length=32, choices=Sector.choices, default=Sector.OTHER
    )
    territory_code = models.CharField(
        _("territorio (DIVIPOLA)"),
        max_length=5,
        blank=True,
        help_text=_("Departamento o municipio de una entidad territorial."),
    )
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=120, blank=True)
    identifier_type = models.CharField(max_length=120)
    identifier = models.CharField(max_length=255)


class Program(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(_("nombre"), max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(_("descripción"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("programa")
        verbose_name_plural = _("programas")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An offer: a program or service of an entity (HSDS service) with the Colombian profile."""

    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    name = models.CharField(_("nombre"), max_length=255)
    alternate_name = models.CharField(_("nombre alterno"), max_length=255, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    status = models.CharField(
        _("estado"), max_length=24, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(_("cómo acceder"), blank=True)
    fees_description = models.TextField(_("costos"), blank=True)
    wait_time = models.CharField(max_length=255, blank=True)
    fees = models.CharField(max_length=255, blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(_("requisitos"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("edad mínima"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("edad máxima"), null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    licenses = models.TextField(blank=True)
    alert = models.TextField(_("alerta"), blank=True)
    last_modified = models.DateTimeField(_("última modificación"), null=True, blank=True)
    # profile
    ipm_indicators = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="services_closing",
        verbose_name=_("privaciones IPM y condición monetaria que atiende"),
    )
    target_populations = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="services_for_population",
        verbose_name=_("población objetivo"),
    )
    differential_approaches = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="services_with_approach",
        verbose_name=_("enfoques diferenciales"),
    )
    channels = models.ManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="services_by_channel",
        verbose_name=_("canales de atención"),
    )
    eligibility_rule = models.TextField(
        _("regla de elegibilidad (CEL)"),
        blank=True,
        help_text=_("Expresión CEL sobre las variables documentadas del hogar y sus integrantes."),
    )
    eligibility_scope = models.CharField(
        _("se dirige a"),
        max_length=16,
        choices=RuleScope.choices,
        default=RuleScope.HOUSEHOLD,
        help_text=_("Si la regla se evalúa para el hogar o para cada persona del hogar."),
    )
    eligibility_rule_description = models.TextField(_("descripción de la regla"), blank=True)
    legal_basis = models.TextField(_("fundamento legal"), blank=True)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("oferta")
        verbose_name_plural = _("ofertas")

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """Where an offer is available: the nation, a department or a municipality (DIVIPOLA)."""

    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("nombre"), max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=32, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    # profile
    scope = models.CharField(
        _("alcance"), max_length=16, choices=AreaScope.choices, default=AreaScope.MUNICIPALITY
    )
    divipola_code = models.CharField(_("código DIVIPOLA"), max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("área de servicio")
        verbose_name_plural = _("áreas de servicio")


class Slot(models.Model):
    """Places (cupos) of an offer in a territory for a period (profile)."""

    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    territory_code = models.CharField(
        _("territorio (DIVIPOLA)"),
        max_length=5,
        db_index=True,
        help_text=_("Código de departamento (2) o municipio (5)."),
    )
    period_start = models.DateField(_("desde"))
    period_end = models.DateField(_("hasta"))
    places = models.PositiveIntegerField(_("cupos"), validators=[MinValueValidator(0)])
    notes = models.CharField(_("notas"), max_length=255, blank=True)

    class Meta:
        ordering = ["territory_code", "period_start"]
        verbose_name = _("cupo")
        verbose_name_plural = _("cupos")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "territory_code", "period_start"],
                name="slot_unique_per_territory_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="slot_period_ordered",
            ),
        ]


class EnrolmentWindow(models.Model):
    """A period in which people can apply to an offer (profile)."""

    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="enrolment_windows")
    opens_on = models.DateField(_("abre"))
    closes_on = models.DateField(_("cierra"))
    territory_code = models.CharField(_("territorio (DIVIPOLA)"), max_length=5, blank=True)
    description = models.CharField(_("descripción"), max_length=255, blank=True)

    class Meta:
        ordering = ["opens_on"]
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="enrolment_window_ordered",
            ),
        ]


class Location(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(max_length=16, default="physical")
    url = models.CharField(max_length=500, blank=True)
    name = models.CharField(_("nombre"), max_length=255, blank=True)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    external_identifier = models.CharField(max_length=255, blank=True)
    external_identifier_type = models.CharField(max_length=255, blank=True)
    # profile
    municipality_code = models.CharField(_("municipio (DIVIPOLA)"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedes")

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceAtLocation(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description = models.TextField(blank=True)


class Address(models.Model):
    id = _uuid_pk()
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses"
    )
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=255)
    region = models.CharField(max_length=255, blank=True)
    state_province = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=60)
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=16)


class Schedule(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.IntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.IntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=10, blank=True)
    interval = models.IntegerField(null=True, blank=True)
    byday = models.CharField(max_length=60, blank=True)
    byweekno = models.CharField(max_length=60, blank=True)
    bymonthday = models.CharField(max_length=60, blank=True)
    byyearday = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.CharField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)


class CostOption(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)


class RequiredDocument(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="required_documents"
    )
    document = models.TextField(_("documento"))
    uri = models.CharField(max_length=500, blank=True)


class Contact(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("nombre"), max_length=255, blank=True)
    title = models.CharField(_("cargo"), max_length=255, blank=True)
    department = models.CharField(_("dependencia"), max_length=255, blank=True)
    email = models.EmailField(_("correo"), blank=True)


class Phone(models.Model):
    id = _uuid_pk()
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("número"), max_length=60)
    extension = models.IntegerField(null=True, blank=True)
    type = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)


class Language(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)


class Funding(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.TextField(blank=True)


class Accessibility(models.Model):
    id = _uuid_pk()
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="accessibility"
    )
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)


class Attribute(models.Model):
    """An HSDS attribute: a taxonomy term attached to any HSDS object (generic link)."""

    id = _uuid_pk()
    link_id = models.CharField(max_length=64, db_index=True)
    link_type = models.CharField(max_length=120, blank=True)
    link_entity = models.CharField(max_length=64, blank=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="attributes"
    )
    value = models.TextField(blank=True)


class FieldChange(models.Model):
    """Field-level change log of catalogue objects (HSDS ``metadata``)."""

    id = _uuid_pk()
    resource_id = models.CharField(max_length=64, db_index=True)
    resource_type = models.CharField(max_length=64)
    last_action_date = models.DateTimeField(db_index=True)
    last_action_type = models.CharField(max_length=16)  # create | update | delete
    field_name = models.CharField(max_length=120)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-last_action_date", "field_name"]
        verbose_name = _("cambio de campo")
        verbose_name_plural = _("cambios de campos")
