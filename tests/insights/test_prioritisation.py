"""Prioritisation of municipalities: the selector, the page (weights, errors, htmx), the XLSX
and the institutional-capacity CSV upload."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oferta.accounts.models import AuditEvent, Role
from oferta.insights.capacity import CapacityFileError, capacity_upload_store
from oferta.insights.models import (
    CapacityUpload,
    InstitutionalCapacity,
    MunicipalIndicatorGap,
    MunicipalRegistrySummary,
)
from oferta.insights.priorities import priority_ranking

pytestmark = pytest.mark.django_db


def _codes(ranking, n: int = 5) -> list[str]:
    return [row.code for row in ranking.rows[:n]]


# --------------------------------------------------------------------------- selector


def test_ranking_shows_each_component_with_raw_value_score_and_weight(reference_data):
    ranking = priority_ranking(preset="asistencia_tecnica")
    assert ranking.ranked_units == 1102  # the 20 áreas no municipalizadas are not ranked
    assert [row.rank for row in ranking.rows[:3]] == [1, 2, 3]
    uribia = next(row for row in ranking.rows if row.code == "44847")
    ipm = next(c for c in uribia.components if c.key == "ipm_census")
    assert ipm.raw == pytest.approx(92.2)
    assert 0 <= ipm.score <= 100
    assert ipm.weight > 0
    # without registry or capacity data their weight goes to the others, and it says so
    assert abs(sum(c.weight for c in uribia.components) - 1) < 1e-9
    assert any("Capacidad institucional" in note for note in ranking.notes)
    assert {s.title for s in ranking.sources} >= {
        "Decreto-Ley 893 de 2017: municipios PDET y subregiones"
    }


def test_changing_a_weight_changes_the_ranking(reference_data):
    by_ipm = priority_ranking(preset="asistencia_tecnica", weights={"pdet": 0})
    by_pdet = priority_ranking(
        preset="asistencia_tecnica",
        weights={"ipm_census": 0, "monetary_poverty_department": 0, "pdet": 100},
    )
    assert _codes(by_ipm) != _codes(by_pdet)
    # with PDET alone all 170 PDET municipalities tie at 100, broken by code
    assert all(row.is_pdet for row in by_pdet.rows[:170])
    assert _codes(by_pdet, 3) == sorted(_codes(by_pdet, 3))


def test_presets_weigh_differently(reference_data):
    technical = priority_ranking(preset="asistencia_tecnica")
    fairs = priority_ranking(preset="ferias")
    assert {c.key: c.weight for c in technical.components} != {
        c.key: c.weight for c in fairs.components
    }


def test_department_filter_keeps_national_ranks_and_adds_the_department_rank(reference_data):
    national_ranking = priority_ranking(preset="ferias")
    guajira = priority_ranking(preset="ferias", department_code="44")
    assert {row.department_code for row in guajira.rows} == {"44"}
    assert len(guajira.rows) == 15
    assert [row.rank_in_department for row in guajira.rows] == list(range(1, 16))
    national_rank = {row.code: row.rank for row in national_ranking.rows}
    assert all(row.rank == national_rank[row.code] for row in guajira.rows)
    assert guajira.department_name == "La Guajira"


def test_registry_components_count_when_loaded_and_can_be_left_out(reference_data):
    now = timezone.now()
    for code, poor in (("05001", 90_000), ("44847", 50_000)):
        MunicipalRegistrySummary.objects.create(
            municipality_code=code, department_code=code[:2], households=1, persons=1,
            persons_poor=poor, refreshed_at=now,
        )  # fmt: skip
    MunicipalIndicatorGap.objects.create(
        municipality_code="44847", department_code="44", indicator="illiteracy",
        unmet_need=40, refreshed_at=now,
    )  # fmt: skip
    ranking = priority_ranking(preset="ferias")
    medellin = next(row for row in ranking.rows if row.code == "05001")
    poor = next(c for c in medellin.components if c.key == "poor_persons")
    assert (poor.raw, poor.score) == (90_000, 100.0)
    uribia = next(row for row in ranking.rows if row.code == "44847")
    assert next(c for c in uribia.components if c.key == "unmet_need").raw == 40
    hidden = priority_ranking(preset="ferias", include_registry=False)
    medellin = next(row for row in hidden.rows if row.code == "05001")
    assert next(c for c in medellin.components if c.key == "poor_persons").raw is None


def test_unknown_preset_or_component_is_refused(reference_data):
    with pytest.raises(ValueError, match="unknown preset"):
        priority_ranking(preset="nope")
    with pytest.raises(ValueError, match="unknown components"):
        priority_ranking(preset="ferias", weights={"nope": 1})


# --------------------------------------------------------------------------- page


def test_page_shows_ranking_method_weights_and_sources(national, reference_data):
    response = national.get(reverse("insights:priorities"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clasificación nacional" in html
    assert "mín–máx a 0–100" in html
    assert "menor valor, mayor prioridad" in html
    assert 'name="w_institutional_capacity" id="id_w_institutional_capacity" value="25"' in html
    assert "Fuentes" in html
    assert "CNPV 2018" in html
    assert html.count('<td class="num index">') == 100  # the first 100; the XLSX has all


def test_editing_a_weight_reorders_the_table(national, reference_data):
    default = national.get(reverse("insights:priorities")).content.decode()
    params = {
        "preset": "asistencia_tecnica",
        "weights_for": "asistencia_tecnica",
        "w_ipm_census": "0",
        "w_poor_persons": "10",
        "w_monetary_poverty_department": "0",
        "w_pdet": "100",
        "w_institutional_capacity": "25",
        "w_unmet_need": "5",
    }
    edited = national.get(reverse("insights:priorities"), params).content.decode()

    def first_row(html: str) -> str:
        return html.split('<td class="num index">')[0].rsplit("<tr>", 1)[1]

    assert first_row(default) != first_row(edited)
    # with PDET alone the 170 PDET municipalities tie; the lowest code, Amalfi, goes first
    assert "Amalfi" in first_row(edited)


def test_a_bad_weight_shows_a_spanish_error_and_keeps_what_was_typed(national, reference_data):
    params = {
        "preset": "ferias",
        "weights_for": "ferias",
        "w_ipm_census": "mucho",
        "w_poor_persons": "25",
        "w_monetary_poverty_department": "-3",
        "w_pdet": "12,5",
        "w_institutional_capacity": "0",
        "w_unmet_need": "25",
    }
    response = national.get(reverse("insights:priorities"), params)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Escriba un número, por ejemplo 25 o 12,5." in html
    assert "El peso no puede ser negativo." in html
    assert 'value="mucho"' in html
    assert 'value="12,5"' in html
    assert 'value="-3"' in html
    assert 'aria-invalid="true"' in html


def test_all_weights_zero_is_refused(national, reference_data):
    params = {"preset": "ferias", "weights_for": "ferias"}
    params |= {
        f"w_{k}": "0"
        for k in (
            "ipm_census", "poor_persons", "monetary_poverty_department", "pdet",
            "institutional_capacity", "unmet_need",
        )
    }  # fmt: skip
    html = national.get(reverse("insights:priorities"), params).content.decode()
    assert "Al menos un peso debe ser mayor que cero." in html


def test_changing_the_preset_starts_from_its_default_weights(national, reference_data):
    params = {"preset": "ferias", "weights_for": "asistencia_tecnica", "w_pdet": "99"}
    html = national.get(reverse("insights:priorities"), params).content.decode()
    assert 'name="w_pdet" id="id_w_pdet" value="10"' in html
    assert 'name="w_unmet_need" id="id_w_unmet_need" value="25"' in html


def test_htmx_request_returns_the_panel_only(national, reference_data):
    html = national.get(
        reverse("insights:priorities"), {"preset": "ferias"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.startswith('<div id="priorities-panel">')


def test_htmx_request_with_a_bad_weight_answers_200_so_the_errors_are_swapped_in(
    national, reference_data
):
    response = national.get(
        reverse("insights:priorities"),
        {"preset": "ferias", "weights_for": "ferias", "w_pdet": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Escriba un número, por ejemplo 25 o 12,5." in response.content.decode()


def test_department_filter_on_the_page(national, reference_data):
    html = national.get(
        reverse("insights:priorities"), {"preset": "ferias", "department": "44"}
    ).content.decode()
    assert "Clasificación: La Guajira" in html
    assert html.count('<td class="num index">') == 15


# --------------------------------------------------------------------------- XLSX


def test_xlsx_has_ranking_method_and_sources(national, reference_data):
    response = national.get(
        reverse("insights:priorities_xlsx"), {"preset": "ferias", "department": "44"}
    )
    assert response.status_code == 200
    assert "prioridades-ferias-44-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Clasificación", "Método", "Fuentes"]
    ranking = list(book["Clasificación"].iter_rows(values_only=True))
    assert len(ranking) == 1 + 15
    assert ranking[0][:4] == (
        "Puesto nacional",
        "Puesto en el departamento",
        "Código DIVIPOLA",
        "Municipio",
    )
    uribia = next(r for r in ranking if r[2] == "44847")
    assert uribia[3] == "Uribia"
    assert uribia[8] == pytest.approx(92.2)
    method = list(book["Método"].iter_rows(values_only=True))
    assert any(
        r[1] == "institutional_capacity" and r[2] == "menor valor, mayor prioridad" for r in method
    )
    sources = list(book["Fuentes"].iter_rows(values_only=True))
    assert any("893" in (r[0] or "") and r[2] is not None for r in sources[1:])


def test_xlsx_of_all_municipalities(national, reference_data):
    response = national.get(reverse("insights:priorities_xlsx"))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book["Clasificación"].max_row == 1 + 1102


# --------------------------------------------------------------------------- capacity CSV


def _upload(client, text: str, name: str = "capacidad.csv", source: str = "DNP MDM 2022"):
    return client.post(
        reverse("insights:capacity_upload"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"), "source": source},
    )


def test_capacity_upload_stores_scores_with_audit_and_they_enter_the_index(
    national, analyst, reference_data
):
    response = _upload(national, "municipality_code,score\n44847,10\n05001,90\n27001,45.5\n")
    assert response.status_code == 302
    upload = CapacityUpload.objects.get()
    assert (upload.rows, upload.source, upload.uploaded_by) == (3, "DNP MDM 2022", analyst)
    assert InstitutionalCapacity.objects.get(municipality_code="27001").score == Decimal("45.50")
    event = AuditEvent.objects.get(action="institutional_capacity.uploaded")
    assert event.after["rows"] == 3
    assert event.actor == analyst
    ranking = priority_ranking(preset="asistencia_tecnica")
    uribia = next(row for row in ranking.rows if row.code == "44847")
    capacity = next(c for c in uribia.components if c.key == "institutional_capacity")
    assert (capacity.raw, capacity.score) == (10.0, 100.0)  # lowest capacity, highest priority


def test_a_new_upload_replaces_earlier_scores(analyst, reference_data):
    capacity_upload_store(content=b"municipality_code,score\n44847,10\n", file_name="a.csv",
                          source="A", actor=analyst)  # fmt: skip
    capacity_upload_store(content=b"municipality_code;score;source\n44847;20,5;B\n",
                          file_name="b.csv", source="", actor=analyst)  # fmt: skip
    score = InstitutionalCapacity.objects.get(municipality_code="44847")
    assert score.score == Decimal("20.50")
    assert score.upload.source == "B"


def test_capacity_errors_name_row_and_column_and_nothing_is_stored(national, reference_data):
    text = (
        "municipality_code,score\n"
        "44847,10\n"
        "5001,50\n"  # lost leading zero
        "99999,20\n"  # not in DIVIPOLA
        "44847,30\n"  # repeated
        "27001,abc\n"
        "05001,120\n"
    )
    response = _upload(national, text)
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "capacidad.csv, fila 3, columna «municipality_code»: «5001» no es un código DIVIPOLA "
        "de 5 dígitos. ¿Perdió el cero inicial? Escriba 05001." in html
    )
    assert (
        "fila 4, columna «municipality_code»: «99999» no es un municipio de la DIVIPOLA 2018."
        in html
    )
    assert (
        "fila 5, columna «municipality_code»: el municipio 44847 ya aparece en la fila 2." in html
    )
    assert "fila 6, columna «score»: «abc» no es un número." in html
    assert "fila 7, columna «score»: el puntaje debe estar entre 0 y 100 (es 120)." in html
    assert not CapacityUpload.objects.exists()
    assert not InstitutionalCapacity.objects.exists()
    assert not AuditEvent.objects.filter(action="institutional_capacity.uploaded").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"codigo,score\n44847,1\n", "columna «codigo»: columna desconocida"),
        (b"municipality_code\n44847\n", "columna «score»: falta esta columna obligatoria"),
        (b"", "el archivo está vacío"),
        (b"municipality_code,score\n", "el archivo no tiene filas de datos"),
        ("municipality_code,score\n44847,1\n".encode("latin-1") + b"\xe1", "UTF-8"),
        (b"municipality_code,score\n44847,1,2\n", "fila 2: la fila tiene 3 valores"),
    ],
)
def test_capacity_file_level_errors(analyst, reference_data, content, message):
    with pytest.raises(CapacityFileError) as caught:
        capacity_upload_store(content=content, file_name="c.csv", source="X", actor=analyst)
    assert any(message in str(p) for p in caught.value.problems)


def test_capacity_upload_needs_a_source(analyst, reference_data):
    with pytest.raises(CapacityFileError, match="indique la fuente"):
        capacity_upload_store(
            content=b"municipality_code,score\n44847,1\n",
            file_name="c.csv",
            source="",
            actor=analyst,
        )


@pytest.mark.parametrize("role", [Role.REGIONAL_ANALYST, Role.MUNICIPAL_USER, Role.PARTNER_USER])
def test_only_national_roles_may_upload_capacity(client, django_user_model, reference_data, role):
    user = django_user_model.objects.create_user(username="otro", password="x", role=role)
    client.force_login(user)
    assert client.get(reverse("insights:capacity_upload")).status_code == 403
    assert _upload(client, "municipality_code,score\n44847,10\n").status_code == 403
    assert not InstitutionalCapacity.objects.exists()
    page = client.get(reverse("insights:priorities")).content.decode()
    assert reverse("insights:capacity_upload") not in page
