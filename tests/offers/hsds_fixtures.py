"""Catalogue fixtures for the HSDS tests: a rich catalogue with every model and field set."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from oferta.offers import models as m
from oferta.offers.taxonomies import APPROACHES, CHANNELS, IPM, POPULATIONS, taxonomies_ensure

UTC = dt.UTC


def term(taxonomy, code: str) -> m.TaxonomyTerm:
    return m.TaxonomyTerm.objects.get(id=taxonomy.term_id(code))


@dataclass
class Catalogue:
    organization: m.Organization
    service: m.Service
    other_service: m.Service
    location: m.Location
    service_at_location: m.ServiceAtLocation
    custom_term: m.TaxonomyTerm


def service_make(organization: m.Organization | None = None, **fields) -> m.Service:
    """A minimal service (for list and filter tests)."""
    fields.setdefault("name", f"Oferta {uuid.uuid4().hex[:6]}")
    return m.Service.objects.create(organization=organization, **fields)


def organization_make(**fields) -> m.Organization:
    fields.setdefault("name", f"Entidad {uuid.uuid4().hex[:6]}")
    fields.setdefault("description", "Entidad de prueba")
    return m.Organization.objects.create(**fields)


def catalogue_rich() -> Catalogue:
    """Every HSDS object and every profile field, with ids as an export would carry them."""
    taxonomies_ensure()
    parent_org = organization_make(name="Ministerio de Prueba", level="national", sector="trabajo")
    org = m.Organization.objects.create(
        name="Prosperidad Social",
        alternate_name="DPS",
        description="Departamento Administrativo para la Prosperidad Social",
        email="contacto@prosperidadsocial.gov.co",
        website="https://prosperidadsocial.gov.co",
        tax_status="Entidad pública",
        tax_id="900039533",
        year_incorporated=2011,
        legal_status="Departamento administrativo",
        logo="https://prosperidadsocial.gov.co/logo.png",
        uri="https://prosperidadsocial.gov.co/entidad",
        parent_organization=parent_org,
        level="departmental",
        sector="inclusion_social",
        territory_code="05",
        is_demo=True,
    )
    m.OrganizationIdentifier.objects.create(
        organization=org, identifier_scheme="CO-NIT", identifier_type="NIT", identifier="900039533"
    )
    program = m.Program.objects.create(
        organization=org,
        name="Programa de inclusión productiva",
        alternate_name="Inclusión productiva",
        description="Programas para la generación de ingresos",
    )
    m.Funding.objects.create(organization=org, source="Presupuesto General de la Nación")
    org_contact = m.Contact.objects.create(
        organization=org,
        name="Mesa de ayuda",
        title="Atención al ciudadano",
        department="Servicio al ciudadano",
        email="ayuda@prosperidadsocial.gov.co",
    )
    contact_phone = m.Phone.objects.create(
        contact=org_contact,
        organization=org,
        number="+57 601 5960800",
        extension=123,
        type="voice",
        description="Línea nacional",
    )
    m.Language.objects.create(phone=contact_phone, name="Español", code="es", note="Siempre")

    location = m.Location.objects.create(
        organization=org,
        location_type="physical",
        url="https://prosperidadsocial.gov.co/sedes/medellin",
        name="Sede Medellín",
        alternate_name="Regional Antioquia",
        description="Sede regional",
        transportation="Metro estación Parque Berrío",
        latitude=Decimal("6.251840"),
        longitude=Decimal("-75.563590"),
        external_identifier="SEDE-05001",
        external_identifier_type="interno",
        municipality_code="05001",
    )
    m.Address.objects.create(
        location=location,
        attention="Recepción",
        address_1="Calle 50 # 51-00",
        address_2="Piso 3",
        city="Medellín",
        region="Valle de Aburrá",
        state_province="Antioquia",
        postal_code="050010",
        country="CO",
        address_type="physical",
    )
    m.Accessibility.objects.create(
        location=location,
        description="Rampa de acceso",
        details="Ascensor hasta el piso 3",
        url="https://prosperidadsocial.gov.co/accesibilidad",
    )
    m.Language.objects.create(location=location, name="Español", code="es")
    location_phone = m.Phone.objects.create(location=location, number="+57 604 4440000")
    m.Contact.objects.create(location=location, name="Coordinación regional")
    m.Schedule.objects.create(
        location=location, byday="MO,TU,WE,TH,FR", freq="WEEKLY", opens_at=dt.time(8, 0)
    )

    service = m.Service.objects.create(
        organization=org,
        program=program,
        name="Renta Ciudadana",
        alternate_name="Transferencias monetarias",
        description="Transferencias monetarias condicionadas y no condicionadas",
        url="https://prosperidadsocial.gov.co/renta-ciudadana",
        email="renta@prosperidadsocial.gov.co",
        status="active",
        interpretation_services="Intérpretes de lengua de señas",
        application_process="Focalización por Sisbén IV",
        fees_description="Gratuito",
        wait_time="30 días",
        fees="Ninguno",
        accreditations="Ninguna",
        eligibility_description="Hogares en pobreza extrema",
        minimum_age=0,
        maximum_age=120,
        assured_date=dt.date(2025, 1, 15),
        assurer_email="calidad@prosperidadsocial.gov.co",
        licenses="Ley 2294 de 2023",
        alert="Pagos en curso",
        last_modified=dt.datetime(2025, 2, 1, 10, 30, 45, 123000, tzinfo=UTC),
        eligibility_rule='household.sisben_group == "A"',
        eligibility_scope="person",
        eligibility_rule_description="Hogares del grupo A del Sisbén",
        legal_basis="Ley 2294 de 2023, artículo 65",
        is_demo=True,
    )
    service.ipm_indicators.set([term(IPM, "illiteracy"), term(IPM, "monetary_poverty")])
    service.target_populations.set([term(POPULATIONS, "hogares")])
    service.differential_approaches.set([term(APPROACHES, "victimas")])
    service.channels.set([term(CHANNELS, "presencial"), term(CHANNELS, "virtual")])
    m.ServiceArea.objects.create(
        service=service,
        name="Antioquia",
        description="Todo el departamento",
        extent="{}",
        extent_type="geojson",
        uri="https://example.org/areas/05",
        scope="department",
        divipola_code="05",
    )
    m.Slot.objects.create(
        service=service,
        territory_code="05001",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        places=1200,
        notes="Cupos 2025",
    )
    m.Slot.objects.create(
        service=service,
        territory_code="05",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        places=0,
    )
    m.EnrolmentWindow.objects.create(
        service=service,
        opens_on=dt.date(2025, 3, 1),
        closes_on=dt.date(2025, 3, 31),
        territory_code="05",
        description="Primera convocatoria",
    )
    m.CostOption.objects.create(
        service=service,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        option="Tarifa única",
        currency="COP",
        amount=Decimal("12500.50"),
        amount_description="por sesión",
    )
    m.RequiredDocument.objects.create(
        service=service, document="Documento de identidad", uri="https://example.org/doc"
    )
    m.Funding.objects.create(service=service, organization=org, source="Crédito BID")
    m.Language.objects.create(service=service, name="Wayuunaiki", code="guc", note="Con intérprete")
    service_phone = m.Phone.objects.create(service=service, number="018000951100", type="voice")
    m.Contact.objects.create(service=service, name="Coordinadora Renta", email="c@example.org")
    m.Schedule.objects.create(
        service=service,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        dtstart=dt.date(2025, 1, 6),
        timezone=-5,
        until=dt.date(2025, 12, 19),
        count=50,
        wkst="MO",
        freq="WEEKLY",
        interval=1,
        byday="MO,WE",
        byweekno="1,2",
        bymonthday="1,15",
        byyearday="1,100",
        description="Atención lunes y miércoles",
        opens_at=dt.time(8, 0),
        closes_at=dt.time(17, 30),
        schedule_link="https://example.org/horario",
        attending_type="presencial",
        notes="Festivos cerrado",
    )
    sal = m.ServiceAtLocation.objects.create(
        service=service, location=location, description="Renta Ciudadana en Medellín"
    )
    m.Contact.objects.create(service_at_location=sal, name="Enlace municipal")
    m.Phone.objects.create(service_at_location=sal, number="+57 604 5550000")
    m.Schedule.objects.create(service_at_location=sal, description="Martes", byday="TU")
    # A phone shared by the service and its location (several references on one row).
    location_phone.service = service
    location_phone.save()
    m.Language.objects.create(phone=service_phone, name="Inglés", code="en")

    custom_taxonomy = m.Taxonomy.objects.create(
        name="Clasificación local",
        description="Una taxonomía propia",
        uri="https://example.org/tax",
        version="2",
    )
    parent_term = m.TaxonomyTerm.objects.create(
        code="A", name="Grupo A", description="Grupo A", taxonomy_detail=custom_taxonomy
    )
    custom_term = m.TaxonomyTerm.objects.create(
        code="A1",
        name="Subgrupo A1",
        description="Subgrupo",
        parent=parent_term,
        taxonomy="Clasificación local",
        taxonomy_detail=custom_taxonomy,
        language="es",
        term_uri="https://example.org/tax/A1",
    )
    for link_entity, link_id in (("service", service.id), ("location", location.id)):
        m.Attribute.objects.create(
            link_id=str(link_id),
            link_type="categoria",
            link_entity=link_entity,
            taxonomy_term=custom_term,
            value="sí",
        )
    m.FieldChange.objects.create(
        resource_id=str(service.id),
        resource_type="service",
        last_action_date=dt.datetime(2025, 2, 1, 10, 30, tzinfo=UTC),
        last_action_type="update",
        field_name="name",
        previous_value="Renta",
        replacement_value="Renta Ciudadana",
        updated_by="admin",
    )
    m.FieldChange.objects.create(
        resource_id=str(org.id),
        resource_type="organization",
        last_action_date=dt.datetime(2024, 5, 1, 8, 0, 0, 500, tzinfo=UTC),
        last_action_type="create",
        field_name="name",
        previous_value="",
        replacement_value="Prosperidad Social",
        updated_by="sistema",
    )
    other = m.Service.objects.create(
        organization=parent_org, name="Empleo para la vida", status="temporarily closed"
    )
    other.channels.set([term(CHANNELS, "virtual")])
    return Catalogue(
        organization=org,
        service=service,
        other_service=other,
        location=location,
        service_at_location=sal,
        custom_term=custom_term,
    )


CATALOGUE_MODELS = (
    m.Taxonomy,
    m.TaxonomyTerm,
    m.Organization,
    m.OrganizationIdentifier,
    m.Program,
    m.Service,
    m.ServiceArea,
    m.Slot,
    m.EnrolmentWindow,
    m.Location,
    m.ServiceAtLocation,
    m.Address,
    m.Schedule,
    m.CostOption,
    m.RequiredDocument,
    m.Contact,
    m.Phone,
    m.Language,
    m.Funding,
    m.Accessibility,
    m.Attribute,
    m.FieldChange,
)
_NOT_CATALOGUE_FIELDS = {"created_at", "updated_at"}


def catalogue_rows() -> dict[str, list[dict]]:
    """Every catalogue row (and M2M link) as plain values, for comparing two databases."""
    rows: dict[str, list[dict]] = {}
    for model in CATALOGUE_MODELS:
        names = [
            f.attname for f in model._meta.concrete_fields if f.name not in _NOT_CATALOGUE_FIELDS
        ]
        rows[model.__name__] = sorted(
            (dict(zip(names, values, strict=True)) for values in model.objects.values_list(*names)),
            key=lambda row: str(row["id"]),
        )
    for field in ("ipm_indicators", "target_populations", "differential_approaches", "channels"):
        through = getattr(m.Service, field).through
        rows[field] = sorted(through.objects.values_list("service_id", "taxonomyterm_id"), key=str)
    return rows


def catalogue_empty() -> None:
    """Delete the whole catalogue (children first)."""
    for model in reversed(CATALOGUE_MODELS):
        if model in (m.Organization, m.TaxonomyTerm):
            model.objects.update(
                **{"parent_organization" if model is m.Organization else "parent": None}
            )
        model.objects.all().delete()
