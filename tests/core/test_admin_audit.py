"""Every change made in the Django admin writes audit events (``AuditedModelAdmin``)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.forms.models import model_to_dict
from django.test import RequestFactory

from oferta.accounts.models import AuditEvent, Role, User
from oferta.core.admin import AuditedModelAdmin
from oferta.offers.models import Organization, Program, Service, TaxonomyTerm
from oferta.offers.taxonomies import taxonomies_ensure, terms_of
from oferta.territories.models import Department


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(
        username="raiz", password="Cafetal-Verde-2024!", role=Role.NATIONAL_ADMIN
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def entity(db) -> Organization:
    return Organization.objects.create(
        name="Servicio Nacional de Aprendizaje", alternate_name="SENA", description="Formación"
    )


def events():
    """Audit events other than the sign-in that ``force_login`` records."""
    return AuditEvent.objects.exclude(action__startswith="auth.")


def _change_data(obj, **changes) -> dict[str, str]:
    """What the admin change form posts for ``obj`` unchanged, with ``changes`` applied."""
    data = {}
    for key, value in {**model_to_dict(obj), **changes}.items():
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = str(value)
    data["_save"] = "Guardar"
    return data


def test_editing_an_organization_in_the_admin_writes_one_event_with_the_changed_fields(
    admin_client, superuser, entity
):
    # given an entity
    url = f"/admin/offers/organization/{entity.id}/change/"
    assert admin_client.get(url).status_code == 200
    # when a superuser renames it and sets its NIT through the admin change view
    response = admin_client.post(
        url, _change_data(entity, name="SENA Regional", tax_id="899999034")
    )
    # then the change is saved and exactly one event records the before/after of those fields
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.name == "SENA Regional"
    event = events().get()
    assert event.action == "organization.updated"
    assert event.object_type == "organization"
    assert event.object_id == str(entity.id)
    assert event.actor == superuser
    assert event.before == {"name": "Servicio Nacional de Aprendizaje", "tax_id": ""}
    assert event.after == {"name": "SENA Regional", "tax_id": "899999034"}


def test_saving_an_organization_unchanged_in_the_admin_writes_no_event(admin_client, entity):
    response = admin_client.post(
        f"/admin/offers/organization/{entity.id}/change/", _change_data(entity)
    )
    assert response.status_code == 302
    assert not events().exists()


def test_adding_an_organization_in_the_admin_writes_a_created_event(admin_client):
    data = _change_data(
        Organization(name="ICBF", description="Bienestar familiar"), id="", is_demo=False
    )
    data.pop("id")
    response = admin_client.post("/admin/offers/organization/add/", data)
    assert response.status_code == 302
    created = Organization.objects.get(name="ICBF")
    event = events().get()
    assert event.action == "organization.created"
    assert event.object_id == str(created.id)
    assert event.before is None
    assert event.after["name"] == "ICBF"
    assert event.after["level"] == "national"


def test_deleting_an_organization_in_the_admin_writes_one_deleted_event(admin_client, entity):
    # when the entity is deleted through the admin's confirmation page
    response = admin_client.post(f"/admin/offers/organization/{entity.id}/delete/", {"post": "yes"})
    # then it is gone and one event keeps what it was
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=entity.pk).exists()
    event = events().get()
    assert event.action == "organization.deleted"
    assert event.object_id == str(entity.id)
    assert event.before["name"] == "Servicio Nacional de Aprendizaje"
    assert event.before["alternate_name"] == "SENA"
    assert event.after is None


def test_deleting_an_organization_also_records_the_programs_removed_with_it(admin_client, entity):
    program = Program.objects.create(organization=entity, name="Jóvenes en Acción", description="")
    admin_client.post(f"/admin/offers/organization/{entity.id}/delete/", {"post": "yes"})
    by_action = {e.action: e for e in events()}
    assert set(by_action) == {"organization.deleted", "program.deleted"}
    assert by_action["program.deleted"].object_id == str(program.id)
    assert by_action["program.deleted"].before["organization"] == str(entity.id)
    assert "en cascada" in by_action["program.deleted"].message


def test_the_delete_selected_action_writes_one_event_per_object(admin_client, db):
    first = Program.objects.create(name="Uno", description="")
    second = Program.objects.create(name="Dos", description="")
    response = admin_client.post(
        "/admin/offers/program/",
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert not Program.objects.exists()
    assert sorted(events().values_list("action", "object_id")) == sorted(
        [("program.deleted", str(first.id)), ("program.deleted", str(second.id))]
    )


def test_editing_a_taxonomy_term_is_audited(admin_client, db):
    taxonomies_ensure()
    term = TaxonomyTerm.objects.filter(taxonomy_detail__isnull=False).first()
    old_name = term.name
    response = admin_client.post(
        f"/admin/offers/taxonomyterm/{term.id}/change/", _change_data(term, name="Nuevo nombre")
    )
    assert response.status_code == 302
    event = events().get()
    assert (event.action, event.object_type) == ("taxonomyterm.updated", "taxonomyterm")
    assert event.before == {"name": old_name}
    assert event.after == {"name": "Nuevo nombre"}


def test_many_to_many_changes_go_into_the_same_single_event(superuser, entity):
    # given an audited admin for offers and an offer without channels
    taxonomies_ensure()
    service = Service.objects.create(organization=entity, name="Oferta")
    channel = terms_of("channels").get(code="presencial")
    model_admin = AuditedModelAdmin(Service, admin.site)
    request = RequestFactory().post("/")
    request.user = superuser
    form_class = model_admin.get_form(request, service, fields=["name", "channels"])
    form = form_class({"name": "Oferta presencial", "channels": [channel.pk]}, instance=service)
    assert form.is_valid(), form.errors
    # when the admin saves the name and the channels
    obj = model_admin.save_form(request, form, change=True)
    model_admin.save_model(request, obj, form, change=True)
    model_admin.save_related(request, form, formsets=[], change=True)
    # then one event has both changes
    event = events().get()
    assert event.action == "service.updated"
    assert event.before == {"name": "Oferta", "channels": []}
    assert event.after == {"name": "Oferta presencial", "channels": [str(channel.pk)]}


def test_offers_and_territories_cannot_be_changed_in_the_admin(admin_client, entity):
    Department.objects.create(code="44", name="La Guajira")
    service = Service.objects.create(organization=entity, name="Oferta")
    for url in (
        "/admin/territories/department/44/change/",
        f"/admin/offers/service/{service.id}/change/",
    ):
        # the page is view-only: no save button, and a POST does not change anything
        page = admin_client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert admin_client.post(url, {"name": "Otro"}).status_code == 403
    assert Department.objects.get(code="44").name == "La Guajira"
    assert admin_client.get("/admin/territories/department/44/delete/").status_code == 403
    assert not events().exists()


def test_every_admin_is_audited_or_read_only():
    # A plain ModelAdmin that can change rows would edit without an audit trail.
    from oferta.core.admin import ReadOnlyModelAdmin

    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_active=True, is_staff=True)
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, (AuditedModelAdmin, ReadOnlyModelAdmin))
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request, None)
            or model_admin.has_delete_permission(request, None)
        )
    ]
    assert unaudited == []


def test_rows_edited_through_an_inline_get_one_event_each(superuser, entity):
    from django.forms import inlineformset_factory

    # given an entity with two programs edited as an inline of the entity
    kept = Program.objects.create(organization=entity, name="Uno", description="d")
    dropped = Program.objects.create(organization=entity, name="Dos", description="d")
    rows = inlineformset_factory(
        Organization, Program, fields=["name", "description"], extra=1, can_delete=True
    )
    data = {
        "programs-TOTAL_FORMS": "3",
        "programs-INITIAL_FORMS": "2",
        "programs-0-id": str(kept.id),
        "programs-0-name": "Uno bis",
        "programs-0-description": "d",
        "programs-1-id": str(dropped.id),
        "programs-1-name": "Dos",
        "programs-1-description": "d",
        "programs-1-DELETE": "on",
        "programs-2-name": "Tres",
        "programs-2-description": "d",
    }
    formset = rows(data, instance=entity, prefix="programs")
    assert formset.is_valid(), formset.errors
    request = RequestFactory().post("/")
    request.user = superuser
    # when the admin saves the inline
    AuditedModelAdmin(Organization, admin.site).save_formset(request, None, formset, change=True)
    # then the changed, deleted and added rows each have their event
    by_action = {e.action: e for e in events()}
    assert set(by_action) == {"program.updated", "program.deleted", "program.created"}
    assert by_action["program.updated"].before == {"name": "Uno"}
    assert by_action["program.updated"].after == {"name": "Uno bis"}
    assert by_action["program.deleted"].object_id == str(dropped.id)
    assert by_action["program.created"].after["name"] == "Tres"
