"""XLSX export of the follow-up dashboard: the funnel, the rejection reasons and the source.

Aggregates only (counts, rates, medians): no household, person or referral appears. Codes
(DIVIPOLA, offer and entity ids) are written as text so spreadsheets keep leading zeros.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from oferta.core.xlsx import TEXT, column_widths, header_row

from .dashboards import STAGE_HELP, STAGES, Dashboard, DashboardRow

PERCENT = "0.0%"
DECIMAL = "0.0"


def _code_header(by: str) -> str:
    if by in ("department", "municipality"):
        return _("Código DIVIPOLA")
    if by == "offer":
        return _("Identificador de la oferta")
    return _("Identificador de la entidad")


def _funnel_row(sheet: Worksheet, row: DashboardRow, *, code: str, bold: bool = False) -> None:
    values: list[object] = [code, row.label]
    values += [stage.count for stage in row.stages]
    values += [
        None if row.linkage_rate is None else row.linkage_rate / 100,
        row.median_days_to_enrolment,
        row.rejected,
    ]
    sheet.append(values)
    cells = sheet[sheet.max_row]
    cells[0].number_format = TEXT
    cells[0].data_type = "s"
    n = len(STAGES)
    cells[2 + n].number_format = PERCENT
    cells[3 + n].number_format = DECIMAL
    if bold:
        for cell in cells:
            cell.font = Font(bold=True)


def dashboard_xlsx(
    *, dashboard: Dashboard, generated_by: str, generated_at: datetime | None = None
) -> bytes:
    """The workbook of ``dashboard``: «Embudo», «Motivos de rechazo» and «Fuente»."""
    generated_at = timezone.localtime(generated_at or timezone.now())
    book = Workbook()

    funnel = book.active
    funnel.title = _("Embudo")
    header_row(
        funnel,
        [
            _code_header(dashboard.by),
            str(dashboard.by_label),
            *(str(label) for _key, label in STAGES),
            _("Vinculación efectiva (% de las remitidas)"),
            _("Mediana de días del envío a la inscripción"),
            _("Rechazadas"),
        ],
    )
    for row in dashboard.rows:
        _funnel_row(funnel, row, code=row.key)
    _funnel_row(funnel, dashboard.total, code="", bold=True)
    column_widths(funnel, [38, 40, 13, 13, 13, 13, 13, 20, 20, 13])

    reasons = book.create_sheet(_("Motivos de rechazo"))
    header_row(
        reasons,
        [
            _code_header(dashboard.by),
            str(dashboard.by_label),
            _("Código del motivo"),
            _("Motivo"),
            _("Remisiones rechazadas"),
        ],
    )
    for row in [*dashboard.rows, dashboard.total]:
        for code, label, count in row.rejection_reasons:
            reasons.append(
                [row.key if row is not dashboard.total else "", row.label, code, label, count]
            )
            reasons.cell(row=reasons.max_row, column=1).number_format = TEXT
    column_widths(reasons, [38, 40, 24, 40, 16])

    source = book.create_sheet(_("Fuente"))
    header_row(source, [_("Campo"), _("Valor")])
    rows: list[tuple[str, str]] = [
        (
            _("Fuente"),
            _(
                "oferta: remisiones registradas en la plataforma (estados y fechas informados "
                "por los equipos territoriales y las entidades aliadas)."
            ),
        ),
        (_("Fecha de generación"), generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()),
        (_("Generado por"), generated_by),
        *dashboard.filters_text,
        (
            _("Unidad"),
            _("Remisiones: un hogar remitido a dos ofertas cuenta dos veces."),
        ),
        *((str(label), str(STAGE_HELP[key])) for key, label in STAGES),
        (
            _("Mediana de días"),
            _("Días entre el envío a la entidad y la fecha de inscripción."),
        ),
    ]
    for key, value in rows:
        source.append([key, value])
    for cell in source["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    column_widths(source, [30, 100])

    out = BytesIO()
    book.save(out)
    return out.getvalue()
