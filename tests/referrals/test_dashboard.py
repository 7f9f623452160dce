"""The follow-up dashboard (/remisiones/seguimiento/) and its XLSX export: the linkage funnel
national or territorial, scoped to the user's role and territory exactly as the funnel is."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oferta.referrals.models import Referral

pytestmark = pytest.mark.django_db

PAGE = reverse("referrals:dashboard")
XLSX = reverse("referrals:dashboard_xlsx")


def _rows(response):
    """The dashboard's rows: label → the five stage counts (from the context)."""
    board = response.context["dashboard"]
    return {row.label: tuple(s.count for s in row.stages) for row in board.rows}, tuple(
        s.count for s in board.total.stages
    )


def test_national_users_get_the_national_dashboard_by_department(client, world, funnel_referrals):
    client.force_login(world.national)

    response = client.get(PAGE)

    body = response.content.decode()
    rows, total = _rows(response)
    assert response.status_code == 200
    assert "Tablero nacional de vinculación efectiva" in body
    assert rows == {"Chocó": (2, 2, 1, 0, 0), "La Guajira": (6, 5, 2, 2, 1)}
    assert total == (8, 7, 3, 2, 1)
    assert f"{PAGE}?territorio=44" in body  # drill down to the territorial dashboard
    assert "Sin cupos: 1" in body  # rejection reasons in Spanish


def test_the_territorial_dashboard_is_the_page_filtered_to_a_municipality(
    client, world, funnel_referrals
):
    client.force_login(world.national)

    response = client.get(PAGE, {"territorio": "44847", "agrupar": "municipality"})

    rows, total = _rows(response)
    assert "Tablero territorial: Uribia (44847)" in response.content.decode()
    assert rows == {"Uribia": (3, 2, 1, 1, 1)}
    assert total == (3, 2, 1, 1, 1)


def test_a_department_is_grouped_by_municipality_with_times_and_reasons(
    client, world, funnel_referrals
):
    client.force_login(world.national)

    response = client.get(PAGE, {"territorio": "44"})

    board = response.context["dashboard"]
    assert board.by == "municipality"
    by_label = {row.label: row for row in board.rows}
    assert set(by_label) == {"Uribia", "Riohacha"}
    assert by_label["Riohacha"].median_days_to_enrolment == 10.0
    assert by_label["Riohacha"].rejection_reasons == [("client_refused", "El hogar no aceptó", 1)]
    assert board.total.linkage_rate_text == "40,0 %"  # 2 enrolled of 5 referred


def test_funnel_bars_are_svg_sized_by_attributes_without_inline_styles(
    client, world, funnel_referrals
):
    client.force_login(world.national)

    body = client.get(PAGE, {"agrupar": "offer"}).content.decode()

    assert '<rect class="fill stage-0" width="100.00" height="4">' in body
    assert '<rect class="fill stage-3" width="25.00" height="4">' in body  # 2 of 8 enrolled
    assert "style=" not in body
    assert "<script>" not in body


def test_a_regional_analyst_sees_only_their_departments(client, world, funnel_referrals):
    client.force_login(world.regional)  # department 44

    response = client.get(PAGE, {"agrupar": "department"})
    refused = client.get(PAGE, {"territorio": "27"})

    rows, _total = _rows(response)
    assert rows == {"La Guajira": (6, 5, 2, 2, 1)}
    assert "Tablero territorial: La Guajira (44)" in response.content.decode()
    assert refused.status_code == 400
    assert "fuera de su alcance" in refused.content.decode()
    assert refused.context["dashboard"] is None


def test_a_municipal_user_sees_only_their_municipality(client, world, funnel_referrals):
    client.force_login(world.municipal)  # Uribia

    response = client.get(PAGE, {"agrupar": "municipality"})
    other = client.get(PAGE, {"territorio": "44001"})

    rows, _total = _rows(response)
    assert rows == {"Uribia": (3, 2, 1, 1, 1)}
    assert "Tablero territorial: Uribia (44847)" in response.content.decode()
    assert other.status_code == 400


def test_partners_see_only_their_own_offers_and_never_proposals(client, world, funnel_referrals):
    client.force_login(world.partner_a)
    response_a = client.get(PAGE)
    client.force_login(world.partner_b)
    response_b = client.get(PAGE)

    rows_a, total_a = _rows(response_a)
    rows_b, _total_b = _rows(response_b)
    assert rows_a == {"Oferta A1": (4, 4, 2, 2, 1)}
    assert total_a == (4, 4, 2, 2, 1)
    assert rows_b == {"Oferta B": (3, 3, 1, 0, 0)}
    assert "Oferta B" not in response_a.content.decode()
    assert "corrida" not in response_a.context["form"].fields


def test_a_partner_may_narrow_to_a_territory_of_their_referrals(client, world, funnel_referrals):
    client.force_login(world.partner_a)

    response = client.get(PAGE, {"territorio": "27001"})

    rows, _total = _rows(response)
    assert rows == {"Oferta A1": (1, 1, 0, 0, 0)}


