"""The /informes/ pages, the background job and the download chokepoint: who may request and
download which report, and the same 404 for a missing report and someone else's."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from oferta.accounts.models import AuditEvent
from oferta.core.errors import ObjectNotFound, ValidationFailed
from oferta.reports.access import access_report
from oferta.reports.models import DirectorReport, ReportStatus
from oferta.reports.services import report_generate, report_request
from oferta.reports.tasks import director_report_task

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_requesting_from_the_page_runs_the_job_and_lands_on_a_finished_status(client, users):
    # given a municipal user of Uribia; when they ask for their municipality's XLSX
    response = _client(client, users["uribia"]).post(
        reverse("reports:index"), {"code": "44847", "fmt": "xlsx"}
    )
    # then the job ran (tasks run immediately in tests) and the status page offers the file
    report = DirectorReport.objects.get(created_by=users["uribia"])
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:status", kwargs={"report_id": report.uuid})
    assert report.status == ReportStatus.SUCCEEDED
    assert report.progress == 100
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"Listo" in fragment.content
    assert b"hx-trigger" not in fragment.content
    assert (
        reverse("reports:download", kwargs={"report_id": report.uuid}).encode() in fragment.content
    )


def test_download_serves_the_file_and_audits_it(client, users):
    report = report_generate(
        report=report_request(actor=users["regional_guajira"], code="44", fmt="xlsx")
    )
    response = _client(client, users["regional_guajira"]).get(
        reverse("reports:download", kwargs={"report_id": report.uuid})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(
        action="director_report.downloaded",
        object_id=str(report.uuid),
        actor=users["regional_guajira"],
    ).exists()


def test_a_queued_report_status_polls_with_htmx(client, users):
    report = report_request(actor=users["national"], code="CO", fmt="pdf")
    response = _client(client, users["national"]).get(
        reverse("reports:status", kwargs={"report_id": report.uuid})
    )
    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content
    assert b"En cola" in response.content


def test_the_task_generates_a_queued_report(users):
    report = report_request(actor=users["national"], code="44", fmt="xlsx")
    result = director_report_task.enqueue(str(report.uuid))
    report.refresh_from_db()
    assert result.return_value == ReportStatus.SUCCEEDED == report.status


def test_a_rendering_failure_ends_failed_with_a_spanish_message(users, monkeypatch):
    def broken(_content):
        raise RuntimeError("boom")

    monkeypatch.setattr("oferta.reports.xlsx.report_xlsx", broken)
    report = report_generate(report=report_request(actor=users["national"], code="44", fmt="xlsx"))
    assert report.status == ReportStatus.FAILED
    assert report.error_message.startswith("No se pudo generar el informe")
    assert "boom" not in report.error_message
    assert AuditEvent.objects.filter(
        action="director_report.failed", object_id=str(report.uuid)
    ).exists()


# --------------------------------------------------------------------------- scope


def test_a_territorial_user_cannot_request_another_territory(client, users):
    response = _client(client, users["uribia"]).post(
        reverse("reports:index"), {"code": "27001", "fmt": "pdf"}
    )
    assert response.status_code == 400
    assert "Solo puede pedir informes de los territorios a su cargo." in response.content.decode()
    assert not DirectorReport.objects.exists()


@pytest.mark.parametrize(("user", "code"), [("regional_guajira", "CO"), ("uribia", "44")])
def test_the_service_refuses_territories_outside_the_scope(users, user, code):
    with pytest.raises(ValidationFailed):
        report_request(actor=users[user], code=code, fmt="pdf")


def test_unknown_territory_and_format_are_refused_in_spanish(users):
    with pytest.raises(ValidationFailed) as caught:
        report_request(actor=users["national"], code="99999", fmt="docx")
    assert set(caught.value.errors) == {"code", "fmt"}


def test_another_users_report_and_a_missing_one_give_the_same_404(client, users):
    report = report_request(actor=users["regional_guajira"], code="44847", fmt="pdf")
    other = _client(client, users["regional_choco"])
    for report_id in (report.uuid, uuid.uuid4()):
        for name in ("reports:status", "reports:download"):
            response = other.get(reverse(name, kwargs={"report_id": report_id}))
            assert response.status_code == 404
    with pytest.raises(ObjectNotFound) as missing:
        access_report(user=users["regional_choco"], report_uuid=uuid.uuid4())
    with pytest.raises(ObjectNotFound) as not_yours:
        access_report(user=users["regional_choco"], report_uuid=report.uuid)
    assert str(missing.value) == str(not_yours.value)


def test_a_report_is_hidden_once_its_territory_leaves_the_users_scope(users):
    user = users["regional_guajira"]
    report = report_request(actor=user, code="44847", fmt="pdf")
    user.departments.set(["27"])
    with pytest.raises(ObjectNotFound):
        access_report(user=user, report_uuid=report.uuid)


def test_partner_users_have_no_report_pages(client, users):
    response = _client(client, users["partner"]).get(reverse("reports:index"))
    assert response.status_code == 403


def test_territory_search_offers_only_territories_in_scope(client, users):
    response = _client(client, users["regional_guajira"]).get(
        reverse("reports:territory_options"), {"q": "uri"}
    )
    body = response.content.decode()
    assert 'value="44847"' in body  # Uribia (La Guajira)
    assert 'value="27' not in body


def test_index_lists_the_users_reports_and_offers_their_own_territory(client, users):
    report_request(actor=users["uribia"], code="44847", fmt="pdf")
    response = _client(client, users["uribia"]).get(reverse("reports:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="44847" checked' in body
    assert "Uribia (La Guajira)" in body
    assert "En cola" in body
    assert 'hx-get="/informes/"' in body  # the list refreshes while a report is pending
