"""The director's report of the nation, La Guajira and Uribia, generated once per format on the
real reference data and read back: PDF pages, text, map and charts; XLSX sheets and cells."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from oferta.accounts.models import AuditEvent, Role
from oferta.reports import charts
from oferta.reports.maps import COLOUR_OFF, COLOUR_ON
from oferta.reports.models import ReportStatus
from oferta.reports.services import report_generate, report_request
from oferta.reports.svgprint import choropleth_css, static_css

from .conftest import page_fills, pdf_pages, reference_data_loaded, user_make

# Every test here reads the module's generated reports from the test database: mark them all,
# so pytest-django sets the test database up whichever of them are selected.
pytestmark = pytest.mark.django_db

CODES = ("CO", "44", "44847")
CENSUS_SOURCE = "Medida de pobreza multidimensional municipal de fuente censal 2018"
MGN_SOURCE = "Marco Geoestadístico Nacional"
UNITS = 1122


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every report generated once through the services: (code, fmt) → (report, bytes, stages)."""
    var_dir = tmp_path_factory.mktemp("var")
    with reference_data_loaded(django_db_blocker, var_dir):
        actor = user_make(Role.NATIONAL_ADMIN)
        out = {}
        for code in CODES:
            for fmt in ("pdf", "xlsx"):
                stages: list[tuple[int, str]] = []
                report = report_request(actor=actor, code=code, fmt=fmt)
                report = report_generate(
                    report=report, progress=lambda p, s, log=stages: log.append((p, s))
                )
                data = Path(report.file_path).read_bytes() if report.file_path else b""
                out[(code, fmt)] = (report, data, stages)
        yield out


class _Pdf:
    """A rendered PDF with the text of each page, whitespace folded (extraction is slow)."""

    def __init__(self, data: bytes) -> None:
        self.reader = pdf_pages(data)
        self.texts = [" ".join((p.extract_text() or "").split()) for p in self.reader.pages]

    def page_with(self, needle: str):
        for page, text in zip(self.reader.pages, self.texts, strict=True):
            if needle in text:
                return page
        raise AssertionError(f"no page contains {needle!r}")

    def fills_on_page_with(self, needle: str):
        return page_fills(self.reader, self.page_with(needle))


@pytest.fixture(scope="module")
def pdfs(generated):
    return {code: _Pdf(generated[(code, "pdf")][1]) for code in CODES}


def _class_colours() -> set[str]:
    """The five class colours of the maps stylesheet."""
    css = choropleth_css(static_css("territories/maps.css"), "k5")
    return set(re.findall(r"\.q\d+\{fill:(#[0-9a-fA-F]+)\}", css))


# --------------------------------------------------------------------------- the job


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_every_report_succeeds_with_a_stored_file_and_full_progress(generated, code, fmt):
    report, data, stages = generated[(code, fmt)]
    assert report.status == ReportStatus.SUCCEEDED, report.error_message
    assert report.progress == 100
    assert report.file_size == len(data) > 1000
    percents = [p for p, _s in stages]
    assert percents == sorted(percents)
    assert percents[-1] == 95
    assert {s for _p, s in stages} >= {
        "Reuniendo cifras oficiales",
        "Mapas",
        "Guardando el archivo",
    }