def test_the_run_filter_counts_only_that_runs_referrals(client, world, funnel_referrals):
    Referral.objects.filter(pk__in=[r.pk for r in funnel_referrals[:3]]).update(
        routing_run=world.run
    )
    client.force_login(world.national)

    response = client.get(PAGE, {"corrida": str(world.run.uuid)})

    rows, total = _rows(response)
    assert total == (3, 2, 0, 0, 0)
    assert rows["Chocó"] == (1, 1, 0, 0, 0)


def test_an_older_run_than_the_list_shows_is_still_accepted_by_its_identifier(
    client, world, funnel_referrals
):
    # given the demo world's run, then 200 newer runs, so the run list no longer offers it
    from oferta.referrals.models import RoutingRun

    Referral.objects.filter(pk__in=[r.pk for r in funnel_referrals[:3]]).update(
        routing_run=world.run
    )
    RoutingRun.objects.bulk_create(RoutingRun(name=f"Corrida {i}") for i in range(200))
    RoutingRun.objects.exclude(pk=world.run.pk).update(
        created_at=timezone.now() + timezone.timedelta(days=1)
    )
    client.force_login(world.national)

    # when the national analyst asks for the old run by its identifier
    response = client.get(PAGE, {"corrida": str(world.run.uuid)})

    # then the dashboard counts that run's referrals
    assert response.status_code == 200
    _rows_by_label, total = _rows(response)
    assert total == (3, 2, 0, 0, 0)


@pytest.mark.parametrize("url", [PAGE, XLSX])
def test_fair_operators_are_refused_and_anonymous_users_sent_to_sign_in(client, world, url):
    anonymous = client.get(url)
    client.force_login(world.fair)

    assert anonymous.status_code == 302
    assert client.get(url).status_code == 403


def test_the_navigation_links_the_dashboard(client, world):
    client.force_login(world.municipal)
    reviewer = client.get(reverse("referrals:review")).content.decode()
    client.force_login(world.fair)
    fair = client.get(reverse("offers:catalogue")).content.decode()

    assert f'href="{PAGE}"' in reviewer
    assert f'href="{PAGE}"' not in fair


# --------------------------------------------------------------------------- XLSX


def _book(response):
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(BytesIO(response.content))


def test_the_xlsx_has_the_funnel_reasons_and_source_with_codes_as_text(
    client, world, funnel_referrals
):
    client.force_login(world.national)

    response = client.get(XLSX, {"territorio": "44", "agrupar": "municipality"})

    book = _book(response)
    assert 'filename="seguimiento-vinculacion-44-municipality-' in response["Content-Disposition"]
    assert book.sheetnames == ["Embudo", "Motivos de rechazo", "Fuente"]
    funnel = book["Embudo"]
    header = [c.value for c in funnel[1]]
    assert header[:7] == [
        "Código DIVIPOLA",
        "Municipio",
        "Identificadas",
        "Remitidas",
        "Aceptadas",
        "Inscritas",
        "Atendidas",
    ]
    rows = {r[0].value: r for r in funnel.iter_rows(min_row=2) if r[0].value}
    assert set(rows) == {"44001", "44847"}
    uribia = rows["44847"]
    assert uribia[0].data_type == "s"
    assert uribia[0].number_format == "@"
    assert [c.value for c in uribia[1:7]] == ["Uribia", 3, 2, 1, 1, 1]
    assert uribia[7].value == pytest.approx(0.5)  # 1 enrolled of 2 referred
    assert uribia[8].value == 4.0
    total = [c.value for c in funnel[funnel.max_row]]
    assert total[1:7] == ["Total", 6, 5, 2, 2, 1]
    reasons = [[c.value for c in r] for r in book["Motivos de rechazo"].iter_rows(min_row=2)]
    assert ["44847", "Uribia", "client_refused", "El hogar no aceptó", 1] in reasons
    assert [None, "Total", "client_refused", "El hogar no aceptó", 2] in reasons
    source = {r[0].value: r[1].value for r in book["Fuente"].iter_rows(min_row=2)}
    assert source["Generado por"] == world.national.username
    assert source["Fecha de generación"].startswith(timezone.localdate().isoformat())
    assert source["Territorio"] == "La Guajira (44)"
    assert "remisiones registradas" in source["Fuente"]


def test_the_xlsx_of_a_partner_holds_only_their_offers(client, world, funnel_referrals):
    client.force_login(world.partner_b)

    book = _book(client.get(XLSX))

    names = [r[1].value for r in book["Embudo"].iter_rows(min_row=2)]
    assert names == ["Oferta B", "Total"]
    assert book["Embudo"]["A2"].value == str(world.offer_b.pk)


def test_the_xlsx_refuses_a_territory_out_of_scope(client, world, funnel_referrals):
    client.force_login(world.regional)

    response = client.get(XLSX, {"territorio": "27001"})

    assert response.status_code == 400
    assert "fuera de su alcance" in response.content.decode()
