"""Access review of the follow-up dashboard, its XLSX and the routing-run pages: who may see
them (six roles, anonymous, inactive), that query parameters never widen a scope, that partners
see only their own entity, search-first household lookup with its read log, CSRF and audit on
POSTs, and query counts that do not grow with the rows shown."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from households.factories import household_make
from oferta.accounts.models import AuditEvent
from oferta.households.models import HouseholdAccessLog
from oferta.referrals.models import RoutingRun, RunStatus
from offers.factories import organization_make, service_make, territories_make

from .conftest import referral_in_state

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("referrals:dashboard")
DASHBOARD_XLSX = reverse("referrals:dashboard_xlsx")
RUNS = reverse("referrals:routing_runs")
LOGIN = reverse("accounts:login")


def _search(run) -> str:
    return reverse("referrals:routing_run_household_search", kwargs={"run_id": run.uuid})


def _household_page(run, household) -> str:
    return reverse(
        "referrals:routing_run_household",
        kwargs={"run_id": run.uuid, "household_id": household.uuid},
    )


def _cells(content: bytes) -> list[str]:
    book = load_workbook(BytesIO(content))
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def _guajira_run() -> RoutingRun:
    return RoutingRun.objects.create(name="Corrida Guajira", scope=["44"])


# --------------------------------------------------------------------------- dashboard: who


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national", 200),
        ("admin", 200),
        ("regional", 200),
        ("municipal", 200),
        ("partner_a", 200),
        ("fair", 403),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, DASHBOARD_XLSX])
def test_the_dashboard_and_its_xlsx_answer_each_role_as_its_scope_allows(
    client, world, funnel_referrals, who, status, url
):
    # given a user of each role; when they open the dashboard or its XLSX
    client.force_login(getattr(world, who))
    response = client.get(url)
    # then the roles with a referral scope get it and fair operators are refused
    assert response.status_code == status


@pytest.mark.parametrize("url", [DASHBOARD, DASHBOARD_XLSX])
def test_anonymous_and_deactivated_users_are_sent_to_sign_in(client, world, funnel_referrals, url):
    # given a national analyst signed in and then deactivated
    client.force_login(world.national)
    world.national.is_active = False
    world.national.save(update_fields=["is_active"])
    # when the session is used again, and when nobody is signed in
    deactivated = client.get(url)
    anonymous = Client().get(url)
    # then both go to the sign-in page and see no figures
    for response in (deactivated, anonymous):
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


# --------------------------------------------------------------------------- dashboard: scope


@pytest.mark.parametrize(
    ("who", "territory"),
    [
        ("regional", "27"),  # another department
        ("regional", "27001"),  # a municipality of another department
        ("municipal", "44"),  # their own department: a partial sum would read as its total
        ("municipal", "44001"),  # a neighbour municipality
    ],
)
def test_a_territory_out_of_scope_in_the_query_is_refused_without_figures(
    client, world, funnel_referrals, who, territory
):
    client.force_login(getattr(world, who))

    page = client.get(DASHBOARD, {"territorio": territory})
    xlsx = client.get(DASHBOARD_XLSX, {"territorio": territory})

    assert page.status_code == 400
    assert page.context["dashboard"] is None
    assert xlsx.status_code == 400
    assert xlsx["Content-Type"].startswith("text/plain")


def test_a_regional_analyst_grouped_by_department_sees_only_their_department(
    client, world, funnel_referrals
):
    client.force_login(world.regional)

    response = client.get(DASHBOARD_XLSX, {"agrupar": "department"})

    cells = _cells(response.content)
    assert "La Guajira" in cells
    assert "Chocó" not in cells
    assert "27" not in cells


def test_a_run_filter_for_a_run_outside_the_scope_is_refused(client, world, funnel_referrals):
    # given a run that proposed referrals only in Chocó
    choco_run = RoutingRun.objects.create(name="Corrida Chocó", scope=["27"])
    referral_in_state(world, "requested", household=world.quibdo, run=choco_run)
    client.force_login(world.regional)  # La Guajira

    response = client.get(DASHBOARD, {"corrida": str(choco_run.uuid)})

    assert response.status_code == 400
    assert "La corrida no existe o no tiene acceso a ella." in response.content.decode()
    assert "Corrida Chocó" not in response.content.decode()


def test_a_partner_grouped_by_entity_sees_only_their_own_entity(client, world, funnel_referrals):
    client.force_login(world.partner_a)

    page = client.get(DASHBOARD, {"agrupar": "organization"})
    xlsx = client.get(DASHBOARD_XLSX, {"agrupar": "organization"})

    rows = page.context["dashboard"].rows
    assert [row.label for row in rows] == ["Entidad A"]
    assert "Entidad B" not in page.content.decode()
    assert "Entidad B" not in _cells(xlsx.content)
    assert "Oferta B" not in _cells(client.get(DASHBOARD_XLSX, {"agrupar": "offer"}).content)


def test_a_partner_cannot_reach_another_entitys_figures_through_a_run(
    client, world, funnel_referrals
):
    # given a run whose only referral goes to entity B
    run = _guajira_run()
    referral_in_state(world, "accepted", household=world.riohacha, offer=world.offer_b, run=run)
    client.force_login(world.partner_a)

    page = client.get(DASHBOARD, {"corrida": str(run.uuid), "agrupar": "offer"})
    xlsx = client.get(DASHBOARD_XLSX, {"corrida": str(run.uuid), "agrupar": "offer"})

    # then partners have no run filter: the run is refused, not silently ignored
    assert page.status_code == 400
    assert page.context["dashboard"] is None
    assert "La corrida no existe o no tiene acceso a ella." in page.content.decode()
    assert "Oferta B" not in page.content.decode()
    assert xlsx.status_code == 400


def test_the_xlsx_holds_aggregates_only_and_no_personal_data(client, world, funnel_referrals):
    client.force_login(world.national)

    for by in ("offer", "organization", "department", "municipality"):
        cells = " ".join(_cells(client.get(DASHBOARD_XLSX, {"agrupar": by}).content))
        assert "Yolanda" not in cells
        assert "Quiñones" not in cells
        assert "11111111" not in cells
        assert world.uribia.registry_id not in cells
        assert str(world.uribia.uuid) not in cells


def test_the_dashboard_logs_no_household_read(client, world, funnel_referrals):
    # aggregates show no household record, so nothing is logged as read
    client.force_login(world.partner_a)

    client.get(DASHBOARD)
    client.get(DASHBOARD_XLSX)

    assert not HouseholdAccessLog.objects.exists()


# --------------------------------------------------------------------------- dashboard: queries


def _many_rows(world, n: int) -> None:
    """``n`` more offers, entities and municipalities, each with a sent referral."""
    territories_make({"44": ("La Guajira", {f"44{i:03d}": f"Municipio {i}" for i in range(n)})})
    for i in range(n):
        offer = service_make(organization=organization_make(name=f"Entidad {i}"))
        household = household_make(municipality_code=f"44{i:03d}")
        referral_in_state(world, "completed", household=household, offer=offer)


@pytest.mark.parametrize("by", ["offer", "organization", "department", "municipality"])
def test_the_dashboard_query_count_does_not_grow_with_its_rows(
    client, world, funnel_referrals, django_assert_max_num_queries, by
):
    # given 25 more offers, entities and municipalities (one row each)
    _many_rows(world, 25)
    client.force_login(world.national)

    with django_assert_max_num_queries(20):
        page = client.get(DASHBOARD, {"agrupar": by})
    with django_assert_max_num_queries(20):
        xlsx = client.get(DASHBOARD_XLSX, {"agrupar": by})

    assert page.status_code == xlsx.status_code == 200
    expected_rows = 1 if by == "department" else 25
    assert len(page.context["dashboard"].rows) >= expected_rows


# --------------------------------------------------------------------------- routing runs


def test_starting_a_run_writes_an_audit_event(client, world):
    client.force_login(world.national)

    response = client.post(RUNS, {"territory": "44847", "k_max": "2", "name": "Auditada"})

    run = RoutingRun.objects.get(name="Auditada")
    event = AuditEvent.objects.get(action="routing_run.created", object_id=str(run.uuid))
    assert response.status_code == 302
    assert event.actor == world.national
    assert event.after["scope"] == ["44847"]
    assert event.after["k_max"] == 2
    assert event.after["policy"] == run.parameters["policy"]["code"]


def test_starting_a_run_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.national)

    response = client.post(RUNS, {"territory": "44847", "k_max": "2", "name": "Sin token"})

    assert response.status_code == 403
    assert not RoutingRun.objects.filter(name="Sin token").exists()
    assert not AuditEvent.objects.filter(action="routing_run.created").exists()


def test_the_routing_run_list_query_count_does_not_grow_with_the_runs(
    client, world, django_assert_max_num_queries
):
    for i in range(30):
        RoutingRun.objects.create(name=f"Corrida {i}", scope=["44"], created_by=world.national)
    client.force_login(world.regional)

    with django_assert_max_num_queries(15):
        response = client.get(RUNS)

    assert response.status_code == 200
    assert "Corrida 29" in response.content.decode()


def test_the_run_page_with_need_open_in_many_municipalities_keeps_its_query_count(
    client, world, django_assert_max_num_queries
):
    # given a finished run that left need open in 40 municipalities
    territories_make({"44": ("La Guajira", {f"44{i:03d}": f"Municipio {i}" for i in range(40)})})
    run = RoutingRun.objects.create(
        name="Abierta",
        scope=["44"],
        status=RunStatus.SUCCEEDED,
        unmet_need=[
            {
                "indicator": "illiteracy",
                "municipality_code": f"44{i:03d}",
                "households_in_need": 3,
                "covered": 1,
                "unmet": 2,
            }
            for i in range(40)
        ],
    )
    client.force_login(world.national)

    with django_assert_max_num_queries(25):
        page = client.get(reverse("referrals:routing_run", kwargs={"run_id": run.uuid}))
    with django_assert_max_num_queries(12):
        xlsx = client.get(
            reverse("referrals:routing_run_outputs_xlsx", kwargs={"run_id": run.uuid})
        )

    assert page.status_code == xlsx.status_code == 200
    assert "Municipio 39 (La Guajira)" in _cells(xlsx.content)


@pytest.mark.parametrize("who", ["municipal", "partner_a", "fair"])
def test_roles_that_do_not_route_cannot_open_the_runs_or_their_outputs(client, world, who):
    run = _guajira_run()
    client.force_login(getattr(world, who))

    for url in (
        RUNS,
        reverse("referrals:routing_run", kwargs={"run_id": run.uuid}),
        reverse("referrals:routing_run_outputs_xlsx", kwargs={"run_id": run.uuid}),
        _search(run),
        _household_page(run, world.uribia),
    ):
        assert client.get(url).status_code == 403, url
    assert not HouseholdAccessLog.objects.exists()


def test_anonymous_and_deactivated_users_cannot_search_a_runs_households(client, world):
    run = _guajira_run()
    client.force_login(world.regional)
    world.regional.is_active = False
    world.regional.save(update_fields=["is_active"])

    for c in (client, Client()):
        search = c.post(_search(run), {"q": "11111111"})
        page = c.get(_household_page(run, world.uribia))
        assert search.status_code == page.status_code == 302
        assert search.url.startswith(LOGIN)
    assert not HouseholdAccessLog.objects.exists()


# --------------------------------------------------------------------------- search-first


@pytest.mark.parametrize("query", ["-", "...", " . - ", "   "])
def test_a_query_of_separators_only_lists_no_household(client, world, query):
    # given households whose members were registered without a document number
    household_make(municipality_code="44847", members=[{"document_number": ""}])
    household_make(municipality_code="44001", members=[{"document_number": ""}])
    run = _guajira_run()
    client.force_login(world.national)

    response = client.post(_search(run), {"q": query})

    assert response.status_code in (200, 400)
    assert response.context["households"] == []
    assert "Ver explicación" not in response.content.decode()
    assert not HouseholdAccessLog.objects.exists()


def test_several_matches_are_listed_without_names_and_each_read_is_logged(client, world):
    # given two households of the run's territory with a member sharing a document number
    first = household_make(municipality_code="44847", members=[{"document_number": "5550001"}])
    second = household_make(municipality_code="44001", members=[{"document_number": "5550001"}])
    run = _guajira_run()
    client.force_login(world.regional)

    response = client.post(_search(run), {"q": "5.550.001"})

    body = response.content.decode()
    assert response.status_code == 200
    assert first.registry_id in body
    assert second.registry_id in body
    assert "Ana María" not in body
    assert "Gómez" not in body
    logged = set(
        HouseholdAccessLog.objects.filter(
            user=world.regional, purpose="routing_run_search"
        ).values_list("household_uuid", flat=True)
    )
    assert logged == {first.uuid, second.uuid}


def test_the_household_search_query_count_does_not_grow_with_the_matches(
    client, world, django_assert_max_num_queries
):
    for _ in range(15):
        household_make(municipality_code="44847", members=[{"document_number": "7770001"}])
    run = _guajira_run()
    client.force_login(world.national)

    with django_assert_max_num_queries(12):
        response = client.post(_search(run), {"q": "7770001"})

    assert len(response.context["households"]) == 15


def test_a_household_of_another_department_is_not_found_and_not_logged(client, world):
    run = _guajira_run()
    client.force_login(world.regional)  # La Guajira

    response = client.get(_household_page(run, world.quibdo))

    assert response.status_code == 404
    assert "11111111" not in response.content.decode()
    assert not HouseholdAccessLog.objects.exists()


def test_the_household_page_logs_the_read_and_shows_no_document(client, world):
    run = _guajira_run()
    client.force_login(world.regional)

    response = client.get(_household_page(run, world.uribia))

    body = response.content.decode()
    assert response.status_code == 200
    assert "11111111" not in body
    assert "Yolanda" not in body
    assert HouseholdAccessLog.objects.filter(
        user=world.regional, household_uuid=world.uribia.uuid, purpose="routing_run_household"
    ).exists()
