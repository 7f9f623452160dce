"""The catalogue in a real browser: a regional analyst finds and downloads an offer sheet; a
partner user edits its own offer and is refused another entity's."""

from __future__ import annotations

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_analyst_filters_catalogue_opens_sheet_and_downloads_pdf(page, demo_platform):
    # given the regional analyst of La Guajira and Chocó, signed in
    log_in(page, "regional", demo_platform["regional"])

    # when they filter by Uribia and the early-childhood deprivation
    page.select_option("#id_department", "44")
    # (a locator wait: string predicates are JavaScript eval, which our CSP forbids)
    page.locator('#id_municipality option[value="44847"]').wait_for(state="attached")
    page.select_option("#id_municipality", "44847")
    page.select_option("#id_indicator", ["early_childhood_barriers"])
    page.click("button:has-text('Buscar')")
    page.wait_for_url("**municipality=44847**")

    # then every result closes that deprivation, and the ICBF nutrition offer is among them
    titles = page.locator(".offer-title a").all_inner_texts()
    assert titles, "the filtered catalogue shows no offer"
    assert any("1.000 Días" in title for title in titles)
    for card in page.locator(".offer-card").all():
        assert "primera infancia" in card.inner_text()

    # when they open the offer sheet and download its PDF
    page.click(".offer-title a:has-text('1.000 Días')")
    page.wait_for_selector("h1:has-text('1.000 Días')")
    assert "Uribia" in page.inner_text("main")
    with page.expect_download() as download_info:
        page.click("a:has-text('Descargar PDF')")
    download = download_info.value
    pdf_path = download.path()

    # then the file is a PDF of that offer
    assert download.suggested_filename.endswith(".pdf")
    with open(pdf_path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "1.000 Días para Cambiar el Mundo" in " ".join(text.split())


def test_partner_user_edits_own_offer_and_is_refused_another_entitys(page, demo_platform):
    from oferta.accounts.models import AuditEvent
    from oferta.offers.demo.loader import service_id
    from oferta.offers.models import FieldChange, Service

    own = Service.objects.get(id=service_id("sena_formacion_titulada"))
    other = Service.objects.get(id=service_id("icbf_mil_dias"))

    # given the SENA partner user, signed in
    log_in(page, "entidad", demo_platform["entidad"])

    # when they open their own offer, edit its alert and save
    page.goto(f"/oferta/{own.id}/")
    page.click("a:has-text('Editar')")
    page.fill("#id_alert", "Inscripciones abiertas hasta el 15 de diciembre.")
    page.click("button:has-text('Guardar')")

    # then the sheet shows the change, and it is audited and in the history
    page.wait_for_url(f"**/oferta/{own.id}/")
    assert "Inscripciones abiertas hasta el 15 de diciembre." in page.inner_text("main")
    own.refresh_from_db()
    assert own.alert == "Inscripciones abiertas hasta el 15 de diciembre."
    assert AuditEvent.objects.filter(object_id=str(own.id), actor__username="entidad").exists()
    assert FieldChange.objects.filter(resource_id=str(own.id), field_name="alert").exists()

    # when they look at another entity's offer
    page.goto(f"/oferta/{other.id}/")
    # then they may read it but see no edit link
    assert page.locator("a:has-text('Editar')").count() == 0

    # when they go to its edit page directly
    response = page.goto(f"/oferta/{other.id}/editar/")
    # then they are refused exactly as for an offer that does not exist
    missing = page.request.get("/oferta/00000000-0000-4000-8000-000000000000/editar/")
    assert response.status == 404
    assert missing.status == 404
    assert "no existe, o no tiene acceso" in page.inner_text("main")
    other.refresh_from_db()
    assert other.alert == ""
