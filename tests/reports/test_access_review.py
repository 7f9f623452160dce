"""Access review of the director's reports: who may open the pages and fragments (six roles,
anonymous, inactive), CSRF and an audit event on every change, registry figures only within
the requester's scope when the file is built, and a list whose query count does not grow."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oferta.accounts.models import AuditEvent, Role
from oferta.insights.models import MunicipalIndicatorGap, MunicipalRegistrySummary
from oferta.reports.models import DirectorReport, ReportStatus
from oferta.reports.services import report_generate, report_request

from .conftest import user_make

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")
OPTIONS = reverse("reports:territory_options")
LOGIN = reverse("accounts:login")


def _cells(path: str) -> list[str]:
    with open(path, "rb") as handle:
        book = load_workbook(BytesIO(handle.read()))
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def _registry() -> None:
    """Aggregates of Uribia and Riohacha with figures easy to spot in a workbook."""
    now = timezone.now()
    for code, households, deprived in (("44847", 9871, 6543), ("44001", 8765, 4321)):
        MunicipalRegistrySummary.objects.create(
            municipality_code=code,
            department_code="44",
            households=households,
            persons=households * 3,
            households_poor=deprived,
            persons_poor=deprived * 3,
            refreshed_at=now,
        )
        MunicipalIndicatorGap.objects.create(
            municipality_code=code,
            department_code="44",
            indicator="illiteracy",
            households_deprived=deprived,
            refreshed_at=now,
        )


@pytest.fixture
def fair(users):
    return user_make(Role.FAIR_OPERATOR)


# --------------------------------------------------------------------------- who


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national", 200),
        ("regional_guajira", 200),
        ("uribia", 200),
        ("partner", 403),
        ("fair", 403),
    ],
)
def test_the_report_pages_and_fragments_answer_each_role(client, users, fair, who, status):
    client.force_login(fair if who == "fair" else users[who])

    page = client.get(INDEX)
    fragment = client.get(INDEX, HTTP_HX_REQUEST="true")
    options = client.get(OPTIONS, {"q": "uri"})

    assert page.status_code == fragment.status_code == options.status_code == status


def test_anonymous_and_deactivated_users_go_to_sign_in(client, users):
    report = report_generate(report=report_request(actor=users["uribia"], code="44847", fmt="xlsx"))
    client.force_login(users["uribia"])
    users["uribia"].is_active = False
    users["uribia"].save(update_fields=["is_active"])

    for c in (client, Client()):
        for url in (
            INDEX,
            OPTIONS,
            reverse("reports:status", kwargs={"report_id": report.uuid}),
            reverse("reports:download", kwargs={"report_id": report.uuid}),
        ):
            response = c.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(LOGIN)
    assert not AuditEvent.objects.filter(action="director_report.downloaded").exists()


@pytest.mark.parametrize(("who", "query"), [("uribia", "Riohacha"), ("regional_choco", "Uribia")])
def test_the_territory_search_offers_nothing_outside_the_scope(client, users, who, query):
    client.force_login(users[who])

    body = client.get(OPTIONS, {"q": query}).content.decode()

    assert 'value="44001"' not in body
    assert 'value="44847"' not in body


# --------------------------------------------------------------------------- changes


def test_requesting_without_the_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["uribia"])

    response = client.post(INDEX, {"code": "44847", "fmt": "xlsx"})

    assert response.status_code == 403
    assert not DirectorReport.objects.exists()
    assert not AuditEvent.objects.filter(object_type="director_report").exists()


def test_a_refused_request_stores_nothing_and_audits_nothing(client, users):
    client.force_login(users["uribia"])

    response = client.post(INDEX, {"code": "44001", "fmt": "xlsx"})

    assert response.status_code == 400
    assert not DirectorReport.objects.exists()
    assert not AuditEvent.objects.filter(object_type="director_report").exists()


def test_every_change_of_a_report_writes_an_audit_event(client, users):
    client.force_login(users["uribia"])

    client.post(INDEX, {"code": "44847", "fmt": "xlsx"})
    report = DirectorReport.objects.get()
    client.get(reverse("reports:download", kwargs={"report_id": report.uuid}))

    actions = list(
        AuditEvent.objects.filter(object_id=str(report.uuid))
        .order_by("occurred_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "director_report.requested",
        "director_report.running",
        "director_report.succeeded",
        "director_report.downloaded",
    ]


# --------------------------------------------------------------------------- content in scope


def test_a_municipal_report_holds_no_registry_figure_of_a_neighbour(users):
    _registry()

    report = report_generate(report=report_request(actor=users["uribia"], code="44847", fmt="xlsx"))

    cells = _cells(report.file_path)
    assert report.status == ReportStatus.SUCCEEDED
    assert "6543" in cells  # Uribia's own need
    assert "4321" not in cells  # Riohacha's
    assert "8765" not in cells
    # the prioritisation leaves the national registry out for a municipal user
    assert any(
        "«Personas en pobreza multidimensional (registro)» no tiene datos" in cell for cell in cells
    )


def test_a_scope_narrowed_before_the_job_runs_leaves_the_registry_out(users):
    # given a report of La Guajira requested while the analyst covered it
    _registry()
    user = users["regional_guajira"]
    report = report_request(actor=user, code="44", fmt="xlsx")
    # when their departments change before the job builds the file
    user.departments.set(["27"])

    report = report_generate(report=report)

    # then the file carries none of La Guajira's registry figures
    cells = _cells(report.file_path)
    assert report.status == ReportStatus.SUCCEEDED
    assert "6543" not in cells
    assert "9871" not in cells
    assert "4321" not in cells


# --------------------------------------------------------------------------- queries


def test_the_report_list_query_count_does_not_grow_with_the_reports(
    client, users, django_assert_max_num_queries
):
    for _ in range(20):
        DirectorReport.objects.create(
            territory_code="44847",
            territory_label="Uribia (La Guajira)",
            format="xlsx",
            created_by=users["uribia"],
            status=ReportStatus.SUCCEEDED,
        )
    client.force_login(users["uribia"])

    with django_assert_max_num_queries(10):
        fragment = client.get(INDEX, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(15):
        page = client.get(INDEX)

    assert fragment.content.decode().count("Descargar") == 20
    assert page.status_code == 200
