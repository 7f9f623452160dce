"""The whole referral loop in a real browser: an analyst routes a demo municipality and sends the
proposals, a partner accepts one and confirms the enrolment, the follow-up funnel counts it, and
another partner cannot see it."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URIBIA = "44847"


@pytest.fixture
def demo_population(demo_platform):
    """The demo platform and its synthetic registry (La Guajira and Chocó)."""
    from oferta.households.demo import demo_registry_load

    demo_registry_load()
    return demo_platform


def log_out(page) -> None:
    page.context.clear_cookies()


def funnel_cells(page, label: str) -> list[str]:
    """The stage counts (identified, referred, accepted, enrolled, served) of one dashboard row."""
    row = page.locator("table.funnel-table tbody tr", has=page.locator(f"th:has-text('{label}')"))
    cells = row.first.locator("td").all_inner_texts()
    return [c.strip() for c in cells[1:6]]


def test_analyst_routes_partner_enrols_funnel_counts_and_other_partner_cannot_see(
    page, demo_population
):
    from oferta.referrals.models import Referral, RoutingRun

    # given the regional analyst of La Guajira, signed in
    log_in(page, "regional", demo_population["regional"])

    # when they start a routing run for Uribia with K = 2
    page.goto("/remisiones/enrutamiento/")
    page.select_option("#id_territory", URIBIA)
    page.fill("#id_k_max", "2")
    page.click("#iniciar-corrida")
    page.wait_for_url("**/enrutamiento/*-*/")
    page.locator("text=Terminada").first.wait_for()

    # then the run proposed referrals, all for households of Uribia
    run = RoutingRun.objects.get()
    assert run.status == "succeeded", run.error_message
    proposed = Referral.objects.filter(routing_run=run)
    assert proposed.exists()
    assert set(proposed.values_list("household__municipality_code", flat=True)) == {URIBIA}

    # when they record consent and approve every proposal of the run for Uribia
    page.goto(f"/remisiones/?run={run.uuid}&municipality={URIBIA}")
    page.click("button[value=consent_matching]")
    page.locator("button[value=approve_matching]").wait_for()
    page.click("button[value=approve_matching]")
    page.wait_for_load_state()

    # then they were all sent to the entities
    assert not Referral.objects.filter(routing_run=run, state="proposed").exists()
    sent = Referral.objects.filter(routing_run=run, state="requested")
    assert sent.count() == proposed.count()

    # given the partner whose entity received one of them (SENA or ICBF in the demo)
    partners = {"sena": "entidad", "icbf": "entidad2"}
    from oferta.offers.partners import PARTNER_BY_KEY

    target = None
    for key, username in partners.items():
        referral = sent.filter(offer__organization_id=PARTNER_BY_KEY[key].id).first()
        if referral is not None:
            target = (username, referral)
            other = next(u for k, u in partners.items() if k != key)
            break
    assert target is not None, "no referral to a demo partner with a user"
    partner, referral = target
    offer_name = referral.offer.name
    log_out(page)
    log_in(page, partner, demo_population[partner])

    # when the partner opens it from the inbox, accepts it and confirms the enrolment
    page.goto("/remisiones/bandeja/")
    page.click(f"a[href='/remisiones/{referral.uuid}/']")
    page.wait_for_url(f"**/remisiones/{referral.uuid}/")
    page.click("button:has-text('Aceptar')")
    page.locator("button:has-text('Confirmar inscripción')").wait_for()
    form = page.locator("form", has=page.locator("button:has-text('Confirmar inscripción')"))
    enrolled_field = form.locator("input[name=enrolled_on]")
    if enrolled_field.count():
        enrolled_field.fill(date.today().isoformat())
    form.locator("button:has-text('Confirmar inscripción')").click()
    page.wait_for_load_state()

    # then the referral is completed with its enrolment date
    referral.refresh_from_db()
    assert referral.state == "completed"
    assert referral.enrolled_on is not None

    # when the analyst opens the follow-up dashboard of Uribia by offer
    log_out(page)
    log_in(page, "regional", demo_population["regional"])
    page.goto(f"/remisiones/seguimiento/?territorio={URIBIA}&agrupar=offer")

    # then the offer's row counts one enrolment
    _identified, referred, accepted, enrolled, _served = funnel_cells(page, offer_name)
    assert enrolled == "1"
    assert accepted == "1"
    assert int(referred.replace(".", "")) >= 1

    # when the other partner tries to open that referral, then it does not exist for them
    log_out(page)
    log_in(page, other, demo_population[other])
    response = page.goto(f"/remisiones/{referral.uuid}/")
    assert response.status == 404
    page.goto("/remisiones/bandeja/")
    assert str(referral.uuid) not in page.content()
