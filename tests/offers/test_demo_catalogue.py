"""The partner entities and the demo catalogue load completely, validly and idempotently."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

import pytest

import oferta
from oferta.accounts.models import AuditEvent
from oferta.offers.demo import demo_catalogue_load, service_id
from oferta.offers.demo.data import OFFERS, TERRITORIAL_ENTITIES
from oferta.offers.models import Organization, Service, ServiceStatus, Slot
from oferta.offers.partners import PARTNERS, partners_ensure

# The partner entities named in the seed (docs: shared/domain/DOMAIN.md §1).
SEED_ENTITIES = (
    "Ministerio de Educación Nacional",
    "Ministerio del Trabajo",
    "Ministerio de Salud y Protección Social",
    "Ministerio de Vivienda",
    "Ministerio de Agricultura",
    "Bancoldex",
    "Artesanías de Colombia",
    "Instituto Colombiano de Bienestar Familiar",
    "ICBF",
    "Registraduría Nacional del Estado Civil",
    "Servicio Nacional de Aprendizaje",
    "SENA",
    "Colpensiones",
    "Banco Agrario de Colombia",
    "Banca de las Oportunidades",
    "ICETEX",
    "Agencia de Desarrollo Rural",
    "Agencia Nacional de Tierras",
    "Agencia de Renovación del Territorio",
    "MinTIC",
    "Ministerio de Cultura",
    "Ejército Nacional",
)

DIVIPOLA_FILE = (
    Path(oferta.__file__).parent / "territories" / "data" / "divipola_municipios_mgn2018.csv"
)


def _normal(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.fixture
def catalogue(db):
    partners_ensure()
    return demo_catalogue_load()


def _demo_offers():
    return Service.objects.filter(is_demo=True)


def test_partners_cover_every_entity_named_in_the_seed(db):
    # given the reference partners / when they are ensured
    partners_ensure()
    # then each entity of the seed is found by name, acronym or (for renamed ones) description
    texts = [
        _normal(f"{o.name} | {o.alternate_name} | {o.description}")
        for o in Organization.objects.filter(is_demo=False)
    ]
    missing = [name for name in SEED_ENTITIES if not any(_normal(name) in t for t in texts)]
    assert missing == []


def test_partners_are_national_reference_data_with_website_and_no_guessed_nit(db):
    partners_ensure()
    partners = Organization.objects.filter(id__in=[p.id for p in PARTNERS])
    assert partners.count() == len(PARTNERS)
    for partner in partners:
        assert not partner.is_demo
        assert partner.level == "national"
        assert partner.website.startswith("https://")
        assert partner.description
        assert partner.legal_status
        assert partner.tax_id == ""


def test_partners_ensure_twice_changes_nothing(db):
    partners_ensure()
    events = AuditEvent.objects.count()
    assert partners_ensure() == len(PARTNERS)
    assert Organization.objects.count() == len(PARTNERS)
    assert AuditEvent.objects.count() == events


def test_catalogue_has_at_least_forty_demo_offers_all_flagged(catalogue):
    assert catalogue["offers"] >= 40
    assert _demo_offers().count() == len(OFFERS) >= 40
    assert not Service.objects.filter(is_demo=False).exists()
    assert not any("(demo)" in o.name.lower() for o in _demo_offers())


def test_every_demo_offer_is_complete(catalogue):
    incomplete = []
    for offer in _demo_offers().prefetch_related("ipm_indicators", "service_areas", "slots"):
        if (
            offer.organization_id is None
            or not offer.ipm_indicators.all()
            or not offer.service_areas.all()
            or not offer.slots.all()
            or not offer.eligibility_rule
            or not offer.eligibility_rule_description
            or not offer.contacts.exists()
        ):
            incomplete.append(offer.name)
    assert incomplete == []


def test_every_demo_rule_passes_the_checker(db):
    checker = pytest.importorskip("oferta.engine.eligibility.checker")
    problems = {
        offer.key: checker.check_rule(offer.rule, scope=offer.scope)
        for offer in OFFERS
        if checker.check_rule(offer.rule, scope=offer.scope)
    }
    assert problems == {}


def test_demo_territories_are_real_divipola_codes(db):
    with DIVIPOLA_FILE.open(encoding="utf-8") as handle:
        municipalities = {row["cod_mpio"] for row in csv.DictReader(handle)}
    departments = {code[:2] for code in municipalities}
    used = {
        code
        for offer in OFFERS
        for code in (*offer.areas, *offer.places, *(w.territory_code for w in offer.windows))
        if code not in ("CO", "")
    } | {e.territory_code for e in TERRITORIAL_ENTITIES}
    unknown = sorted(c for c in used if c not in municipalities and c not in departments)
    assert unknown == []


def test_catalogue_mixes_areas_channels_and_statuses(catalogue):
    offers = _demo_offers()
    assert offers.filter(service_areas__scope="nation").exists()
    assert offers.filter(service_areas__divipola_code="44").exists()
    assert offers.filter(service_areas__divipola_code="27").exists()
    assert offers.filter(service_areas__divipola_code="44847").exists()
    assert offers.filter(channels__code="feria").distinct().count() >= 5
    assert offers.filter(eligibility_scope="person").exists()
    assert offers.exclude(status=ServiceStatus.ACTIVE).count() >= 2
    assert offers.filter(enrolment_windows__isnull=False).distinct().count() >= 5
    assert offers.filter(ipm_indicators__code="extreme_monetary_poverty").exists()


def test_slots_cover_2026(catalogue):
    slots = Slot.objects.filter(service__is_demo=True)
    assert slots.exists()
    assert all(
        date(2026, 1, 1) <= s.period_start <= s.period_end <= date(2026, 12, 31) for s in slots
    )


def test_territorial_entities_are_demo_with_level_and_territory(catalogue):
    entities = Organization.objects.filter(is_demo=True)
    assert entities.count() == len(TERRITORIAL_ENTITIES)
    assert {e.level for e in entities} == {"departmental", "municipal"}
    assert entities.get(name="Alcaldía de Uribia").territory_code == "44847"


def test_loading_twice_gives_same_counts_and_no_new_events(catalogue):
    totals = {
        "services": Service.objects.count(),
        "organizations": Organization.objects.count(),
        "slots": Slot.objects.count(),
    }
    events = AuditEvent.objects.count()

    again = demo_catalogue_load()

    assert {k: v for k, v in again.items() if k not in ("created", "updated", "removed")} == {
        k: v for k, v in catalogue.items() if k not in ("created", "updated", "removed")
    }
    assert (again["created"], again["updated"], again["removed"]) == (0, 0, 0)
    assert {
        "services": Service.objects.count(),
        "organizations": Organization.objects.count(),
        "slots": Slot.objects.count(),
    } == totals
    assert AuditEvent.objects.count() == events


def test_every_created_object_has_one_load_event(catalogue):
    assert AuditEvent.objects.filter(action="demo.loaded").count() == catalogue["created"]
    offer = Service.objects.get(id=service_id("sena_agencia_publica_empleo"))
    assert AuditEvent.objects.filter(object_type="service", object_id=str(offer.id)).count() == 1


def test_reload_restores_an_edited_offer_and_removes_stray_parts(catalogue):
    # given a demo offer edited by hand and a slot that is not in the demo data
    offer = Service.objects.get(id=service_id("icbf_cdi"))
    offer.name = "Otro nombre"
    offer.save()
    offer.channels.clear()
    stray = Slot.objects.create(
        service=offer,
        territory_code="05",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        places=1,
    )
    # when the demo catalogue is loaded again
    result = demo_catalogue_load()
    # then the offer is restored with one update event and the stray slot is removed
    offer.refresh_from_db()
    assert offer.name == "Centros de Desarrollo Infantil (CDI)"
    assert offer.channels.exists()
    assert (result["updated"], result["removed"]) == (1, 1)
    assert not Slot.objects.filter(id=stray.id).exists()
    update = AuditEvent.objects.filter(object_id=str(offer.id)).order_by("-id").first()
    assert update.before["name"] == "Otro nombre"


def test_catalogue_refuses_to_load_without_partners(db):
    with pytest.raises(RuntimeError, match="entidades aliadas"):
        demo_catalogue_load()
