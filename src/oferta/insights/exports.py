"""XLSX export of the coverage gaps of a territory: the bottleneck table, the missing-offer
ranking and a sheet with the definitions, sources and generation date.

Aggregates only (counts of households and places): no household, person or referral appears.
DIVIPOLA codes are written as text so spreadsheets keep the leading zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from oferta.core.xlsx import TEXT, header_row
from oferta.territories.selectors import Territory

from .selectors import GapRow, MissingOfferRow


def gap_headers() -> list[str]:
    return [
        _("Código del indicador"),
        _("Indicador IPM"),
        _("Necesidad (hogares con la privación)"),
        _("De ellos, pobres multidimensionales"),
        _("Personas en esos hogares"),
        _("Ofertas activas que la atienden"),
        _("Cupos en el municipio"),
        _("Cupos departamentales"),
        _("Oferta total (cupos)"),
        _("Remitidos"),
        _("Aceptados"),
        _("Vinculados"),
        _("Atendidos"),
        _("Necesidad no cubierta por la última corrida"),
        _("Brecha de disponibilidad"),
        _("Brecha de acceso"),
        _("Brecha de contacto"),
        _("Brecha de efectividad"),
        _("Cuello de botella"),
    ]


def gap_values(row: GapRow) -> list[object]:
    return [
        row.indicator,
        row.label,
        row.need,
        row.need_poor,
        row.persons,
        row.offers,
        row.places_municipal,
        row.places_department,
        row.supply,
        row.referred,
        row.accepted,
        row.enrolled,
        row.served,
        row.unmet_need,
        row.availability,
        row.access,
        row.contact,
        row.effectiveness,
        row.bottleneck_label,
    ]


def gaps_workbook(
    *,
    territory: Territory,
    rows: Sequence[GapRow],
    missing: Sequence[MissingOfferRow],
    refreshed_at: datetime | None,
    generated_at: datetime | None = None,
) -> bytes:
    """The workbook as bytes (sheets: Brechas, Oferta faltante, Fuentes)."""
    generated_at = generated_at or timezone.now()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Brechas")
    header_row(sheet, gap_headers(), [28, 40, *([14] * 16), 18])
    for row in rows:
        sheet.append(gap_values(row))
        sheet.cell(row=sheet.max_row, column=1).number_format = TEXT

    ranking = book.create_sheet(_("Oferta faltante"))
    header_row(
        ranking,
        [
            _("Código DIVIPOLA del municipio"),
            _("Municipio"),
            _("Código DIVIPOLA del departamento"),
            _("Código del indicador"),
            _("Indicador IPM"),
            _("Necesidad (hogares)"),
            _("De ellos, pobres"),
            _("Oferta (cupos)"),
            _("Ofertas"),
            _("Necesidad sin cupo"),
        ],
        [16, 28, 16, 28, 40, 14, 14, 14, 10, 14],
    )
    for item in missing:
        ranking.append(
            [
                item.municipality_code,
                item.municipality_name,
                item.department_code,
                item.indicator,
                item.label,
                item.need,
                item.need_poor,
                item.supply,
                item.offers,
                item.uncovered,
            ]
        )
        for column in (1, 3, 4):
            ranking.cell(row=ranking.max_row, column=column).number_format = TEXT

    sources = book.create_sheet(_("Fuentes"))
    local = timezone.localtime(generated_at)
    refreshed = timezone.localtime(refreshed_at).strftime("%Y-%m-%d %H:%M") if refreshed_at else ""
    lines: list[tuple[str, str]] = [
        (_("Territorio"), territory.label),
        (_("Código DIVIPOLA"), territory.code),
        (_("Generado el"), local.strftime("%Y-%m-%d %H:%M")),
        (_("Cifras del registro actualizadas el"), refreshed),
        (
            _("Necesidad"),
            _("Hogares del registro con la privación (diagnóstico IPM guardado al importar)."),
        ),
        (
            _("Oferta"),
            _(
                "Cupos de ofertas activas que atienden el indicador, con periodo vigente a la "
                "fecha de actualización: cupos del municipio y bolsas del departamento (contadas "
                "una vez por departamento)."
            ),
        ),
        (
            _("Uso"),
            _(
                "Hogares con la privación remitidos a una oferta que la atiende, según el hito "
                "alcanzado (remitido, aceptado, vinculado, atendido)."
            ),
        ),
        (_("Brecha de disponibilidad"), _("Necesidad − oferta (si es positiva).")),
        (_("Brecha de acceso"), _("mín(necesidad, oferta) − remitidos (si es positiva).")),
        (_("Brecha de contacto"), _("Remitidos − aceptados.")),
        (_("Brecha de efectividad"), _("Aceptados − atendidos.")),
        (
            _("Fuentes"),
            _(
                "Registro de hogares importado (Sisbén IV / Registro Social de Hogares), "
                "catálogo de oferta social, remisiones y corridas de focalización."
            ),
        ),
        (_("Documentación"), "docs/insights.md"),
    ]
    header_row(sources, [_("Campo"), _("Valor")], [34, 100])
    for key, value in lines:
        sources.append([key, value])
        sources.cell(row=sources.max_row, column=2).number_format = TEXT
        sources.cell(row=sources.max_row, column=2).alignment = Alignment(wrap_text=True)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
