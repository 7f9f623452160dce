"""Household pages: search-first lookup, the household page and its access log, the upload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from oferta.households import selectors
from oferta.households.models import Household, HouseholdAccessLog, ImportStatus, RegistryImport

from .factories import household_make, household_row, person_row, write_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(territories):
    """Households in Uribia (44847) and Quibdó (27001) with known names and documents."""
    uribia = household_make(
        municipality_code="44847",
        members=[
            {
                "first_names": "Ana María",
                "last_names": "Núñez Epiayú",
                "document_number": "1122334455",
            },
            {
                "first_names": "Luis",
                "last_names": "Núñez",
                "document_number": "99887766",
                "sex": "male",
            },
        ],
    )
    quibdo = household_make(
        municipality_code="27001",
        members=[{"first_names": "Ana", "last_names": "Mosquera", "document_number": "5550001"}],
    )
    return {"uribia": uribia, "quibdo": quibdo}


def _client(client, user):
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- search-first


def test_empty_search_shows_counts_by_territory_and_no_names(client, users, registry):
    # given a national analyst and households with members
    response = _client(client, users["national_analyst"]).get(reverse("households:search"))
    # then the page shows counts by department but no person data
    body = response.content.decode()
    assert response.status_code == 200
    assert "La Guajira" in body
    assert "Chocó" in body
    for personal in ("Núñez", "Mosquera", "1122334455", "5550001"):
        assert personal not in body
    assert not HouseholdAccessLog.objects.exists()


def test_a_query_in_the_url_is_ignored_so_documents_never_reach_access_logs(
    client, users, registry
):
    # given an analyst who puts a document number in the address
    c = _client(client, users["national_analyst"])

    # when the search page is requested with ?q=
    response = c.get(reverse("households:search"), {"q": "1122334455"})

    # then it shows only the search form (the form posts its query) and reads nobody
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ana María" not in body
    assert 'method="post"' in body
    assert not HouseholdAccessLog.objects.exists()


def test_document_number_matches_exactly(client, users, registry):
    c = _client(client, users["national_analyst"])
    assert "Ana María" in c.post(reverse("households:search"), {"q": "1122334455"}).content.decode()
    assert (
        "Ana María" in c.post(reverse("households:search"), {"q": "1.122.334.455"}).content.decode()
    )
    partial = c.post(reverse("households:search"), {"q": "1122334"}).content.decode()
    assert "Ana María" not in partial


def test_name_search_is_accent_insensitive_prefix_on_every_word(client, users, registry):
    c = _client(client, users["national_analyst"])
    body = c.post(reverse("households:search"), {"q": "nunez ANA"}).content.decode()
    assert "Ana María" in body
    assert "Luis" not in body
    assert "Mosquera" not in body
    assert "Mosquera" in c.post(reverse("households:search"), {"q": "an mosq"}).content.decode()
    # a word must start a name word: "ria" is inside "María" but starts nothing
    assert "Ana María" not in c.post(reverse("households:search"), {"q": "ria"}).content.decode()


def test_search_respects_the_user_scope(client, users, registry):
    c = _client(client, users["municipal_user"])  # Uribia only
    body = c.post(reverse("households:search"), {"q": "ana"}).content.decode()
    assert "Núñez Epiayú" in body
    assert "Mosquera" not in body
    assert "Mosquera" not in c.post(reverse("households:search"), {"q": "5550001"}).content.decode()


def test_search_results_are_limited(client, users, registry, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 1)
    outcome = selectors.person_search(user=users["national_admin"], query="ana", limit=1)
    assert len(outcome.hits) == 1
    assert outcome.truncated


def test_search_results_are_logged_as_reads(client, users, registry):
    user = users["national_analyst"]
    _client(client, user).post(reverse("households:search"), {"q": "1122334455"})
    log = HouseholdAccessLog.objects.get()
    assert (log.user, log.household_uuid, log.purpose) == (user, registry["uribia"].uuid, "search")


@pytest.mark.parametrize("role", ["partner_user", "fair_operator"])
def test_roles_without_household_scope_cannot_search(client, users, registry, role):
    response = _client(client, users[role]).post(reverse("households:search"), {"q": "ana"})
    assert response.status_code == 403
    assert "Núñez" not in response.content.decode()


def test_search_requires_login(client, registry):
    response = client.post(reverse("households:search"), {"q": "ana"})
    assert response.status_code == 302
    assert "Núñez" not in response.content.decode()


# --------------------------------------------------------------------------- household page


def test_household_page_shows_members_and_is_logged(client, users, registry):
    # given a municipal user of Uribia
    user = users["municipal_user"]
    household = registry["uribia"]
    # when they open the household page
    response = _client(client, user).get(reverse("households:detail", args=[household.uuid]))
    # then they see the members and the indicators, and the read is logged with ids only
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ana María" in body
    assert "Luis" in body
    assert "Hacinamiento crítico" in body
    log = HouseholdAccessLog.objects.get()
    assert log.user == user
    assert log.username == user.username
    assert log.household_uuid == household.uuid
    assert log.purpose == "household_page"


def test_household_outside_scope_is_404_and_not_logged(client, users, registry):
    user = users["municipal_user"]
    response = _client(client, user).get(
        reverse("households:detail", args=[registry["quibdo"].uuid])
    )
    assert response.status_code == 404
    assert "Mosquera" not in response.content.decode()
    assert not HouseholdAccessLog.objects.exists()


def test_each_view_of_a_household_writes_one_log_row(client, users, registry):
    c = _client(client, users["national_admin"])
    url = reverse("households:detail", args=[registry["uribia"].uuid])
    c.get(url)
    c.get(url)
    assert HouseholdAccessLog.objects.filter(purpose="household_page").count() == 2


# --------------------------------------------------------------------------- upload and task


@pytest.fixture
def upload_files(tmp_path):
    hh, pp = write_registry(
        tmp_path / "files",
        [household_row("H1"), household_row("H2", zone="suburban")],
        [person_row("P1", "H1"), person_row("P2", "H2")],
    )
    return hh, pp


def _post_upload(c, hh: Path, pp: Path, **extra):
    with hh.open("rb") as households_file, pp.open("rb") as persons_file:
        return c.post(
            reverse("households:import_upload"),
            {
                "households_file": households_file,
                "persons_file": persons_file,
                "as_of": "2025-06-30",
                "method": "dane-ecv-2018",
                "k": "0.33",
                **extra,
            },
        )


def test_upload_runs_the_import_task_and_shows_its_status(client, users, upload_files):
    # given a national administrator and a registry with one bad household
    c = _client(client, users["national_admin"])
    # when they upload the two files (the test task backend runs the task at once)
    response = _post_upload(c, *upload_files)
    # then they land on the status page of a finished import with its counts and rejects
    registry_import = RegistryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:import_status", args=[registry_import.uuid])
    assert registry_import.status == ImportStatus.SUCCEEDED, registry_import.error_message
    assert registry_import.actor == users["national_admin"]
    assert registry_import.method_code == "dane-ecv-2018"
    assert Household.objects.filter(registry_id="H1").exists()
    page = c.get(response["Location"]).content.decode()
    assert "<progress" in page
    assert 'value="100"' in page
    assert reverse("households:import_rejects", args=[registry_import.uuid]) in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    rejects = c.get(reverse("households:import_rejects", args=[registry_import.uuid]))
    assert rejects.status_code == 200
    assert b"zone" in b"".join(rejects.streaming_content)
    # the uploaded files (personal data) are not kept
    assert not list((Path(registry_import.rejects_path).parent / "upload").glob("*"))


def test_status_fragment_polls_while_the_import_is_running(client, users):
    registry_import = RegistryImport.objects.create(
        households_file_name="h.csv",
        persons_file_name="p.csv",
        as_of="2025-06-30",
        method_code="dane-cnpv-2018",
        status=ImportStatus.RUNNING,
        progress=40,
        stage="Validando",
    )
    c = _client(client, users["national_analyst"])
    url = reverse("households:import_status", args=[registry_import.uuid])
    fragment = c.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert f'hx-get="{url}"' in fragment
    assert re.search(r'<progress[^>]*value="40"', fragment)
    assert "style=" not in fragment
    assert "<script" not in fragment


def test_upload_refuses_other_formats(client, users, tmp_path):
    bad = tmp_path / "hogares.txt"
    bad.write_text("x")
    response = _post_upload(_client(client, users["national_admin"]), bad, bad)
    assert response.status_code == 400
    assert not RegistryImport.objects.exists()


@pytest.mark.parametrize("role", ["regional_analyst", "municipal_user", "partner_user"])
def test_only_national_roles_see_the_upload_and_the_imports(client, users, upload_files, role):
    registry_import = RegistryImport.objects.create(
        households_file_name="h.csv",
        persons_file_name="p.csv",
        as_of="2025-06-30",
        method_code="dane-cnpv-2018",
    )
    c = _client(client, users[role])
    assert c.get(reverse("households:import_upload")).status_code == 403
    assert _post_upload(c, *upload_files).status_code == 403
    status_url = reverse("households:import_status", args=[registry_import.uuid])
    assert c.get(status_url).status_code == 404
    rejects_url = reverse("households:import_rejects", args=[registry_import.uuid])
    assert c.get(rejects_url).status_code == 404
    assert RegistryImport.objects.count() == 1
