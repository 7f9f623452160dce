"""The HSDS 3.0 API: authentication, pagination, filters, nesting, schema validity, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from oferta.accounts.models import ApiToken
from oferta.offers.hsds.schemas import validate
from oferta.offers.taxonomies import CHANNELS, IPM

from .hsds_fixtures import catalogue_rich, organization_make, service_make

KEY = "clave-de-prueba-hsds"
BASE = "/api/hsds"
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def api(client, db):
    """A client that sends a valid bearer token."""
    user = get_user_model().objects.create_user(username="consumidor", password="x")
    ApiToken.objects.create(
        user=user, name="pruebas", digest=ApiToken.digest_of(KEY), prefix=KEY[:8]
    )

    def get(path: str, **params):
        return client.get(f"{BASE}{path}", params, HTTP_AUTHORIZATION=f"Bearer {KEY}")

    return get


@pytest.fixture
def catalogue(db):
    return catalogue_rich()


def test_anonymous_requests_are_refused_with_401(client, catalogue):
    for path in ("/", "/services", f"/services/{catalogue.service.id}", "/organizations"):
        assert client.get(f"{BASE}{path}").status_code == 401, path


def test_a_wrong_token_is_refused(client, catalogue):
    response = client.get(f"{BASE}/services", HTTP_AUTHORIZATION="Bearer otra-clave")

    assert response.status_code == 401


def test_the_root_describes_the_hsds_version_and_the_profile(api):
    body = api("/").json()

    assert body["version"] == "3.0"
    assert body["profile"].endswith("/api/hsds/profile")
    assert body["openapi_url"].endswith("/api/openapi.json")


def test_the_profile_lists_the_extension_schemas_and_the_classification_taxonomies(api):
    body = api("/profile").json()

    assert set(body["extensions"]) == {"organization", "service", "service_area", "location"}
    assert [c["link_type"] for c in body["classifications"]] == [
        "ipm_indicators",
        "target_populations",
        "differential_approaches",
        "channels",
    ]


def test_services_are_paginated_with_the_hsds_page_object(api, catalogue):
    organization = organization_make(name="Entidad paginada")
    for index in range(3):
        service_make(organization, name=f"Z oferta {index}")

    body = api("/services", page=2, per_page=2).json()

    assert set(body) == PAGE_KEYS
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (
        5,
        3,
        2,
        2,
    )
    assert (body["first_page"], body["last_page"], body["empty"]) == (False, False, False)
    assert [s["name"] for s in body["contents"]] == ["Z oferta 0", "Z oferta 1"]


def test_a_page_past_the_end_is_empty(api, catalogue):
    body = api("/services", page=9, per_page=10).json()

    assert (body["empty"], body["size"], body["last_page"], body["contents"]) == (True, 0, True, [])


def test_list_items_carry_one_to_one_fields_and_full_items_the_nesting(api, catalogue):
    basic = api("/services", search="Renta").json()["contents"][0]
    full = api("/services", search="Renta", full=True).json()["contents"][0]

    assert basic["organization"]["name"] == "Prosperidad Social"
    assert "service_at_locations" not in basic
    assert full["service_at_locations"][0]["location"]["name"] == "Sede Medellín"
    assert validate("service", basic, profile=False) == []
    assert validate("service", full) == []


def test_services_filter_by_term_taxonomy_organization_and_date(api, catalogue):
    def names(**params):
        return sorted(s["name"] for s in api("/services", **params).json()["contents"])

    assert names(taxonomy_term_id=CHANNELS.term_id("virtual")) == [
        "Empleo para la vida",
        "Renta Ciudadana",
    ]
    assert names(taxonomy_term_id=IPM.term_id("illiteracy")) == ["Renta Ciudadana"]
    assert names(taxonomy_term_id=catalogue.custom_term.id) == ["Renta Ciudadana"]
    assert names(taxonomy_id=IPM.id) == ["Renta Ciudadana"]
    assert names(organization_id=catalogue.other_service.organization_id) == ["Empleo para la vida"]
    assert names(modified_after=dt.datetime(2025, 1, 1, tzinfo=dt.UTC).isoformat()) == [
        "Renta Ciudadana"
    ]
    assert names(search="empleo") == ["Empleo para la vida"]


def test_minimal_services_carry_only_id_and_last_modified(api, catalogue):
    body = api("/services", minimal=True).json()

    assert body["contents"] == [
        {"id": str(catalogue.other_service.id)},
        {"id": str(catalogue.service.id), "last_modified": "2025-02-01T10:30:45.123000Z"},
    ]


def test_a_service_is_returned_fully_nested_and_valid(api, catalogue):
    body = api(f"/services/{catalogue.service.id}").json()

    assert body["id"] == str(catalogue.service.id)
    assert body["x_oferta"]["slots"][0]["places"] == 0
    assert {a["link_type"] for a in body["attributes"]} >= {"channels", "ipm_indicators"}
    assert validate("service", body, profile=False) == []


@pytest.mark.parametrize(
    "path",
    [
        "/services/{}",
        "/organizations/{}",
        "/taxonomies/{}",
        "/taxonomy_terms/{}",
        "/service_at_locations/{}",
    ],
)
def test_unknown_ids_get_a_404_json(api, catalogue, path):
    for unknown in ("5c4d79d7-cc55-470e-9f1f-8cad074e4892", "no-es-uuid"):
        response = api(path.format(unknown))

        assert response.status_code == 404
        assert "No existe" in response.json()["detail"]


def test_an_organization_is_nested_with_its_services(api, catalogue):
    body = api(f"/organizations/{catalogue.organization.id}").json()
    with_full = api(f"/organizations/{catalogue.organization.id}", full_service=True).json()

    assert body["locations"][0]["x_oferta"] == {"municipality_code": "05001"}
    assert [s["name"] for s in body["services"]] == ["Renta Ciudadana"]
    assert "service_at_locations" not in body["services"][0]
    assert "service_at_locations" in with_full["services"][0]
    assert validate("organization", body, profile=False) == []
    assert validate("organization", with_full) == []


def test_organizations_list_and_search(api, catalogue):
    body = api("/organizations", search="prosperidad").json()

    assert [o["name"] for o in body["contents"]] == ["Prosperidad Social"]
    assert "locations" not in body["contents"][0]
    assert "locations" in api("/organizations", full=True).json()["contents"][1]


def test_taxonomies_and_terms(api, catalogue):
    taxonomies = api("/taxonomies", per_page=10).json()
    terms = api("/taxonomy_terms", taxonomy_id=CHANNELS.id).json()
    children = api("/taxonomy_terms", parent_id=catalogue.custom_term.parent_id).json()
    term = api(f"/taxonomy_terms/{CHANNELS.term_id('feria')}").json()

    assert taxonomies["total_items"] == 5
    assert sorted(t["code"] for t in terms["contents"]) == ["feria", "presencial", "virtual"]
    assert [t["code"] for t in children["contents"]] == ["A1"]
    assert term["name"] == "Feria de servicio"
    assert validate("taxonomy_term", term) == []
    assert validate("taxonomy", api(f"/taxonomies/{CHANNELS.id}").json()) == []


def test_service_at_locations_list_and_detail(api, catalogue):
    listing = api("/service_at_locations", organization_id=catalogue.organization.id).json()
    detail = api(f"/service_at_locations/{catalogue.service_at_location.id}").json()

    assert listing["total_items"] == 1
    assert listing["contents"][0]["service"]["name"] == "Renta Ciudadana"
    assert detail["location"]["addresses"][0]["city"] == "Medellín"
    assert detail["schedules"][0]["byday"] == "TU"
    assert validate("service_at_location", detail, profile=False) == []


def test_listing_queries_do_not_grow_with_the_number_of_services(
    api, catalogue, django_assert_max_num_queries
):
    # Token lookup and last-use update, count, services page, ~35 prefetches, attributes, metadata.
    with django_assert_max_num_queries(45) as few:
        api("/services", full=True, per_page=50)
    for index in range(10):
        service = service_make(catalogue.organization, name=f"Oferta extra {index}")
        service.channels.set([CHANNELS.term_id("virtual")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api("/services", full=True, per_page=50).json()

    assert body["size"] == 12


def test_organization_listing_with_full_services_does_not_grow_with_the_catalogue(
    api, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(60) as few:
        api("/organizations", full=True, full_service=True)
    for index in range(5):
        organization = organization_make(name=f"Entidad extra {index}")
        service_make(organization, name=f"Oferta de entidad {index}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api("/organizations", full=True, full_service=True).json()

    assert body["total_items"] == 7
