"""Offer sheet, PDF, map, history, editor and territory news pages."""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from oferta.accounts.models import AuditEvent, Role
from oferta.offers.models import FieldChange, Service
from oferta.offers.taxonomies import taxonomies_ensure

from .factories import organization_make, service_make, territories_make, user_make

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def analyst(db):
    territories_make()
    taxonomies_ensure()
    return user_make(role=Role.NATIONAL_ANALYST, username="analista")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def offer(db):
    territories_make()
    return service_make(
        name="Formación para el trabajo",
        organization=organization_make(name="SENA"),
        areas=("05", "44847"),
        indicators=("informal_work",),
        channels=("presencial",),
        slots=(("05", 300), ("44847", 40)),
        eligibility_rule="person.age >= 18",
        eligibility_scope="person",
        eligibility_rule_description="Personas adultas",
        is_demo=True,
    )


# --------------------------------------------------------------------------- sheet


def test_detail_shows_the_sheet_and_edit_link_for_a_national_analyst(analyst_client, offer):
    response = analyst_client.get(reverse("offers:detail", args=[offer.id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Formación para el trabajo" in body
    assert "SENA" in body
    assert '<code class="cel">person.age &gt;= 18</code>' in body
    assert "Trabajo informal" in body
    assert "Uribia (La Guajira)" in body
    assert "340" in body  # places total
    assert "Dato de demostración" in body
    for label in ("Descargar PDF", "Ver en el mapa", "Historial de cambios", "Editar"):
        assert label in body


def test_detail_hides_edit_link_from_a_user_who_may_not_edit(client, offer):
    client.force_login(user_make(role=Role.FAIR_OPERATOR))
    body = client.get(reverse("offers:detail", args=[offer.id])).content.decode()
    assert "Descargar PDF" in body
    assert reverse("offers:edit", args=[offer.id]) not in body


def test_unknown_offer_is_404(analyst_client):
    assert analyst_client.get(reverse("offers:detail", args=[uuid.uuid4()])).status_code == 404


def test_edit_page_is_404_for_a_user_who_may_not_edit(client, offer):
    client.force_login(user_make(role=Role.FAIR_OPERATOR))
    assert client.get(reverse("offers:edit", args=[offer.id])).status_code == 404


def test_pdf_sheet_is_a_pdf_with_the_offer_name(analyst_client, offer):
    from pypdf import PdfReader

    response = analyst_client.get(reverse("offers:sheet_pdf", args=[offer.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ficha-formacion-para-el-trabajo.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Formación para el trabajo" in text
    assert "SENA" in text


def test_map_page_highlights_the_areas_and_lists_places(analyst_client, offer):
    response = analyst_client.get(reverse("offers:map", args=[offer.id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body
    assert "Antioquia" in body
    assert "Uribia (La Guajira)" in body
    assert "340" in body


# --------------------------------------------------------------------------- editor


def form_data(organization, **overrides):
    data = {
        "organization": str(organization.id),
        "program": "",
        "name": "Crédito para vivienda rural",
        "status": "active",
        "eligibility_scope": "household",
        "minimum_age": "18",
        "maximum_age": "",
        "ipm_indicators": ["inadequate_floors", "inadequate_walls"],
        "channels": ["presencial"],
        "required_documents": "Cédula\nCertificado de tradición",
        "areas-TOTAL_FORMS": "2",
        "areas-INITIAL_FORMS": "0",
        "areas-0-divipola_code": "52",
        "areas-1-divipola_code": "",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-territory_code": "52001",
        "slots-0-period_start": "2025-01-01",
        "slots-0-period_end": "2025-12-31",
        "slots-0-places": "25",
        "windows-TOTAL_FORMS": "1",
        "windows-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_create_through_the_view_writes_offer_audit_and_field_changes(analyst_client):
    entity = organization_make(name="Banco Agrario")
    response = analyst_client.post(reverse("offers:create"), form_data(entity))
    service = Service.objects.get(name="Crédito para vivienda rural")
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:detail", args=[service.id])
    assert service.organization == entity
    assert service.minimum_age == 18
    assert [a.divipola_code for a in service.service_areas.all()] == ["52"]
    assert service.slots.get().places == 25
    assert sorted(service.required_documents.values_list("document", flat=True)) == [
        "Certificado de tradición",
        "Cédula",
    ]
    assert AuditEvent.objects.filter(action="offer_create", object_id=str(service.id)).exists()
    fields = set(
        FieldChange.objects.filter(resource_id=str(service.id)).values_list("field_name", flat=True)
    )
    assert {"name", "ipm_indicators", "service_areas", "slots", "required_documents"} <= fields


def test_edit_through_the_view_logs_the_change_and_history_lists_it(analyst_client, offer):
    # given the edit form as rendered (initial rows included)
    page = analyst_client.get(reverse("offers:edit", args=[offer.id]))
    assert page.status_code == 200
    data = form_data(
        offer.organization,
        name="Formación para el trabajo 2025",
        **{
            "areas-TOTAL_FORMS": "2",
            "areas-INITIAL_FORMS": "2",
            "areas-0-divipola_code": "05",
            "areas-1-divipola_code": "44847",
            "slots-TOTAL_FORMS": "0",
            "slots-INITIAL_FORMS": "0",
        },
    )
    # when the name changes and the slots are removed
    response = analyst_client.post(reverse("offers:edit", args=[offer.id]), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.name == "Formación para el trabajo 2025"
    assert not offer.slots.exists()
    changes = {
        c.field_name: c
        for c in FieldChange.objects.filter(resource_id=str(offer.id), last_action_type="update")
    }
    assert changes["name"].previous_value == "Formación para el trabajo"
    assert "service_areas" not in changes
    assert changes["slots"].replacement_value == ""
    assert changes["name"].updated_by == "analista"
    # then the history page lists the change
    history = analyst_client.get(reverse("offers:history", args=[offer.id])).content.decode()
    assert "Formación para el trabajo 2025" in history
    assert "analista" in history
    assert '<td class="field-name">Nombre</td>' in history
    assert '<td class="field-name">Cupos</td>' in history


def test_validation_errors_are_in_spanish_and_keep_the_input(analyst_client):
    entity = organization_make()
    data = form_data(
        entity,
        name="",
        minimum_age="30",
        maximum_age="10",
        description="Texto que no se debe perder",
        **{
            "areas-0-divipola_code": "99999",
            "slots-0-period_start": "2025-12-31",
            "slots-0-period_end": "2025-01-01",
            "slots-0-places": "-3",
        },
    )
    response = analyst_client.post(reverse("offers:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Service.objects.exists()
    assert "El nombre de la oferta es obligatorio." in body
    assert "La edad máxima no puede ser menor que la edad mínima." in body
    assert "El código DIVIPOLA «99999» no existe." in body
    assert "El periodo termina antes de empezar." in body
    assert "Los cupos no pueden ser negativos." in body
    # the typed input is still there
    assert "Texto que no se debe perder" in body
    assert 'value="99999"' in body
    assert 'value="2025-12-31"' in body
    assert 'value="inadequate_floors" id="id_ipm_indicators_' in body
    assert "Cédula\nCertificado de tradición" in body


def test_overlapping_slot_periods_in_one_territory_are_rejected(analyst_client):
    data = form_data(
        organization_make(),
        **{
            "slots-TOTAL_FORMS": "2",
            "slots-1-territory_code": "52001",
            "slots-1-period_start": "2025-06-01",
            "slots-1-period_end": "2026-05-31",
            "slots-1-places": "5",
        },
    )
    body = analyst_client.post(reverse("offers:create"), data).content.decode()
    assert "se cruza con otro periodo" in body
    assert not Service.objects.exists()


def test_organization_outside_the_users_scope_is_rejected(client, db):
    territories_make()
    own = organization_make(name="Propia")
    other = organization_make(name="Ajena")
    client.force_login(user_make(role=Role.PARTNER_USER, organization=own))
    body = client.post(reverse("offers:create"), form_data(other)).content.decode()
    assert "Seleccione una entidad que usted pueda editar." in body
    assert not Service.objects.exists()


def test_invalid_cel_rule_is_rejected_with_the_checker_message(analyst_client):
    data = form_data(organization_make(), eligibility_rule="edad > 60", eligibility_scope="person")
    response = analyst_client.post(reverse("offers:create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Service.objects.exists()
    assert "la variable «edad» no existe" in body
    assert "edad &gt; 60" in body  # the rule typed is kept


def test_valid_cel_rule_is_saved(analyst_client):
    data = form_data(
        organization_make(), eligibility_rule=" person.age >= 18 ", eligibility_scope="person"
    )
    assert analyst_client.post(reverse("offers:create"), data).status_code == 302
    assert Service.objects.get().eligibility_rule == "person.age >= 18"


# --------------------------------------------------------------------------- territory news


def test_territory_news_lists_new_and_changed_offers_available_there(analyst_client, offer):
    service_make(name="Solo en Nariño", areas=("52",))
    old = service_make(name="Antigua en Medellín", areas=("05001",))
    Service.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    response = analyst_client.get(reverse("offers:territory_news", args=["05001"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Formación para el trabajo" in body  # Antioquia-wide, created now
    assert "Solo en Nariño" not in body
    assert "Antigua en Medellín" not in body


def test_territory_news_shows_what_changed(analyst_client, analyst, offer):
    from oferta.offers.services import offer_set_status

    Service.objects.filter(pk=offer.pk).update(created_at=timezone.now() - timedelta(days=200))
    offer_set_status(actor=analyst, service=offer, status="inactive")
    body = analyst_client.get(reverse("offers:territory_news", args=["05"])).content.decode()
    assert "Actualizada" in body
    assert "<strong>Estado</strong>" in body
    assert "Activa" in body
    assert "Inactiva" in body


def test_unknown_territory_is_404(analyst_client):
    assert analyst_client.get(reverse("offers:territory_news", args=["99"])).status_code == 404


def test_territory_news_feed_is_valid_atom_with_entries(analyst_client, offer):
    response = analyst_client.get(reverse("offers:territory_news_feed", args=["05"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own server's output)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "Nueva: Formación para el trabajo"
    assert str(offer.id) in entries[0].find(f"{ATOM}link").get("href")


def test_news_since_parameter_narrows_the_period(analyst_client, offer):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = analyst_client.get(
        reverse("offers:territory_news", args=["05"]), {"desde": tomorrow}
    ).content.decode()
    assert "Formación para el trabajo" not in body


class _FormValues(HTMLParser):
    """The values a browser would submit for the first POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            elif kind != "submit":
                self.values.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the one newline Django puts right after <textarea>.
            self.values.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def test_saving_the_edit_form_unchanged_logs_nothing(analyst_client, offer):
    from django.utils.datastructures import MultiValueDict

    offer.required_documents.create(document="Cédula")
    offer.enrolment_windows.create(opens_on="2025-02-01", closes_on="2025-02-28")
    page = analyst_client.get(reverse("offers:edit", args=[offer.id])).content.decode()
    parser = _FormValues()
    parser.feed(page[page.index('<form method="post" class="offer-form"') :])
    data = MultiValueDict()
    for name, value in parser.values:
        data.appendlist(name, value)
    response = analyst_client.post(reverse("offers:edit", args=[offer.id]), data)
    assert response.status_code == 302
    assert not FieldChange.objects.filter(
        resource_id=str(offer.id), last_action_type="update"
    ).exists()
