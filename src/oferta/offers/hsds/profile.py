"""oferta's Colombian profile of HSDS 3.0: the `x_oferta` extension objects and their schemas.

HSDS objects allow additional properties, so the profile fields that have no HSDS home travel in
one namespaced object, ``x_oferta``, on organization, service, service_area and location. The
classifications (IPM indicators, target populations, differential approaches, channels) travel as
ordinary HSDS ``attributes`` whose ``link_type`` names the Service field. See docs/hsds-profile.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from oferta.offers.models import AreaScope, EntityLevel, RuleScope, Sector
from oferta.offers.taxonomies import NAMESPACE, PROFILE_TAXONOMIES

PROFILE_VERSION = "1.0"
PROFILE_DOC_PATH = "docs/hsds-profile.md"
EXTENSION_KEY = "x_oferta"

# Service M2M fields carried as HSDS attributes (link_type = field name, link_entity = "service").
CLASSIFICATION_FIELDS: tuple[str, ...] = tuple(t.key for t in PROFILE_TAXONOMIES)

_DIVIPOLA = {"type": "string", "pattern": r"^[0-9]{2}([0-9]{3})?$"}
_MUNICIPALITY = {"type": "string", "pattern": r"^[0-9]{5}$"}
_UUID = {"type": "string", "format": "uuid"}
_DATE = {"type": "string", "format": "date"}
_TEXT = {"type": "string"}

EXTENSION_SCHEMAS: dict[str, dict[str, Any]] = {
    "organization": {
        "type": "object",
        "description": "Perfil colombiano de la entidad: orden, sector y territorio.",
        "properties": {
            "level": {"type": "string", "enum": list(EntityLevel.values)},
            "sector": {"type": "string", "enum": list(Sector.values)},
            "territory_code": _DIVIPOLA,
            "is_demo": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
    "service": {
        "type": "object",
        "description": "Perfil colombiano de la oferta: regla de elegibilidad CEL, cupos, "
        "convocatorias.",
        "properties": {
            "eligibility_rule": _TEXT,
            "eligibility_scope": {"type": "string", "enum": list(RuleScope.values)},
            "eligibility_rule_description": _TEXT,
            "legal_basis": _TEXT,
            "is_demo": {"type": "boolean"},
            "slots": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": _UUID,
                        "territory_code": _DIVIPOLA,
                        "period_start": _DATE,
                        "period_end": _DATE,
                        "places": {"type": "integer", "minimum": 0},
                        "notes": _TEXT,
                    },
                    "required": ["id", "territory_code", "period_start", "period_end", "places"],
                    "additionalProperties": False,
                },
            },
            "enrolment_windows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": _UUID,
                        "opens_on": _DATE,
                        "closes_on": _DATE,
                        "territory_code": _DIVIPOLA,
                        "description": _TEXT,
                    },
                    "required": ["id", "opens_on", "closes_on"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
    "service_area": {
        "type": "object",
        "description": "Alcance territorial del área de servicio (DIVIPOLA).",
        "properties": {
            "scope": {"type": "string", "enum": list(AreaScope.values)},
            "divipola_code": _DIVIPOLA,
        },
        "additionalProperties": False,
    },
    "location": {
        "type": "object",
        "description": "Municipio (DIVIPOLA) de la sede.",
        "properties": {"municipality_code": _MUNICIPALITY},
        "additionalProperties": False,
    },
}


def classification_attribute_id(*, service_id: uuid.UUID | str, field: str, term_id) -> uuid.UUID:
    """The stable HSDS attribute id of one profile classification of a service."""
    return uuid.uuid5(NAMESPACE, f"attribute:{service_id}:{field}:{term_id}")


def profile_description(*, profile_url: str = "") -> dict[str, Any]:
    """A machine-readable description of the profile (served at /api/hsds/profile)."""
    return {
        "name": "oferta-co",
        "title": "Perfil colombiano de HSDS 3.0 para la oferta social pública (oferta)",
        "version": PROFILE_VERSION,
        "hsds_version": "3.0",
        "documentation": profile_url or PROFILE_DOC_PATH,
        "extension_key": EXTENSION_KEY,
        "extensions": EXTENSION_SCHEMAS,
        "classifications": [
            {
                "link_type": taxonomy.key,
                "link_entity": "service",
                "taxonomy_id": str(taxonomy.id),
                "taxonomy_name": taxonomy.name,
                "attribute_id": "uuid5(6f0d7c1e-3b57-4a43-9a53-0f1e2c9d4b10, "
                "'attribute:<service_id>:<link_type>:<taxonomy_term_id>')",
                "terms": [
                    {"id": str(taxonomy.term_id(code)), "code": code, "name": name}
                    for code, name in taxonomy.terms
                ],
            }
            for taxonomy in PROFILE_TAXONOMIES
        ],
    }
