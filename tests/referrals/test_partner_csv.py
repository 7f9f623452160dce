"""The partner CSV round trip: download the minimised rows, fill, upload; a bad row is named
(row and column) and nothing changes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oferta.accounts.models import AuditEvent
from oferta.households.models import HouseholdAccessLog
from oferta.referrals.models import Referral, ReferralEvent
from oferta.referrals.partner import partner_referral_fields
from oferta.referrals.partner_csv import CSV_COLUMNS, FILL_COLUMNS

from .conftest import referral_in_state

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("referrals:inbox_csv")
UPLOAD = reverse("referrals:inbox_upload")


@pytest.fixture
def sent(world):
    """Entity A has three sent referrals; entity B one."""
    return {
        "uribia": referral_in_state(world, "requested"),
        "riohacha": referral_in_state(world, "received", household=world.riohacha),
        "quibdo": referral_in_state(world, "accepted", household=world.quibdo),
        "other": referral_in_state(world, "requested", household=world.uribia, offer=world.offer_b),
    }


def _download(client) -> list[dict[str, str]]:
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def _upload(client, rows: list[dict[str, str]]):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("remisiones.csv", out.getvalue().encode("utf-8-sig"))
    return client.post(UPLOAD, {"file": upload})


def _by_id(rows):
    return {row["remision"]: row for row in rows}


def test_download_has_only_own_referrals_and_minimised_columns(client, world, sent):
    client.force_login(world.partner_a)
    rows = _download(client)
    assert {r["remision"] for r in rows} == {
        str(sent[k].uuid) for k in ("uribia", "riohacha", "quibdo")
    }
    assert (*partner_referral_fields, *FILL_COLUMNS) == CSV_COLUMNS
    uribia = _by_id(rows)[str(sent["uribia"].uuid)]
    assert (uribia["nombres"], uribia["numero_documento"], uribia["municipio"]) == (
        "Yolanda",
        "11111111",
        "Uribia",
    )
    assert all(uribia[c] == "" for c in FILL_COLUMNS)
    text = " ".join(" ".join(r.values()) for r in rows)
    assert "Luisa" not in text
    assert "123456" not in text
    assert HouseholdAccessLog.objects.filter(user=world.partner_a, purpose="referral_csv").count()


def test_round_trip_applies_every_row_with_audit_and_timeline(client, world, sent):
    client.force_login(world.partner_a)
    rows = _by_id(_download(client))
    today = timezone.localdate().isoformat()
    rows[str(sent["uribia"].uuid)].update(estado="Aceptada")
    rows[str(sent["riohacha"].uuid)].update(
        estado="rejected", motivo="no_capacity", observacion="Sin cupos hasta marzo"
    )
    # accepted → completed directly; requested/received → completed records the acceptance too
    rows[str(sent["quibdo"].uuid)].update(
        estado="completed", fecha_inscripcion=today, fecha_atencion=today
    )
    audits = AuditEvent.objects.count()
    response = _upload(client, list(rows.values()))
    assert response.status_code == 302
    states = {k: Referral.objects.get(pk=r.pk) for k, r in sent.items()}
    assert states["uribia"].state == "accepted"
    assert (states["riohacha"].state, states["riohacha"].closure_reason) == (
        "rejected",
        "no_capacity",
    )
    assert states["riohacha"].closure_note == "Sin cupos hasta marzo"
    assert (states["quibdo"].state, states["quibdo"].served_on.isoformat()) == ("completed", today)
    assert states["other"].state == "requested"
    assert AuditEvent.objects.count() == audits + 3
    assert ReferralEvent.objects.filter(actor=world.partner_a).count() == 3


def test_a_completion_on_a_referral_not_yet_accepted_records_both_steps(client, world, sent):
    client.force_login(world.partner_a)
    rows = _by_id(_download(client))
    rows[str(sent["uribia"].uuid)].update(
        estado="completada", fecha_inscripcion=timezone.localdate().strftime("%d/%m/%Y")
    )
    assert _upload(client, list(rows.values())).status_code == 302
    referral = Referral.objects.get(pk=sent["uribia"].pk)
    assert referral.state == "completed"
    assert referral.accepted_at is not None
    steps = list(referral.events.values_list("action", flat=True))
    assert steps[-2:] == ["accept", "complete"]


@pytest.mark.parametrize(
    ("edit", "row_key", "column", "fragment"),
    [
        ({"estado": "aprobadísima"}, "riohacha", "estado", "estado desconocido"),
        ({"estado": "rejected", "motivo": "porque sí"}, "riohacha", "motivo", "motivo desconocido"),
        ({"estado": "rejected"}, "riohacha", "motivo", "Indique un motivo"),
        (
            {"estado": "completed", "fecha_inscripcion": "31/02/2025"},
            "quibdo",
            "fecha_inscripcion",
            "fecha inválida",
        ),
        ({"estado": "completed"}, "quibdo", "fecha_inscripcion", "fecha de inscripción"),
        (
            {"estado": "cancelled", "motivo": "other", "observacion": "x"},
            "quibdo",
            "estado",
            "Solo el equipo que revisa",
        ),
        ({"estado": "requested"}, "quibdo", "estado", "No se puede pasar"),
        ({"remision": "otra-cosa"}, "quibdo", "remision", "no existe o no tiene acceso"),
    ],
)
def test_a_bad_row_is_named_and_nothing_changes(
    client, world, sent, edit, row_key, column, fragment
):
    # given a file where one good row accepts a referral and one row is bad
    client.force_login(world.partner_a)
    rows = _by_id(_download(client))
    rows[str(sent["uribia"].uuid)].update(estado="accepted")
    rows[str(sent[row_key].uuid)].update(edit)
    audits, events = AuditEvent.objects.count(), ReferralEvent.objects.count()
    # when it is uploaded
    response = _upload(client, list(rows.values()))
    # then the page names the row and the column, and nothing changed (not even the good row)
    assert response.status_code == 400
    body = response.content.decode()
    number = list(rows).index(str(sent[row_key].uuid)) + 2
    assert f"Fila {number}, columna «{column}»" in body
    assert fragment in body
    assert "No se aplicó ningún cambio" in body
    assert Referral.objects.get(pk=sent["uribia"].pk).state == "requested"
    assert (AuditEvent.objects.count(), ReferralEvent.objects.count()) == (audits, events)


def test_a_referral_of_another_entity_in_the_file_is_not_found(client, world, sent):
    client.force_login(world.partner_a)
    rows = list(_by_id(_download(client)).values())
    rows.append({**rows[0], "remision": str(sent["other"].uuid), "estado": "accepted"})
    response = _upload(client, rows)
    assert response.status_code == 400
    assert f"Fila {len(rows) + 1}, columna «remision»" in response.content.decode()
    assert Referral.objects.get(pk=sent["other"].pk).state == "requested"


def test_a_file_without_the_answer_columns_is_refused(client, world, sent):
    client.force_login(world.partner_a)
    upload = SimpleUploadedFile("x.csv", b"remision;estado\r\n")
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 400
    assert "Faltan columnas" in response.content.decode()


def test_csv_cells_that_look_like_formulas_are_defused(client, world, sent):
    person = world.uribia.members.get(relationship="head")
    person.first_names = "=HYPERLINK(1)"
    person.save()
    client.force_login(world.partner_a)
    row = _by_id(_download(client))[str(sent["uribia"].uuid)]
    assert row["nombres"] == "'=HYPERLINK(1)"


def test_only_partner_users_download_and_upload(client, world, sent):
    client.force_login(world.national)
    assert client.get(DOWNLOAD).status_code == 403
    assert client.post(UPLOAD).status_code == 403


def test_overdue_referrals_are_flagged_in_the_inbox(client, world, sent):
    Referral.objects.filter(pk=sent["uribia"].pk).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.partner_a)
    body = client.get(reverse("referrals:inbox")).content.decode()
    assert "1 remisión vencida" in body
