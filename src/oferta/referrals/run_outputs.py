"""What a finished routing run left open: places no household filled and, per IPM indicator and
municipality, the need no assigned offer closes; with Spanish labels, for its page and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from oferta.core.xlsx import TEXT, column_widths, header_row
from oferta.offers.models import Service
from oferta.territories.selectors import DEPRIVATION_LABELS, territory_label

from .models import RoutingRun

NEED_LABELS: dict[str, Any] = {
    **DEPRIVATION_LABELS,
    "extreme_monetary_poverty": gettext_lazy("Pobreza monetaria extrema"),
    "monetary_poverty": gettext_lazy("Pobreza monetaria"),
}


def _territory_labels(codes: set[str]) -> dict[str, str]:
    """:func:`territory_label` of many codes in two queries, not one per code: a national run
    leaves need open in up to ~1,100 municipalities."""
    from oferta.territories.models import Department, Municipality

    labels = {code: territory_label(code) if code == "CO" else code for code in codes}
    for code, name in Department.objects.filter(code__in=codes).values_list("code", "name"):
        labels[code] = name
    for code, name, department in Municipality.objects.filter(code__in=codes).values_list(
        "code", "name", "department__name"
    ):
        labels[code] = f"{name} ({department})"
    return labels


@dataclass(frozen=True, slots=True)
class UnfilledRow:
    offer_id: str
    offer: str
    territory_code: str
    territory: str
    period: str
    places: int
    filled: int
    unfilled: int


@dataclass(frozen=True, slots=True)
class UnmetRow:
    indicator: str
    indicator_label: str
    municipality_code: str
    municipality: str
    households_in_need: int
    covered: int
    unmet: int


def run_unfilled_places(run: RoutingRun) -> list[UnfilledRow]:
    """The run's unfilled places, most unfilled first."""
    rows = list(run.unfilled_places or [])
    names = {
        str(pk): name
        for pk, name in Service.objects.filter(pk__in={r["offer_id"] for r in rows}).values_list(
            "pk", "name"
        )
    }
    labels = _territory_labels({r["territory_code"] for r in rows})
    out = [
        UnfilledRow(
            offer_id=r["offer_id"],
            offer=names.get(r["offer_id"], r["offer_id"]),
            territory_code=r["territory_code"],
            territory=labels[r["territory_code"]],
            period=r["period"],
            places=int(r["places"]),
            filled=int(r["filled"]),
            unfilled=int(r["unfilled"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda row: (-row.unfilled, row.offer, row.territory_code))


def run_unmet_need(run: RoutingRun) -> list[UnmetRow]:
    """The run's unmet need per indicator × municipality, largest first."""
    rows = list(run.unmet_need or [])
    labels = _territory_labels({r["municipality_code"] for r in rows})
    out = [
        UnmetRow(
            indicator=r["indicator"],
            indicator_label=str(NEED_LABELS.get(r["indicator"], r["indicator"])),
            municipality_code=r["municipality_code"],
            municipality=labels[r["municipality_code"]],
            households_in_need=int(r["households_in_need"]),
            covered=int(r["covered"]),
            unmet=int(r["unmet"]),
        )
        for r in rows
    ]
    return sorted(out, key=lambda row: (-row.unmet, row.municipality_code, row.indicator))


def run_outputs_xlsx(run: RoutingRun) -> bytes:
    """Both tables as a workbook (codes as text), with a sheet on the run and its date."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Cupos sin asignar")
    header_row(
        sheet,
        [
            _("Oferta"),
            _("Identificador de la oferta"),
            _("Territorio"),
            _("Código DIVIPOLA"),
            _("Periodo desde"),
            _("Cupos"),
            _("Asignados"),
            _("Sin asignar"),
        ],
    )
    for row in run_unfilled_places(run):
        sheet.append(
            [
                row.offer,
                row.offer_id,
                row.territory,
                row.territory_code,
                row.period,
                row.places,
                row.filled,
                row.unfilled,
            ]
        )
        sheet.cell(sheet.max_row, 4).number_format = TEXT
    column_widths(sheet, [44, 38, 28, 12, 14, 10, 10, 12])

    need = book.create_sheet(_("Necesidad no cubierta"))
    header_row(
        need,
        [
            _("Indicador"),
            _("Código del indicador"),
            _("Municipio"),
            _("Código DIVIPOLA"),
            _("Hogares con la necesidad"),
            _("Cubiertos por una asignación"),
            _("Sin cubrir"),
        ],
    )
    for r in run_unmet_need(run):
        need.append(
            [
                r.indicator_label,
                r.indicator,
                r.municipality,
                r.municipality_code,
                r.households_in_need,
                r.covered,
                r.unmet,
            ]
        )
        need.cell(need.max_row, 4).number_format = TEXT
    column_widths(need, [40, 28, 28, 12, 14, 14, 12])

    about = book.create_sheet(_("Corrida"))
    about.append([_("Corrida"), str(run)])
    about.append([_("Identificador"), str(run.uuid)])
    about.append([_("Territorios"), ", ".join(run.scope or [])])
    about.append(
        [
            _("Terminada el"),
            timezone.localtime(run.finished_at).isoformat() if run.finished_at else "",
        ]
    )
    about.append([_("Generado el"), timezone.localtime().isoformat(timespec="minutes")])
    about.append(
        [
            _("Fuente"),
            _(
                "Asignación óptima (flujo de costo mínimo) de la corrida sobre el registro de "
                "hogares y el catálogo de oferta de la plataforma."
            ),
        ]
    )
    column_widths(about, [18, 90])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
