"""The taxonomies of oferta's Colombian profile, with stable identifiers.

Every term has a UUID derived from its taxonomy and code (uuid5), so the same term has the same
HSDS id on every installation and in every export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from oferta.engine.eligibility.variables import IPM_INDICATORS

NAMESPACE = uuid.UUID("6f0d7c1e-3b57-4a43-9a53-0f1e2c9d4b10")


@dataclass(frozen=True)
class ProfileTaxonomy:
    key: str  # also the Service field it feeds
    name: str
    description: str
    terms: tuple[tuple[str, str], ...]  # (code, Spanish name)

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"taxonomy:{self.key}")

    def term_id(self, code: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"term:{self.key}:{code}")


IPM_INDICATOR_NAMES: dict[str, str] = {
    "low_educational_attainment": "Bajo logro educativo",
    "illiteracy": "Analfabetismo",
    "school_non_attendance": "Inasistencia escolar",
    "school_lag": "Rezago escolar",
    "early_childhood_barriers": "Barreras a servicios para el cuidado de la primera infancia",
    "child_labour": "Trabajo infantil",
    "long_term_unemployment": "Desempleo de larga duración",
    "informal_work": "Trabajo informal",
    "no_health_insurance": "Sin aseguramiento en salud",
    "health_access_barriers": "Barreras de acceso a servicios de salud",
    "no_improved_water": "Sin acceso a fuente de agua mejorada",
    "inadequate_sanitation": "Inadecuada eliminación de excretas",
    "inadequate_floors": "Material inadecuado de pisos",
    "inadequate_walls": "Material inadecuado de paredes exteriores",
    "critical_overcrowding": "Hacinamiento crítico",
    "high_economic_dependency": "Alta tasa de dependencia económica",
}
assert tuple(IPM_INDICATOR_NAMES) == IPM_INDICATORS

MONETARY_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("extreme_monetary_poverty", "Pobreza monetaria extrema"),
    ("monetary_poverty", "Pobreza monetaria"),
)

IPM = ProfileTaxonomy(
    key="ipm_indicators",
    name="oferta: privaciones IPM y condición monetaria",
    description="Indicadores del Índice de Pobreza Multidimensional (DANE) y condiciones de "
    "pobreza monetaria que una oferta puede cerrar.",
    terms=(*IPM_INDICATOR_NAMES.items(), *MONETARY_CONDITIONS),
)
POPULATIONS = ProfileTaxonomy(
    key="target_populations",
    name="oferta: población objetivo",
    description="Grupos de población a los que se dirige una oferta (curso de vida y otros).",
    terms=(
        ("primera_infancia", "Primera infancia (0–5 años)"),
        ("infancia", "Infancia (6–11 años)"),
        ("adolescencia", "Adolescencia (12–17 años)"),
        ("juventud", "Juventud (14–28 años)"),
        ("adultez", "Adultez (29–59 años)"),
        ("vejez", "Persona mayor (60 años o más)"),
        ("hogares", "Hogares"),
        ("mujeres", "Mujeres"),
        ("jefatura_femenina", "Mujeres jefas de hogar"),
        ("unidades_productivas", "Unidades productivas"),
        ("campesinos", "Población campesina"),
    ),
)
APPROACHES = ProfileTaxonomy(
    key="differential_approaches",
    name="oferta: enfoques diferenciales",
    description="Enfoques diferenciales que una oferta aplica o prioriza.",
    terms=(
        ("etnico_indigena", "Étnico: pueblos indígenas"),
        ("etnico_narp", "Étnico: negro, afrocolombiano, raizal y palenquero"),
        ("etnico_rrom", "Étnico: pueblo Rrom"),
        ("victimas", "Víctimas del conflicto armado"),
        ("discapacidad", "Personas con discapacidad"),
        ("genero", "Género y mujer"),
        ("campesino", "Campesino"),
        ("curso_de_vida", "Curso de vida"),
    ),
)
CHANNELS = ProfileTaxonomy(
    key="channels",
    name="oferta: canales de atención",
    description="Cómo se accede a la oferta.",
    terms=(
        ("presencial", "Presencial"),
        ("virtual", "Virtual"),
        ("feria", "Feria de servicio"),
    ),
)

PROFILE_TAXONOMIES: tuple[ProfileTaxonomy, ...] = (IPM, POPULATIONS, APPROACHES, CHANNELS)
PROFILE_TAXONOMY_BY_KEY = {t.key: t for t in PROFILE_TAXONOMIES}


@transaction.atomic
def taxonomies_ensure() -> int:
    """Create or update the profile taxonomies and their terms. Returns the number of terms."""
    from .models import Taxonomy, TaxonomyTerm

    count = 0
    for profile in PROFILE_TAXONOMIES:
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=profile.id,
            defaults={"name": profile.name, "description": profile.description, "version": "1"},
        )
        for code, name in profile.terms:
            TaxonomyTerm.objects.update_or_create(
                id=profile.term_id(code),
                defaults={
                    "code": code,
                    "name": name,
                    "description": name,
                    "taxonomy": profile.name,
                    "taxonomy_detail": taxonomy,
                    "language": "es",
                },
            )
            count += 1
    return count


def terms_of(key: str):
    """The TaxonomyTerm queryset of one profile taxonomy (by its key, e.g. "channels")."""
    from .models import TaxonomyTerm

    return TaxonomyTerm.objects.filter(taxonomy_detail_id=PROFILE_TAXONOMY_BY_KEY[key].id)
