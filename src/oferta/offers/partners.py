"""Reference data: the national partner entities of the GIT de Oferta Pública, with stable ids.

These are real entities (not demo data). Each one has a uuid5 identifier derived from its key (the
acronym), so every installation and every HSDS export gives an entity the same id. NITs are left
blank on purpose: they are filled in by an administrator from the entity's RUT, never guessed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import EntityLevel, Organization, Sector

NAMESPACE = uuid.UUID("0b6f3c8e-61a4-4f0e-9d2b-5a7c1e8f4d21")


def organization_id(key: str) -> uuid.UUID:
    """The stable id of an organisation of the reference or demo data, from its key.

    >>> organization_id("sena") == organization_id("sena")
    True
    """
    return uuid.uuid5(NAMESPACE, f"organization:{key}")


@dataclass(frozen=True)
class Partner:
    key: str
    name: str
    acronym: str
    description: str
    website: str
    sector: str
    legal_status: str
    parent: str = ""  # key of the parent organisation, when it is a program of another entity
    named_in_seed: bool = True

    @property
    def id(self) -> uuid.UUID:
        return organization_id(self.key)


ESTABLECIMIENTO_PUBLICO = "Establecimiento público del orden nacional"
MINISTERIO = "Ministerio (sector central de la Rama Ejecutiva del orden nacional)"
AGENCIA = "Agencia estatal de naturaleza especial del orden nacional"

PARTNERS: tuple[Partner, ...] = (
    Partner(
        key="prosperidad_social",
        name="Departamento Administrativo para la Prosperidad Social",
        acronym="Prosperidad Social",
        description=(
            "Cabeza del Sector de Inclusión Social y Reconciliación. Formula, adopta y ejecuta "
            "políticas, planes y programas para la superación de la pobreza y la pobreza extrema, "
            "la inclusión social y productiva y la atención de la población vulnerable, entre "
            "ellos Renta Ciudadana, Renta Joven, Colombia Mayor, la Devolución del IVA, IRACA, "
            "ReSA y el acompañamiento familiar. Su GIT de Oferta Pública gestiona la oferta de "
            "otras entidades para los hogares que atiende."
        ),
        website="https://prosperidadsocial.gov.co",
        sector=Sector.INCLUSION,
        legal_status="Departamento administrativo del orden nacional",
        named_in_seed=False,
    ),
    Partner(
        key="men",
        name="Ministerio de Educación Nacional",
        acronym="MEN",
        description=(
            "Formula la política educativa nacional y orienta la educación inicial, preescolar, "
            "básica, media y superior. Promueve la permanencia escolar, la jornada única, la "
            "alimentación escolar y la alfabetización y educación de jóvenes y adultos a través "
            "de las secretarías de educación certificadas."
        ),
        website="https://www.mineducacion.gov.co",
        sector=Sector.EDUCATION,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="mintrabajo",
        name="Ministerio del Trabajo",
        acronym="MinTrabajo",
        description=(
            "Formula y evalúa la política de empleo, trabajo decente, formalización laboral, "
            "protección a la vejez y seguridad social en pensiones y riesgos laborales. Dirige "
            "el Servicio Público de Empleo y coordina el sector al que pertenecen el SENA y "
            "Colpensiones."
        ),
        website="https://www.mintrabajo.gov.co",
        sector=Sector.LABOUR,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="minsalud",
        name="Ministerio de Salud y Protección Social",
        acronym="MinSalud",
        description=(
            "Dirige el Sistema General de Seguridad Social en Salud: define la política de salud "
            "pública, el aseguramiento en los regímenes contributivo y subsidiado, la prestación "
            "de servicios y la promoción social de poblaciones vulnerables."
        ),
        website="https://www.minsalud.gov.co",
        sector=Sector.HEALTH,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="minvivienda",
        name="Ministerio de Vivienda, Ciudad y Territorio",
        acronym="MinVivienda",
        description=(
            "Formula la política de vivienda urbana, desarrollo territorial y agua potable y "
            "saneamiento básico. Otorga subsidios familiares de vivienda para adquisición y "
            "mejoramiento y apoya a los territorios en proyectos de acueducto y alcantarillado."
        ),
        website="https://www.minvivienda.gov.co",
        sector=Sector.HOUSING,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="minagricultura",
        name="Ministerio de Agricultura y Desarrollo Rural",
        acronym="MinAgricultura",
        description=(
            "Formula la política de desarrollo agropecuario, pesquero y rural: financiamiento y "
            "crédito agropecuario, extensión agropecuaria, comercialización, agricultura "
            "campesina, familiar y comunitaria, y vivienda de interés social rural."
        ),
        website="https://www.minagricultura.gov.co",
        sector=Sector.AGRICULTURE,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="bancoldex",
        name="Banco de Comercio Exterior de Colombia S.A.",
        acronym="Bancóldex",
        description=(
            "Banco de desarrollo empresarial vinculado al Ministerio de Comercio, Industria y "
            "Turismo. Ofrece crédito de redescuento a través de intermediarios financieros, "
            "incluidas líneas para microempresas, y programas de fortalecimiento empresarial. "
            "Administra el programa Banca de las Oportunidades."
        ),
        website="https://www.bancoldex.com",
        sector=Sector.COMMERCE,
        legal_status="Sociedad anónima de economía mixta del orden nacional",
    ),
    Partner(
        key="artesanias",
        name="Artesanías de Colombia S.A.",
        acronym="Artesanías de Colombia",
        description=(
            "Entidad vinculada al Ministerio de Comercio, Industria y Turismo que promueve el "
            "desarrollo de la actividad artesanal: asistencia técnica en diseño y producción, "
            "fortalecimiento de oficios tradicionales y de comunidades étnicas, y acceso a "
            "espacios de comercialización como Expoartesanías."
        ),
        website="https://artesaniasdecolombia.com.co",
        sector=Sector.COMMERCE,
        legal_status="Sociedad de economía mixta del orden nacional",
    ),
    Partner(
        key="icbf",
        name="Instituto Colombiano de Bienestar Familiar",
        acronym="ICBF",
        description=(
            "Entidad del Sector de Inclusión Social y Reconciliación que trabaja por la "
            "prevención y protección integral de la primera infancia, la niñez, la adolescencia "
            "y el bienestar de las familias: modalidades de educación inicial (CDI, desarrollo "
            "infantil en medio familiar, hogares comunitarios), nutrición, protección y "
            "restablecimiento de derechos. Coordina el Sistema Nacional de Bienestar Familiar."
        ),
        website="https://www.icbf.gov.co",
        sector=Sector.INCLUSION,
        legal_status=ESTABLECIMIENTO_PUBLICO,
    ),
    Partner(
        key="registraduria",
        name="Registraduría Nacional del Estado Civil",
        acronym="RNEC",
        description=(
            "Órgano de la Organización Electoral a cargo del registro civil y la identificación "
            "de las personas: registro civil de nacimiento, tarjeta de identidad y cédula de "
            "ciudadanía. Realiza jornadas de identificación en zonas apartadas y en ferias de "
            "servicio, con atención a comunidades étnicas y población vulnerable."
        ),
        website="https://www.registraduria.gov.co",
        sector=Sector.CIVIL_REGISTRY,
        legal_status="Órgano autónomo de la Organización Electoral",
    ),
    Partner(
        key="sena",
        name="Servicio Nacional de Aprendizaje",
        acronym="SENA",
        description=(
            "Entidad adscrita al Ministerio del Trabajo que ofrece formación profesional integral "
            "gratuita (técnica, tecnológica y complementaria), orientación y colocación laboral "
            "por medio de su Agencia Pública de Empleo, y apoyo al emprendimiento a través del "
            "Fondo Emprender."
        ),
        website="https://www.sena.edu.co",
        sector=Sector.LABOUR,
        legal_status=ESTABLECIMIENTO_PUBLICO,
    ),
    Partner(
        key="colpensiones",
        name="Administradora Colombiana de Pensiones",
        acronym="Colpensiones",
        description=(
            "Administra el régimen de prima media con prestación definida y el servicio social "
            "complementario de Beneficios Económicos Periódicos (BEPS), un mecanismo de ahorro "
            "voluntario para la vejez dirigido a personas de bajos ingresos que no alcanzan a "
            "pensionarse."
        ),
        website="https://www.colpensiones.gov.co",
        sector=Sector.LABOUR,
        legal_status="Empresa industrial y comercial del Estado del orden nacional",
    ),
    Partner(
        key="banco_agrario",
        name="Banco Agrario de Colombia S.A.",
        acronym="Banco Agrario",
        description=(
            "Banco público vinculado al Ministerio de Agricultura y Desarrollo Rural, con la red "
            "de oficinas de mayor presencia en municipios rurales. Ofrece crédito agropecuario y "
            "microcrédito rural para pequeños productores, cuentas de ahorro y pago de "
            "subsidios y transferencias del Estado."
        ),
        website="https://www.bancoagrario.gov.co",
        sector=Sector.AGRICULTURE,
        legal_status="Sociedad anónima de economía mixta del orden nacional",
    ),
    Partner(
        key="banca_oportunidades",
        name="Banca de las Oportunidades",
        acronym="BdO",
        description=(
            "Programa de inversión del Gobierno nacional, administrado por Bancóldex, que "
            "promueve la inclusión financiera de la población de menores ingresos, los "
            "microempresarios y los pequeños productores: acceso a cuentas de ahorro, crédito "
            "formal y educación económica y financiera."
        ),
        website="https://www.bancadelasoportunidades.gov.co",
        sector=Sector.FINANCE,
        legal_status="Programa de inversión administrado por Bancóldex",
        parent="bancoldex",
    ),
    Partner(
        key="icetex",
        name=(
            "Instituto Colombiano de Crédito Educativo y Estudios Técnicos en el Exterior "
            "Mariano Ospina Pérez"
        ),
        acronym="ICETEX",
        description=(
            "Entidad financiera de naturaleza especial vinculada al Ministerio de Educación "
            "Nacional que promueve el acceso y la permanencia en la educación superior mediante "
            "créditos educativos, fondos en administración con condonación y subsidios para "
            "estudiantes de menores ingresos."
        ),
        website="https://web.icetex.gov.co",
        sector=Sector.EDUCATION,
        legal_status="Entidad financiera de naturaleza especial",
    ),
    Partner(
        key="adr",
        name="Agencia de Desarrollo Rural",
        acronym="ADR",
        description=(
            "Ejecuta la política de desarrollo agropecuario y rural con enfoque territorial: "
            "estructura y cofinancia proyectos integrales de desarrollo agropecuario y rural, "
            "presta el servicio público de extensión agropecuaria, apoya la comercialización y "
            "la adecuación de tierras."
        ),
        website="https://www.adr.gov.co",
        sector=Sector.AGRICULTURE,
        legal_status=AGENCIA,
    ),
    Partner(
        key="ant",
        name="Agencia Nacional de Tierras",
        acronym="ANT",
        description=(
            "Máxima autoridad de las tierras de la Nación: ejecuta el ordenamiento social de la "
            "propiedad rural, la formalización de predios, el acceso a tierras para campesinos "
            "sin tierra o con tierra insuficiente y la constitución y ampliación de resguardos "
            "indígenas y títulos colectivos de comunidades negras."
        ),
        website="https://www.ant.gov.co",
        sector=Sector.AGRICULTURE,
        legal_status=AGENCIA,
    ),
    Partner(
        key="art",
        name="Agencia de Renovación del Territorio",
        acronym="ART",
        description=(
            "Coordina la intervención del Estado en las zonas rurales más afectadas por el "
            "conflicto armado: implementa los Programas de Desarrollo con Enfoque Territorial "
            "(PDET) en 170 municipios, con obras de infraestructura comunitaria (pequeña "
            "infraestructura, vías terciarias) y proyectos productivos."
        ),
        website="https://www.renovacionterritorio.gov.co",
        # Its sector assignment changed over time; kept generic until an administrator confirms.
        sector=Sector.OTHER,
        legal_status=AGENCIA,
    ),
    Partner(
        key="mintic",
        name="Ministerio de Tecnologías de la Información y las Comunicaciones",
        acronym="MinTIC",
        description=(
            "Diseña y ejecuta la política de tecnologías de la información: conectividad en "
            "zonas rurales y apartadas (centros y zonas digitales comunitarias), acceso a "
            "internet fijo para hogares de menores ingresos y formación en habilidades digitales "
            "y programación."
        ),
        website="https://www.mintic.gov.co",
        sector=Sector.ICT,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="mincultura",
        name="Ministerio de las Culturas, las Artes y los Saberes",
        acronym="MinCulturas",
        description=(
            "Antes Ministerio de Cultura. Formula la política cultural: escuelas de música y "
            "artes, bibliotecas públicas, lectura y escritura, patrimonio cultural material e "
            "inmaterial, saberes de los pueblos étnicos y emprendimiento cultural, en "
            "coordinación con departamentos y municipios."
        ),
        website="https://www.mincultura.gov.co",
        sector=Sector.CULTURE,
        legal_status=MINISTERIO,
    ),
    Partner(
        key="ejercito",
        name="Ejército Nacional de Colombia",
        acronym="Ejército Nacional",
        description=(
            "Fuerza militar del Ministerio de Defensa Nacional. Además de su misión "
            "constitucional, define la situación militar de los ciudadanos (libreta militar) y "
            "realiza jornadas de apoyo al desarrollo con servicios de salud, registro y "
            "atención social en zonas apartadas."
        ),
        website="https://www.ejercito.mil.co",
        sector=Sector.DEFENCE,
        legal_status="Fuerza militar (Ministerio de Defensa Nacional)",
    ),
)

PARTNER_BY_KEY: dict[str, Partner] = {p.key: p for p in PARTNERS}


def object_upsert(
    *,
    model: type[models.Model],
    object_id: uuid.UUID,
    fields: dict[str, Any],
    m2m: dict[str, list[uuid.UUID]] | None = None,
    object_type: str,
    created_action: str,
    updated_action: str,
    label: str,
    actor: Any | None = None,
) -> tuple[Any, str]:
    """Create or update one catalogue object by its stable id; audit only real changes.

    ``fields`` are model field values (a foreign key may be given as an instance), ``m2m`` the
    complete list of related ids per many-to-many field. Writes one audit event when the object
    is created or something changed, none otherwise. Returns the object and ``"created"``,
    ``"updated"`` or ``"unchanged"``.
    """
    from oferta.accounts.audit import audit_event_record

    m2m = m2m or {}
    # HSDS objects that carry a last_modified stamp (services) get it on every real change.
    stamp = (
        {"last_modified": timezone.now()}
        if any(f.name == "last_modified" for f in model._meta.get_fields())
        else {}
    )
    existing = model.objects.filter(pk=object_id).first()
    if existing is None:
        created = model.objects.create(pk=object_id, **fields, **stamp)
        for name, ids in m2m.items():
            getattr(created, name).set(ids)
        after = {name: _plain(value) for name, value in fields.items()}
        after |= {name: sorted(str(i) for i in ids) for name, ids in m2m.items()}
        audit_event_record(
            actor=actor,
            action=created_action,
            object_type=object_type,
            object_id=str(object_id),
            after=after,
            message=label,
        )
        return created, "created"

    before: dict[str, Any] = {}
    after = {}
    for name, value in fields.items():
        current = getattr(existing, model._meta.get_field(name).attname)
        wanted = _plain(value)
        if current != wanted:
            before[name], after[name] = _plain(current), wanted
            setattr(existing, name, value)
    if before:
        existing.save()
    for name, ids in m2m.items():
        manager = getattr(existing, name)
        current_ids = set(manager.values_list("pk", flat=True))
        if current_ids != set(ids):
            before[name] = sorted(str(i) for i in current_ids)
            after[name] = sorted(str(i) for i in ids)
            manager.set(ids)
    if not after:
        return existing, "unchanged"
    if stamp:
        model.objects.filter(pk=object_id).update(**stamp)
    audit_event_record(
        actor=actor,
        action=updated_action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        message=label,
    )
    return existing, "updated"


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


@transaction.atomic
def partners_ensure(*, actor: Any | None = None) -> int:
    """Create or update the national partner entities. Returns how many there are.

    Idempotent: a second run changes nothing and writes no audit events.
    """
    # Parents first, so the foreign key can be set in the same pass.
    ordered = sorted(PARTNERS, key=lambda p: bool(p.parent))
    for partner in ordered:
        fields: dict[str, Any] = {
            "name": partner.name,
            "alternate_name": partner.acronym,
            "description": partner.description,
            "website": partner.website,
            "sector": partner.sector,
            "legal_status": partner.legal_status,
            "level": EntityLevel.NATIONAL,
            "territory_code": "",
            "is_demo": False,
            "parent_organization": (
                Organization.objects.get(id=organization_id(partner.parent))
                if partner.parent
                else None
            ),
        }
        object_upsert(
            model=Organization,
            object_id=partner.id,
            fields=fields,
            object_type="organization",
            created_action="organization.created",
            updated_action="organization.updated",
            label=f"Entidad aliada: {partner.acronym}",
            actor=actor,
        )
    return len(PARTNERS)
