"""HSDS 3.0 import: official examples, the exact round trip, and refusal of bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oferta.accounts.models import AuditEvent
from oferta.cli import app
from oferta.offers import models as m
from oferta.offers.hsds.export import catalogue_data, catalogue_export
from oferta.offers.hsds.importer import CatalogueImportError, catalogue_import

from .hsds_fixtures import catalogue_empty, catalogue_rich, catalogue_rows

EXAMPLES = Path(__file__).parent / "hsds_examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def _import_example(tmp_path: Path, *names: str):
    for name in names:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return catalogue_import(directory=tmp_path)


# -- official examples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "model", "object_id"),
    [
        ("service_full.json", m.Service, SERVICE_ID),
        ("service_list.json", m.Service, SERVICE_ID),
        ("organization_full.json", m.Organization, "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
        ("organization_list.json", m.Organization, "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
        (
            "service_at_location_full.json",
            m.ServiceAtLocation,
            "e94c9f38-1e8f-4564-91d4-d53501ab1765",
        ),
        (
            "service_at_location_list.json",
            m.ServiceAtLocation,
            "e94c9f38-1e8f-4564-91d4-d53501ab1765",
        ),
        ("location.json", m.Location, "3a19ff88-4620-4d17-9830-ac1d859eb5d5"),
        ("taxonomy.json", m.Taxonomy, "5c4d79d7-cc55-470e-9f1f-8cad074e4892"),
        ("taxonomy_list.json", m.Taxonomy, "5c4d79d7-cc55-470e-9f1f-8cad074e4892"),
        ("taxonomy_term.json", m.TaxonomyTerm, "3f7b145d-84af-42d7-8fae-eaca714b02b2"),
        ("taxonomy_term_list.json", m.TaxonomyTerm, "3f7b145d-84af-42d7-8fae-eaca714b02b2"),
    ],
)
def test_each_official_example_imports(db, tmp_path, file, model, object_id):
    result = _import_example(tmp_path, file)

    assert model.objects.filter(id=object_id).exists()
    assert result.files == [file]


def test_a_full_service_example_is_queryable_with_its_nested_objects(db, tmp_path):
    _import_example(tmp_path, "service_full.json")

    service = m.Service.objects.get(id=SERVICE_ID)
    assert service.organization.name == "Example Organization Inc."
    assert service.program.name == "Community Mental Health Support"
    assert service.minimum_age == 12
    assert service.service_at_locations.get().location.addresses.get().city == "MyCity"
    phone = m.Phone.objects.get(id="1554f2e2-a373-45db-a3fa-9fc48a61c15e")
    # One phone nested under the service, its location, a contact and the organization.
    assert None not in (
        phone.service_id,
        phone.location_id,
        phone.contact_id,
        phone.organization_id,
    )
    assert phone.languages.get().code == "ur"
    assert m.CostOption.objects.get(service=service).amount == 35
    assert m.Attribute.objects.get(link_id=SERVICE_ID).taxonomy_term.code == "code"
    change = m.FieldChange.objects.get(id="6cd71e9f-1013-49d9-8370-26b8f59d3e5a")
    assert (change.resource_id, change.replacement_value) == (SERVICE_ID, "MyCity New Civic Center")


def test_the_examples_directory_imports_and_skips_what_is_not_an_object(db, tmp_path):
    result = _import_example(tmp_path, *[p.name for p in EXAMPLES.glob("*.json")])

    assert "base.json" not in result.files
    assert any("tabular.json" in w for w in result.warnings)
    assert any("parent_organization_id" in w and "no existe" in w for w in result.warnings)
    assert result.counts["service"] == 1


def test_importing_twice_updates_instead_of_duplicating(db, tmp_path):
    _import_example(tmp_path, "service_full.json")

    result = catalogue_import(directory=tmp_path)

    assert set(result.created.values()) == {0}
    assert result.updated["service"] == 1
    assert m.Service.objects.count() == 1


# -- round trip ------------------------------------------------------------------------------


def test_import_of_an_export_is_the_same_catalogue(db, tmp_path):
    catalogue_rich()
    exported = catalogue_data()
    rows_before = catalogue_rows()
    catalogue_export(directory=tmp_path / "a")
    catalogue_empty()
    assert m.Service.objects.count() == 0

    result = catalogue_import(directory=tmp_path / "a")

    assert result.warnings == []
    assert catalogue_rows() == rows_before
    assert catalogue_data() == exported
    catalogue_export(directory=tmp_path / "b")
    for name in ("organizations", "services", "taxonomies", "taxonomy_terms"):
        first = (tmp_path / "a" / f"{name}.json").read_text()
        assert (tmp_path / "b" / f"{name}.json").read_text() == first, name


def test_an_import_records_one_audit_event_with_the_counts(db, tmp_path):
    catalogue_rich()
    catalogue_export(directory=tmp_path / "catalogo-2025")

    catalogue_import(directory=tmp_path / "catalogo-2025")

    event = AuditEvent.objects.get(action="catalogue.imported")
    assert event.object_type == "catalogue"
    assert event.object_id == "catalogo-2025"
    assert event.after["service"] == 2
    assert event.after["classification"] == 7


# -- bad files -------------------------------------------------------------------------------


@pytest.fixture
def exported(db, tmp_path):
    """A valid export of the rich catalogue and the rows it came from."""
    catalogue = catalogue_rich()
    catalogue_export(directory=tmp_path)
    return tmp_path, catalogue


def _edit(path: Path, change) -> None:
    objects = json.loads(path.read_text())
    change(objects)
    path.write_text(json.dumps(objects))


def _refused(directory: Path) -> list[str]:
    rows = catalogue_rows()
    events = AuditEvent.objects.count()
    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(directory=directory)
    assert catalogue_rows() == rows
    assert AuditEvent.objects.count() == events
    return [str(issue) for issue in refused.value.issues]


def test_a_wrong_enum_names_file_object_id_and_field(exported):
    directory, catalogue = exported
    service_id = str(catalogue.service.id)

    def change(services):
        next(s for s in services if s["id"] == service_id)["status"] = "abierto"
        next(s for s in services if s["id"] == service_id)["name"] = "Cambiada"

    _edit(directory / "services.json", change)

    assert _refused(directory) == [
        f"services.json: service '{service_id}' campo 'status': 'abierto' no es uno de "
        "active, inactive, defunct, temporarily closed"
    ]
    assert m.Service.objects.get(id=service_id).name == "Renta Ciudadana"


def test_a_missing_required_field_is_refused(exported):
    directory, catalogue = exported
    org_id = str(catalogue.organization.id)

    def change(organizations):
        del next(o for o in organizations if o["id"] == org_id)["name"]

    _edit(directory / "organizations.json", change)

    assert _refused(directory) == [
        f"organizations.json: organization '{org_id}' campo 'name': falta el campo obligatorio"
    ]


def test_a_bad_nested_uuid_is_refused_with_its_path(exported):
    directory, catalogue = exported
    service_id = str(catalogue.service.id)

    def change(services):
        next(s for s in services if s["id"] == service_id)["phones"][0]["id"] = "tel-1"

    _edit(directory / "services.json", change)

    assert _refused(directory) == [
        f"services.json: service '{service_id}' campo 'phones[0].id': 'tel-1' no tiene el "
        "formato uuid"
    ]


def test_a_bad_profile_value_is_refused(exported):
    directory, catalogue = exported
    org_id = str(catalogue.organization.id)

    def change(organizations):
        next(o for o in organizations if o["id"] == org_id)["x_oferta"]["sector"] = "minería"

    _edit(directory / "organizations.json", change)

    [issue] = _refused(directory)
    assert issue.startswith(
        f"organizations.json: organization '{org_id}' campo 'x_oferta.sector': 'minería' no es "
        "uno de inclusion_social"
    )


def test_broken_json_is_refused_naming_file_and_line(exported):
    directory, _catalogue = exported
    (directory / "taxonomies.json").write_text('[\n  {"id": "x",\n')

    [issue] = _refused(directory)
    assert issue.startswith("taxonomies.json: JSON inválido en la línea 3")


def test_an_invalid_date_in_a_string_field_is_refused(exported):
    directory, catalogue = exported
    service_id = str(catalogue.service.id)

    def change(services):
        next(s for s in services if s["id"] == service_id)["assured_date"] = "15/01/2025"

    _edit(directory / "services.json", change)

    assert _refused(directory) == [
        f"services.json: service '{service_id}' campo 'assured_date': '15/01/2025' no es una "
        "fecha u hora válida (AAAA-MM-DD)"
    ]


def test_the_import_command_exits_with_2_and_lists_the_errors(exported):
    directory, _catalogue = exported

    def change(services):
        services[0]["status"] = "abierto"

    _edit(directory / "services.json", change)

    result = CliRunner().invoke(app, ["catalogue", "import", str(directory)])

    assert result.exit_code == 2
    assert "services.json: service" in result.output
    assert "no se guardó nada" in result.output


def test_the_import_command_prints_counts(exported):
    directory, _catalogue = exported

    result = CliRunner().invoke(app, ["catalogue", "import", str(directory)])

    assert result.exit_code == 0, result.output
    assert "service: 2 (nuevos 0, actualizados 2)" in result.output
