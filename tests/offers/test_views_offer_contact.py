"""The "Contacto" fieldset of the offer editor: the offer's first contact and its phone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from oferta.accounts.models import AuditEvent, Role
from oferta.offers.models import Contact, FieldChange, Phone, Service
from oferta.offers.taxonomies import taxonomies_ensure

from .factories import organization_make, service_make, territories_make, user_make
from .test_views_offer import _FormValues, form_data

CONTACT = {
    "contact_name": "Luz Marina Pérez",
    "contact_title": "Coordinadora",
    "contact_department": "Grupo de Vivienda Rural",
    "contact_email": "luz.perez@example.gov.co",
    "contact_phone": "+57 601 514-9100",
}


@pytest.fixture
def editor_client(client, db):
    territories_make()
    taxonomies_ensure()
    client.force_login(user_make(role=Role.NATIONAL_ANALYST, username="editora"))
    return client


@pytest.fixture
def offer_with_contact(db):
    territories_make()
    service = service_make(name="Mejoramiento de vivienda", areas=("52",))
    contact = Contact.objects.create(
        service=service, name="Jorge Ruiz", title="Profesional", email="jorge@example.gov.co"
    )
    Phone.objects.create(contact=contact, number="601 222 3344", extension=12)
    return service


def _edit_data(client, service, **overrides):
    """What the browser posts from the edit page as rendered, with ``overrides`` typed in."""
    page = client.get(reverse("offers:edit", args=[service.id])).content.decode()
    parser = _FormValues()
    parser.feed(page[page.index('<form method="post" class="offer-form"') :])
    data = MultiValueDict()
    for name, value in parser.values:
        data.appendlist(name, value)
    for name, value in overrides.items():
        data[name] = value
    return data


def _service_events(service):
    return AuditEvent.objects.filter(object_type="service", object_id=str(service.id))


def test_creating_an_offer_with_a_contact_saves_logs_and_shows_it(editor_client):
    # when an offer is created with the contact fieldset filled in
    response = editor_client.post(
        reverse("offers:create"), form_data(organization_make(), **CONTACT)
    )
    # then the contact and its phone are saved
    service = Service.objects.get()
    assert response.status_code == 302
    contact = service.contacts.get()
    assert (contact.name, contact.title, contact.department, contact.email) == (
        "Luz Marina Pérez",
        "Coordinadora",
        "Grupo de Vivienda Rural",
        "luz.perez@example.gov.co",
    )
    assert contact.phones.get().number == "+57 601 514-9100"
    # and logged as field changes and in the single creation event
    changes = dict(
        FieldChange.objects.filter(
            resource_id=str(service.id), field_name__startswith="contact."
        ).values_list("field_name", "replacement_value")
    )
    assert changes == {
        "contact.name": "Luz Marina Pérez",
        "contact.title": "Coordinadora",
        "contact.department": "Grupo de Vivienda Rural",
        "contact.email": "luz.perez@example.gov.co",
        "contact.phone": "+57 601 514-9100",
    }
    event = _service_events(service).get()
    assert event.after["contact.name"] == "Luz Marina Pérez"
    # and the sheet shows it
    sheet = editor_client.get(reverse("offers:detail", args=[service.id])).content.decode()
    assert "Luz Marina Pérez, Coordinadora (Grupo de Vivienda Rural)" in sheet
    assert "+57 601 514-9100" in sheet


def test_the_edit_form_shows_the_existing_contact(editor_client, offer_with_contact):
    body = editor_client.get(reverse("offers:edit", args=[offer_with_contact.id])).content.decode()
    assert "<legend>Contacto</legend>" in body
    assert 'value="Jorge Ruiz"' in body
    assert 'value="jorge@example.gov.co"' in body
    assert 'value="601 222 3344"' in body


def test_editing_the_contact_keeps_its_uuid_and_logs_only_what_changed(
    editor_client, offer_with_contact
):
    # given an offer whose contact has a phone
    contact = offer_with_contact.contacts.get()
    phone = contact.phones.get()
    # when the title and the phone number change
    data = _edit_data(
        editor_client, offer_with_contact, contact_title="Coordinador", contact_phone="601 222 5566"
    )
    response = editor_client.post(reverse("offers:edit", args=[offer_with_contact.id]), data)
    # then the same contact and phone rows are updated (the extension is kept)
    assert response.status_code == 302
    assert list(offer_with_contact.contacts.values_list("id", flat=True)) == [contact.id]
    contact.refresh_from_db()
    phone.refresh_from_db()
    assert contact.title == "Coordinador"
    assert (phone.number, phone.extension) == ("601 222 5566", 12)
    # and one event and one field change per changed field record it
    event = _service_events(offer_with_contact).get()
    assert event.before == {"contact.title": "Profesional", "contact.phone": "601 222 3344"}
    assert event.after == {"contact.title": "Coordinador", "contact.phone": "601 222 5566"}
    assert set(
        FieldChange.objects.filter(resource_id=str(offer_with_contact.id)).values_list(
            "field_name", flat=True
        )
    ) == {"contact.title", "contact.phone"}
    # and the history labels them in Spanish
    history = editor_client.get(
        reverse("offers:history", args=[offer_with_contact.id])
    ).content.decode()
    assert '<td class="field-name">Contacto: teléfono</td>' in history


def test_invalid_contact_email_and_phone_are_rejected_in_spanish_keeping_the_input(
    editor_client,
):
    data = form_data(
        organization_make(),
        description="Texto que no se debe perder",
        **{**CONTACT, "contact_email": "luz.perez@", "contact_phone": "601-ABC-12"},
    )
    response = editor_client.post(reverse("offers:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Service.objects.exists()
    assert not Contact.objects.exists()
    assert "Escriba un correo electrónico válido." in body
    assert "El teléfono solo puede tener dígitos, espacios y los signos + y -." in body
    # everything typed is still there
    assert 'value="luz.perez@"' in body
    assert 'value="601-ABC-12"' in body
    assert 'value="Luz Marina Pérez"' in body
    assert "Texto que no se debe perder" in body


def test_clearing_every_contact_field_removes_the_contact_and_logs_it(
    editor_client, offer_with_contact
):
    cleared = dict.fromkeys(CONTACT, "")
    response = editor_client.post(
        reverse("offers:edit", args=[offer_with_contact.id]),
        _edit_data(editor_client, offer_with_contact, **cleared),
    )
    assert response.status_code == 302
    assert not Contact.objects.exists()
    assert not Phone.objects.exists()
    change = FieldChange.objects.get(
        resource_id=str(offer_with_contact.id), field_name="contact.name"
    )
    assert (change.previous_value, change.replacement_value) == ("Jorge Ruiz", "")


def test_saving_the_edit_form_unchanged_keeps_the_contact_and_logs_nothing(
    editor_client, offer_with_contact
):
    url = reverse("offers:edit", args=[offer_with_contact.id])
    assert editor_client.post(url, _edit_data(editor_client, offer_with_contact)).status_code == 302
    assert not FieldChange.objects.filter(resource_id=str(offer_with_contact.id)).exists()
    assert offer_with_contact.contacts.get().phones.get().number == "601 222 3344"


def test_the_service_rejects_a_bad_phone_whatever_the_caller(db):
    from oferta.core.errors import ValidationFailed
    from oferta.offers.services import offer_create

    with pytest.raises(ValidationFailed) as caught:
        offer_create(
            actor=None,
            organization=organization_make(),
            data={"name": "Oferta", "contact": {"phone": "llamar al 123"}},
        )
    assert "contact.phone" in caught.value.errors
    assert not Service.objects.exists()
