"""HSDS 3.0 export: valid against the official schemas, carrying oferta's profile."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oferta.cli import app
from oferta.offers.hsds.export import catalogue_data, catalogue_export, catalogue_validate
from oferta.offers.hsds.profile import classification_attribute_id
from oferta.offers.taxonomies import CHANNELS, PROFILE_TAXONOMIES

from .hsds_fixtures import catalogue_rich


def _service(data, service):
    return next(s for s in data["services"] if s["id"] == str(service.id))


def test_every_exported_object_validates_against_the_official_schemas(db):
    catalogue_rich()

    data = catalogue_data()

    assert catalogue_validate(data, profile=False) == []
    assert catalogue_validate(data, profile=True) == []
    assert {k: len(v) for k, v in data.items()} == {
        "organizations": 2,
        "services": 2,
        "taxonomies": 5,
        "taxonomy_terms": sum(len(t.terms) for t in PROFILE_TAXONOMIES) + 2,
    }


def test_profile_classifications_travel_as_attributes_with_the_field_as_link_type(db):
    catalogue = catalogue_rich()

    service = _service(catalogue_data(), catalogue.other_service)

    term_id = str(CHANNELS.term_id("virtual"))
    assert service["attributes"] == [
        {
            "id": str(
                classification_attribute_id(
                    service_id=catalogue.other_service.id, field="channels", term_id=term_id
                )
            ),
            "link_id": str(catalogue.other_service.id),
            "link_type": "channels",
            "link_entity": "service",
            "taxonomy_term_id": term_id,
            "taxonomy_term": {
                "id": term_id,
                "taxonomy_id": str(CHANNELS.id),
                "code": "virtual",
                "name": "Virtual",
                "description": "Virtual",
                "taxonomy": CHANNELS.name,
                "language": "es",
            },
        }
    ]


def test_profile_fields_travel_in_the_x_oferta_extension(db):
    catalogue = catalogue_rich()

    data = catalogue_data()

    service = _service(data, catalogue.service)
    assert service["x_oferta"]["eligibility_rule"] == 'household.sisben_group == "A"'
    assert service["x_oferta"]["eligibility_scope"] == "person"
    assert service["x_oferta"]["legal_basis"] == "Ley 2294 de 2023, artículo 65"
    assert [s["territory_code"] for s in service["x_oferta"]["slots"]] == ["05", "05001"]
    assert service["x_oferta"]["enrolment_windows"][0]["opens_on"] == "2025-03-01"
    assert service["service_areas"][0]["x_oferta"] == {"scope": "department", "divipola_code": "05"}
    location = service["service_at_locations"][0]["location"]
    assert location["x_oferta"] == {"municipality_code": "05001"}
    organization = next(
        o for o in data["organizations"] if o["id"] == str(catalogue.organization.id)
    )
    assert organization["x_oferta"] == {
        "level": "departmental",
        "sector": "inclusion_social",
        "territory_code": "05",
        "is_demo": True,
    }


def test_empty_optional_fields_are_omitted_and_required_ones_kept(db):
    catalogue = catalogue_rich()

    service = _service(catalogue_data(), catalogue.other_service)

    assert "description" not in service
    assert "minimum_age" not in service
    assert "phones" not in service
    assert service["status"] == "temporarily closed"
    assert service["x_oferta"] == {"eligibility_scope": "household", "is_demo": False}


def test_metadata_and_generic_attributes_are_attached_to_their_objects(db):
    catalogue = catalogue_rich()

    service = _service(catalogue_data(), catalogue.service)

    assert [(c["field_name"], c["replacement_value"]) for c in service["metadata"]] == [
        ("name", "Renta Ciudadana")
    ]
    assert service["metadata"][0]["last_action_date"] == "2025-02-01T10:30:00Z"
    generic = [a for a in service["attributes"] if a["link_type"] == "categoria"]
    assert generic[0]["taxonomy_term"]["code"] == "A1"
    location = service["service_at_locations"][0]["location"]
    assert [a["value"] for a in location["attributes"]] == ["sí"]


def test_catalogue_export_writes_one_array_per_object_type(db, tmp_path):
    catalogue_rich()

    result = catalogue_export(directory=tmp_path)

    assert result.issues == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "organizations.json",
        "services.json",
        "taxonomies.json",
        "taxonomy_terms.json",
    ]
    services = json.loads((tmp_path / "services.json").read_text())
    assert [s["name"] for s in services] == ["Empleo para la vida", "Renta Ciudadana"]


def test_export_command_prints_counts_in_spanish(db, tmp_path):
    catalogue_rich()

    result = CliRunner().invoke(
        app, ["catalogue", "export", "--format", "hsds-json", "--out", str(tmp_path / "out")]
    )

    assert result.exit_code == 0, result.output
    assert "entidades: 2" in result.output
    assert "ofertas: 2" in result.output
    assert "Exportación válida" in result.output
    assert (tmp_path / "out" / "services.json").exists()