def test_generation_is_audited_from_request_to_success(generated, db):
    report, _data, _stages = generated[("44847", "pdf")]
    actions = list(
        AuditEvent.objects.filter(object_type="director_report", object_id=str(report.uuid))
        .order_by("occurred_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "director_report.requested",
        "director_report.running",
        "director_report.succeeded",
    ]


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize(
    ("code", "name"), [("CO", "Colombia"), ("44", "La Guajira"), ("44847", "Uribia")]
)
def test_pdf_has_several_pages_with_the_territory_and_the_sources(pdfs, code, name):
    pdf = pdfs[code]
    text = " ".join(pdf.texts)
    assert len(pdf.reader.pages) > 1
    assert name in pdf.texts[0]
    for needle in ("Cifras clave", "Fuentes", CENSUS_SOURCE, MGN_SOURCE, "Embudo de vinculación"):
        assert needle in text, needle


def test_uribia_pdf_shows_its_census_ipm_in_spanish_format_and_its_national_rank(pdfs):
    pdf = pdfs["44847"]
    key_figures = next(text for text in pdf.texts if text.startswith("Cifras clave"))
    assert "IPM censal, total 92,2 %" in key_figures
    assert "de 1102 municipios" in key_figures
    assert "de 15 unidades municipales de La Guajira" in " ".join(key_figures.split())
    assert "2025-04-22" in key_figures  # release date of the ECV annex, beside its figures


def test_uribia_location_map_is_drawn_with_uribia_alone_highlighted(pdfs):
    fills = pdfs["44847"].fills_on_page_with("Mapa: Uribia (La Guajira)")
    # one path per municipal unit: Uribia in the highlight colour (plus its legend swatch)
    assert fills[COLOUR_ON] == 1 + 1
    assert fills[COLOUR_OFF] == UNITS - 1 + 1


def test_department_choropleth_paints_its_15_municipalities_in_the_class_colours(pdfs):
    fills = pdfs["44"].fills_on_page_with("Mapa: IPM censal 2018 en La Guajira")
    painted = sum(n for colour, n in fills.items() if colour in _class_colours())
    assert painted == 15 + 5  # the municipalities and the five legend swatches
    assert sum(fills.values()) >= UNITS  # the rest of the country is drawn (clipped) too


def test_national_choropleth_paints_every_municipality_with_census_data(pdfs):
    fills = pdfs["CO"].fills_on_page_with("Mapa: IPM censal 2018 por municipio")
    painted = sum(n for colour, n in fills.items() if colour in _class_colours())
    assert painted >= 1100


def test_ranking_chart_draws_a_bar_per_municipality_and_highlights_uribia(pdfs):
    fills = pdfs["44847"].fills_on_page_with("Municipios de La Guajira por IPM censal")
    assert fills[charts.HIGHLIGHT_COLOUR] == 1
    assert fills[charts.BAR_COLOUR] == 14


# --------------------------------------------------------------------------- XLSX


def _book(generated, code):
    import io

    return openpyxl.load_workbook(io.BytesIO(generated[(code, "xlsx")][1]))


def _rows(sheet, header_row):
    header = [c.value for c in sheet[header_row]]
    return header, [list(r) for r in sheet.iter_rows(min_row=header_row + 1)]


@pytest.mark.parametrize("code", CODES)
def test_xlsx_has_one_sheet_per_section_and_the_sources(generated, code):
    names = _book(generated, code).sheetnames
    ranking = "Ranking departamentos" if code == "CO" else "Ranking municipios"
    for expected in ("Portada", "Cifras clave", "Mapa", ranking, "Priorización", "Brechas"):
        assert expected in names
    assert names[-2:] == ["Embudo", "Fuentes"]


def test_xlsx_key_figures_are_numbers_with_period_and_dated_source(generated):
    sheet = _book(generated, "44847")["Cifras clave"]
    header, rows = _rows(sheet, 3)
    assert header[:4] == ["Indicador", "Valor", "Unidad", "Período"]
    census = next(r for r in rows if r[0].value == "IPM censal, total")
    assert census[1].data_type == "n"
    assert Decimal(str(census[1].value)) == Decimal("92.2")
    assert census[3].value == "2018"
    assert CENSUS_SOURCE in census[5].value
    survey = next(r for r in rows if str(r[0].value).startswith("IPM (ECV), total"))
    assert survey[7].value.date().isoformat() == "2025-04-22"


def test_xlsx_ranking_keeps_codes_as_text_and_values_as_numbers(generated):
    sheet = _book(generated, "44847")["Ranking municipios"]
    header, rows = _rows(sheet, 5)
    assert header[:4] == ["Puesto en el departamento", "Código", "Municipio", "IPM censal 2018 (%)"]
    first = rows[0]
    assert [first[0].value, first[1].value, first[2].value] == [1, "44847", "Uribia"]
    assert first[1].data_type == "s"
    assert first[3].data_type == "n"
    assert len(rows) == 15


def test_xlsx_national_ranking_lists_33_departments_with_leading_zeros(generated):
    sheet = _book(generated, "CO")["Ranking departamentos"]
    _header, rows = _rows(sheet, 5)
    codes = {r[1].value for r in rows}
    assert len(rows) == 33
    assert "05" in codes
    assert "08" in codes


def test_xlsx_sources_sheet_lists_each_source_with_its_publisher_and_date(generated):
    sheet = _book(generated, "44")["Fuentes"]
    header, rows = _rows(sheet, 3)
    assert header == ["Código", "Fuente", "Entidad", "Fecha de publicación"]
    by_code = {r[0].value: r for r in rows}
    assert by_code["dane-ipm-cnpv-2018"][2].value == "DANE"
    assert by_code["decreto-ley-893-2017-pdet"][3].value.date().isoformat() == "2017-05-28"
