"""offer_create / offer_update / offer_set_status: audit event and HSDS field changes."""

from __future__ import annotations

from datetime import date

import pytest

from oferta.accounts.models import AuditEvent
from oferta.core.errors import ValidationFailed
from oferta.offers.models import FieldChange, Service, ServiceStatus
from oferta.offers.services import offer_create, offer_set_status, offer_update

from .factories import organization_make, terms, territories_make, user_make


@pytest.fixture
def actor(db):
    territories_make()
    return user_make(username="analista")


def base_data(**overrides):
    data = {
        "name": "Jóvenes en formación",
        "description": "Formación técnica",
        "status": ServiceStatus.ACTIVE,
        "minimum_age": 14,
        "maximum_age": 28,
        "ipm_indicators": terms("ipm_indicators", "informal_work", "long_term_unemployment"),
        "channels": terms("channels", "presencial"),
        "service_areas": [{"divipola_code": "05"}, {"divipola_code": "44847"}],
        "slots": [
            {
                "territory_code": "05",
                "period_start": date(2025, 1, 1),
                "period_end": date(2025, 6, 30),
                "places": 120,
                "notes": "",
            }
        ],
        "enrolment_windows": [{"opens_on": date(2025, 2, 1), "closes_on": date(2025, 2, 28)}],
        "required_documents": ["Documento de identidad", "Certificado Sisbén"],
    }
    data.update(overrides)
    return data


def changes_of(service, action_type=None):
    qs = FieldChange.objects.filter(resource_id=str(service.id), resource_type="service")
    if action_type:
        qs = qs.filter(last_action_type=action_type)
    return {c.field_name: c for c in qs}


def test_create_writes_rows_audit_event_and_field_changes(actor):
    # given an entity and complete form data
    entity = organization_make(name="SENA")
    # when the offer is created
    service = offer_create(actor=actor, organization=entity, data=base_data())
    # then the offer, its areas, slots, windows and documents exist
    assert service.organization == entity
    assert service.last_modified is not None
    assert {(a.scope, a.divipola_code) for a in service.service_areas.all()} == {
        ("department", "05"),
        ("municipality", "44847"),
    }
    assert service.slots.get().places == 120
    assert service.enrolment_windows.count() == 1
    assert service.required_documents.count() == 2
    # and one audit event with the values after
    event = AuditEvent.objects.get(object_type="service", object_id=str(service.id))
    assert event.action == "offer_create"
    assert event.actor == actor
    assert event.after["name"] == "Jóvenes en formación"
    # and one FieldChange per non-empty field, M2M and nested rows as text
    changes = changes_of(service, "create")
    assert changes["name"].replacement_value == "Jóvenes en formación"
    assert changes["name"].previous_value == ""
    assert changes["name"].updated_by == "analista"
    assert (
        changes["ipm_indicators"].replacement_value
        == "Desempleo de larga duración; Trabajo informal"
    )
    assert changes["service_areas"].replacement_value == "05; 44847"
    assert changes["slots"].replacement_value == "05 2025-01-01..2025-06-30: 120"
    assert changes["organization"].replacement_value == "SENA"
    assert "alternate_name" not in changes  # empty fields are not logged


def test_update_logs_only_the_changed_fields(actor):
    service = offer_create(actor=actor, organization=organization_make(), data=base_data())
    # when the name, the indicators and the slots change
    data = base_data(
        name="Jóvenes en formación 2025",
        ipm_indicators=terms("ipm_indicators", "informal_work"),
        slots=[
            {
                "territory_code": "05",
                "period_start": date(2025, 1, 1),
                "period_end": date(2025, 6, 30),
                "places": 150,
                "notes": "",
            }
        ],
    )
    offer_update(actor=actor, service=service, data=data)
    # then exactly those three fields are logged, with before and after
    changes = changes_of(service, "update")
    assert set(changes) == {"name", "ipm_indicators", "slots"}
    assert (
        changes["ipm_indicators"].previous_value == "Desempleo de larga duración; Trabajo informal"
    )
    assert changes["ipm_indicators"].replacement_value == "Trabajo informal"
    assert changes["slots"].replacement_value.endswith(": 150")
    event = AuditEvent.objects.get(action="offer_update", object_id=str(service.id))
    assert event.before["name"] == "Jóvenes en formación"
    assert event.after["name"] == "Jóvenes en formación 2025"
    assert Service.objects.get(pk=service.pk).slots.get().places == 150


def test_update_without_changes_writes_nothing(actor):
    service = offer_create(actor=actor, organization=organization_make(), data=base_data())
    before = Service.objects.get(pk=service.pk).last_modified
    offer_update(actor=actor, service=service, data=base_data())
    assert not changes_of(service, "update")
    assert not AuditEvent.objects.filter(action="offer_update").exists()
    assert Service.objects.get(pk=service.pk).last_modified == before


def test_unchanged_nested_rows_keep_their_ids(actor):
    service = offer_create(actor=actor, organization=organization_make(), data=base_data())
    slot_id = service.slots.get().id
    offer_update(actor=actor, service=service, data=base_data(name="Otro nombre"))
    assert service.slots.get().id == slot_id


def test_set_status_logs_status_change(actor):
    service = offer_create(actor=actor, organization=organization_make(), data=base_data())
    offer_set_status(
        actor=actor, service=service, status=ServiceStatus.TEMPORARILY_CLOSED, reason="Sin cupos"
    )
    change = changes_of(service, "update")["status"]
    assert (change.previous_value, change.replacement_value) == ("active", "temporarily closed")
    event = AuditEvent.objects.get(action="offer_set_status")
    assert event.message == "Sin cupos"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"minimum_age": 30, "maximum_age": 10}, "maximum_age"),
        (
            {
                "slots": [
                    {
                        "territory_code": "05",
                        "period_start": date(2025, 6, 1),
                        "period_end": date(2025, 1, 1),
                        "places": 1,
                    }
                ]
            },
            "slots",
        ),
    ],
)
def test_create_rejects_broken_invariants_and_writes_nothing(actor, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        offer_create(actor=actor, organization=organization_make(), data=base_data(**overrides))
    assert field in caught.value.errors
    assert not Service.objects.exists()
    assert not FieldChange.objects.exists()
