"""Access review of the territorial reading: the coverage gaps and their XLSX, the national map
(with ``?indicator=`` and ``?level=``, page and htmx fragment), the prioritisation and its
capacity upload, and the territorial profile. Registry-derived figures reach only users whose
scope covers the whole territory; uploads need CSRF and write an audit event; query counts do
not grow with the units painted or listed."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from oferta.accounts.models import AuditEvent, Role
from oferta.insights.access import registry_territory_codes, user_can_read_territory_registry
from oferta.insights.models import (
    CapacityUpload,
)
from oferta.insights.selectors import territory_profile
from oferta.insights.services import insights_refresh
from offers.factories import organization_make, service_make, user_make

from .conftest import registry_rows_make, slot_make

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
MAP = reverse("insights:map")
PRIORITIES = reverse("insights:priorities")
PRIORITIES_XLSX = reverse("insights:priorities_xlsx")
CAPACITY = reverse("insights:capacity_upload")


def _gaps(code: str) -> str:
    return reverse("insights:gaps", args=[code])


def _gaps_xlsx(code: str) -> str:
    return reverse("insights:gaps_xlsx", args=[code])


def _cells(content: bytes) -> list[str]:
    book = load_workbook(BytesIO(content))
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


# --------------------------------------------------------------------------- who reads what


@pytest.fixture
def fair(db):
    return user_make(Role.FAIR_OPERATOR)


def _users(world, fair):
    return {
        "national": world.national,
        "regional": world.regional,  # La Guajira
        "regional_choco": world.regional_choco,
        "municipal": world.municipal,  # Uribia
        "partner": world.partner,
        "fair": fair,
    }


SCOPE = [
    ("national", "CO", True),
    ("national", "27001", True),
    ("regional", "44", True),
    ("regional", "44001", True),
    ("regional", "27", False),
    ("regional", "27001", False),
    ("regional", "CO", False),
    ("regional_choco", "44847", False),
    ("municipal", "44847", True),
    ("municipal", "44", False),
    ("municipal", "44001", False),
    ("municipal", "CO", False),
    ("partner", "44847", False),
    ("partner", "CO", False),
    ("fair", "44847", False),
]


@pytest.mark.parametrize(("who", "code", "allowed"), SCOPE)
def test_the_scope_in_one_query_agrees_with_the_rule_code_by_code(world, fair, who, code, allowed):
    user = _users(world, fair)[who]

    codes = registry_territory_codes(user=user)
    by_set = codes is None or code in codes or (len(code) == 5 and code[:2] in codes)

    assert user_can_read_territory_registry(user=user, code=code) is allowed
    assert by_set is allowed


def test_a_deactivated_national_user_reads_no_registry_figure(world):
    world.national.is_active = False
    world.national.save(update_fields=["is_active"])
    insights_refresh()

    profile = territory_profile(code="44847", user=world.national)

    assert registry_territory_codes(user=world.national) == set()
    assert profile.registry_visible is False
    assert profile.registry is None
    assert profile.funnel is None
    assert profile.needs == []


# --------------------------------------------------------------------------- gaps


@pytest.mark.parametrize(("who", "code", "allowed"), SCOPE)
def test_the_gaps_page_and_xlsx_follow_the_scope(client, world, fair, who, code, allowed):
    insights_refresh()
    client.force_login(_users(world, fair)[who])

    page = client.get(_gaps(code))
    xlsx = client.get(_gaps_xlsx(code))

    expected = 200 if allowed else 404
    assert page.status_code == expected
    assert xlsx.status_code == expected
    if not allowed:
        assert "Necesidad" not in page.content.decode()


@pytest.mark.parametrize("url", [_gaps("44847"), _gaps_xlsx("44847")])
def test_the_gaps_of_anonymous_and_deactivated_users_go_to_sign_in(client, world, url):
    insights_refresh()
    client.force_login(world.national)
    world.national.is_active = False
    world.national.save(update_fields=["is_active"])

    for response in (client.get(url), Client().get(url)):
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def test_the_department_gaps_xlsx_of_a_regional_analyst_names_only_their_municipalities(
    client, world
):
    insights_refresh()
    client.force_login(world.regional)

    cells = _cells(client.get(_gaps_xlsx("44")).content)

    assert "44847" in cells
    assert "27001" not in cells
    assert "Quibdó" not in cells


def test_the_gaps_pages_answer_only_get(client, world):
    insights_refresh()
    client.force_login(world.national)

    assert client.post(_gaps("44847")).status_code == 405
    assert client.post(_gaps_xlsx("44847")).status_code == 405


# --------------------------------------------------------------------------- map


def test_a_municipal_user_sees_registry_values_of_their_municipality_only(
    client, world, reference_data
):
    registry_rows_make()
    client.force_login(world.municipal)  # Uribia

    municipalities = client.get(MAP, {"indicator": "registry:poor"}).content.decode()
    departments = client.get(
        MAP, {"indicator": "registry:poor", "level": "department"}
    ).content.decode()

    assert "<title>Uribia (La Guajira): 80,0 %</title>" in municipalities
    assert "<title>Riohacha (La Guajira): sin dato</title>" in municipalities
    assert "<title>Quibdó (Chocó): sin dato</title>" in municipalities
    # no partial sum of their department that would read as the department's figure
    assert "<title>La Guajira: sin dato</title>" in departments
    assert "80,0" not in departments


@pytest.mark.parametrize("who", ["partner", "fair"])
@pytest.mark.parametrize("htmx", [False, True])
def test_roles_without_registry_scope_cannot_ask_the_map_for_a_registry_layer(
    client, world, fair, reference_data, who, htmx
):
    registry_rows_make()
    client.force_login(_users(world, fair)[who])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    for key in ("registry:poor", "registry_deprivation:illiteracy", "registry:extreme"):
        html = client.get(MAP, {"indicator": key}, **headers).content.decode()
        assert "no existe; se muestra el IPM censal" in html
        assert f'value="{key}"' not in html
        assert "<title>Uribia (La Guajira): 80,0 %</title>" not in html
        assert "<title>Uribia (La Guajira): 92,2 %</title>" in html  # the census layer instead
        assert "Registro de hogares" not in html


def test_the_map_query_count_does_not_grow_with_the_departments(
    client, world, reference_data, django_assert_max_num_queries
):
    # given a regional analyst and the 33 departments of the shipped reference data
    registry_rows_make()
    client.force_login(world.regional)

    with django_assert_max_num_queries(20):
        response = client.get(MAP, {"indicator": "registry:poor"})
    with django_assert_max_num_queries(20):
        departments = client.get(MAP, {"indicator": "registry:poor", "level": "department"})

    assert response.status_code == departments.status_code == 200
    assert "<title>Uribia (La Guajira): 80,0 %</title>" in response.content.decode()
    assert "<title>Chocó: sin dato</title>" in departments.content.decode()


def test_the_map_answers_only_get(client, world, reference_data):
    client.force_login(world.national)

    assert client.post(MAP).status_code == 405


# --------------------------------------------------------------------------- prioritisation


@pytest.mark.parametrize("who", ["regional", "municipal", "partner", "fair"])
def test_the_ranking_leaves_registry_components_out_for_non_national_users(
    client, world, fair, reference_data, who
):
    registry_rows_make()
    client.force_login(_users(world, fair)[who])

    page = client.get(PRIORITIES, {"department": "44"})
    xlsx = client.get(PRIORITIES_XLSX, {"department": "44"})

    ranking = page.context["ranking"]
    poor = next(c for c in ranking.components if c.key == "poor_persons")
    assert page.status_code == xlsx.status_code == 200
    assert poor.units_with_data == 0
    uribia = next(row for row in ranking.rows if row.code == "44847")
    assert next(c for c in uribia.components if c.key == "poor_persons").raw is None
    assert "No disponible con su alcance" in " ".join(_cells(xlsx.content))


def test_the_national_ranking_uses_the_registry(client, world, reference_data):
    registry_rows_make()
    client.force_login(world.national)

    ranking = client.get(PRIORITIES, {"department": "44"}).context["ranking"]

    uribia = next(row for row in ranking.rows if row.code == "44847")
    assert next(c for c in uribia.components if c.key == "poor_persons").raw == 24.0


@pytest.mark.parametrize("who", ["regional", "municipal", "partner", "fair"])
def test_only_national_users_open_or_post_the_capacity_upload(client, world, fair, who):
    client.force_login(_users(world, fair)[who])

    page = client.get(CAPACITY)
    post = client.post(
        CAPACITY,
        {
            "file": SimpleUploadedFile("c.csv", b"municipality_code,score\n44847,10\n"),
            "source": "DNP",
        },
    )

    assert page.status_code == post.status_code == 403
    assert not CapacityUpload.objects.exists()
    assert not AuditEvent.objects.filter(action="institutional_capacity.uploaded").exists()


def test_the_capacity_upload_of_anonymous_users_goes_to_sign_in(world):
    response = Client().get(CAPACITY)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_capacity_upload_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.national)

    response = client.post(
        CAPACITY,
        {
            "file": SimpleUploadedFile("c.csv", b"municipality_code,score\n44847,10\n"),
            "source": "DNP",
        },
    )

    assert response.status_code == 403
    assert not CapacityUpload.objects.exists()


def test_a_capacity_upload_with_a_long_file_name_is_audited_within_the_column(client, world):
    # given a file name longer than the 64 characters of AuditEvent.object_id
    name = "capacidad-institucional-" + "x" * 100 + ".csv"
    client.force_login(world.national)

    response = client.post(
        CAPACITY,
        {
            "file": SimpleUploadedFile(name, b"municipality_code,score\n44847,10\n"),
            "source": "DNP MDM 2022",
        },
    )

    event = AuditEvent.objects.get(action="institutional_capacity.uploaded")
    assert response.status_code == 302
    assert event.object_id == str(CapacityUpload.objects.get().uuid)  # the upload's identifier
    assert event.after["file_name"] == name
    assert event.actor == world.national


def test_the_capacity_upload_answers_only_get_and_post(client, world):
    client.force_login(world.national)

    assert client.put(CAPACITY).status_code == 405
    assert client.get(CAPACITY).status_code == 200


# --------------------------------------------------------------------------- profile


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("municipal", "44"),  # their department
        ("municipal", "44001"),  # a neighbour
        ("regional", "CO"),  # the nation
        ("regional_choco", "44847"),  # another department
        ("fair", "44847"),
    ],
)
def test_the_profile_shows_no_registry_section_outside_the_scope(
    client, world, fair, reference_data, who, code
):
    insights_refresh()
    client.force_login(_users(world, fair)[who])

    response = client.get(reverse("territories:detail", args=[code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Oferta disponible" in html  # the public catalogue stays
    assert 'id="registro"' not in html
    assert 'id="embudo"' not in html
    assert reverse("insights:gaps", args=[code]) not in html


def test_the_profile_of_a_small_municipality_shows_its_counts_to_its_own_user(
    client, world, reference_data
):
    insights_refresh()
    client.force_login(world.municipal)

    html = client.get(reverse("territories:detail", args=["44847"])).content.decode()

    assert 'id="registro"' in html
    assert 'id="embudo"' in html


def test_the_profile_query_count_does_not_grow_with_the_offers(
    client, world, reference_data, django_assert_max_num_queries
):
    # given 25 more offers of 25 entities with places in Uribia
    insights_refresh()
    for i in range(25):
        offer = service_make(
            organization=organization_make(name=f"Entidad {i}"), indicators=("illiteracy",)
        )
        slot_make(offer, "44847", 2)
    client.force_login(world.national)

    with django_assert_max_num_queries(40):
        response = client.get(reverse("territories:detail", args=["44847"]))

    assert response.status_code == 200
    assert "Entidad 24" in response.content.decode()
