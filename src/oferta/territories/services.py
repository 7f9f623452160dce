"""Writes of territories: the shipped reference data and DANE's annexes, idempotently."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from oferta.accounts.audit import audit_event_record

from .dane_annex import DaneAnnex, dane_annex_parse
from .models import DataSource, Department, Figure, Municipality, TerritoryLevel, Zone
from .names import display_name

DATA_DIR = Path(__file__).resolve().parent / "data"
DEPARTMENTS_FILE = "departamentos_mgn2018.csv"
MUNICIPALITIES_FILE = "divipola_municipios_mgn2018.csv"
PDET_FILE = "pdet_municipios_170_corregido.csv"
CENSUS_IPM_FILE = "ipm_municipios.csv"
SHIPPED_ANNEXES = (
    "anex-PMultidimensional-Departamental-2024.xlsx",
    "anex-PM-Departamental-2023.xlsx",
)

SOURCE_MGN = "dane-mgn-2018"
SOURCE_CENSUS_IPM = "dane-ipm-cnpv-2018"
SOURCE_PDET = "decreto-ley-893-2017-pdet"

_FIGURE_KEY = ["territory_level", "territory_code", "indicator", "zone", "year", "source"]
_BATCH = 2000


@dataclass(frozen=True, slots=True)
class DaneAnnexImportResult:
    source_code: str
    kind: str
    release_date: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def _source_upsert(*, code: str, **fields: Any) -> DataSource:
    source, _ = DataSource.objects.update_or_create(code=code, defaults=fields)
    return source


def _figures_upsert(figures: Iterable[Figure]) -> int:
    """Insert figures, or update the value of those already stored for the same source."""
    objs = list(figures)
    Figure.objects.bulk_create(
        objs,
        batch_size=_BATCH,
        update_conflicts=True,
        unique_fields=_FIGURE_KEY,
        update_fields=["value", "unit"],
    )
    return len(objs)


def dane_annex_store(*, annex: DaneAnnex, actor: Any | None = None) -> DaneAnnexImportResult:
    """Store a parsed annex: its DataSource, its figures (upserted) and one audit event."""
    counts = annex.counts()
    with transaction.atomic():
        source = _source_upsert(
            code=annex.source_code,
            title=annex.title,
            publisher="DANE",
            release_date=annex.release_date,
            file_name=annex.file_name,
            url="https://www.dane.gov.co/",
            notes="Fuente: DANE. Anexo publicado por el DANE, cargado sin modificaciones.",
        )
        _figures_upsert(
            Figure(
                territory_level=f.territory_level,
                territory_code=f.territory_code,
                indicator=f.indicator,
                zone=f.zone,
                year=f.year,
                value=f.value,
                unit=f.unit,
                source=source,
            )
            for f in annex.figures
        )
        audit_event_record(
            actor=actor,
            action="dane_annex.imported",
            object_type="data_source",
            object_id=annex.source_code,
            after={**counts, "file": annex.file_name},
        )
    return DaneAnnexImportResult(
        source_code=annex.source_code,
        kind=annex.kind,
        release_date=annex.release_date,
        counts=counts,
    )


def dane_annex_import(*, path: Path | str, actor: Any | None = None) -> DaneAnnexImportResult:
    """Parse a DANE departmental annex (.xlsx) and store its figures; safe to run again.

    Raises ``DaneAnnexError`` (Spanish message naming sheet and cell) before anything is
    stored when the workbook is not what is expected.
    """
    annex = dane_annex_parse(path=path)
    return dane_annex_store(annex=annex, actor=actor)


def _departments_load() -> int:
    rows = _read_csv(DEPARTMENTS_FILE)
    Department.objects.bulk_create(
        [
            Department(
                code=r["cod_dpto"],
                name=r["nombre"],
                area_km2=_decimal(r["area_km2_suma_municipios"]),
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "area_km2"],
    )
    return len(rows)


def _municipalities_load() -> tuple[int, int, int]:
    pdet = {r["divipola_code"]: r["region_pdet"] for r in _read_csv(PDET_FILE)}
    # An área no municipalizada has no cabecera municipal, hence no census urban value.
    without_cabecera = {
        r["cod_municipio"] for r in _read_csv(CENSUS_IPM_FILE) if not r["ipm_cabecera"].strip()
    }
    rows = _read_csv(MUNICIPALITIES_FILE)
    known = {r["cod_mpio"] for r in rows}
    unknown = sorted(set(pdet) - known)
    if unknown:
        raise ValueError(f"{PDET_FILE}: códigos PDET que no están en DIVIPOLA: {unknown}")
    Municipality.objects.bulk_create(
        [
            Municipality(
                code=r["cod_mpio"],
                department_id=r["cod_dpto"],
                name=display_name(r["nombre_mpio"]),
                area_km2=_decimal(r["area_km2"]),
                creation_act=r["acto_creacion"].strip()[:200],
                is_pdet=r["cod_mpio"] in pdet,
                pdet_subregion=pdet.get(r["cod_mpio"], ""),
                is_non_municipalized=r["cod_mpio"] in without_cabecera,
            )
            for r in rows
        ],
        batch_size=_BATCH,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "department",
            "name",
            "area_km2",
            "creation_act",
            "is_pdet",
            "pdet_subregion",
            "is_non_municipalized",
        ],
    )
    return len(rows), len(pdet), len(without_cabecera)


def _census_ipm_load(source: DataSource) -> int:
    columns = (("ipm_total", Zone.TOTAL), ("ipm_cabecera", Zone.URBAN), ("ipm_rural", Zone.RURAL))
    figures = []
    for r in _read_csv(CENSUS_IPM_FILE):
        for column, zone in columns:
            value = _decimal(r[column])
            if value is not None:  # áreas no municipalizadas have no cabecera
                figures.append(
                    Figure(
                        territory_level=TerritoryLevel.MUNICIPALITY,
                        territory_code=r["cod_municipio"],
                        indicator="ipm_census",
                        zone=zone,
                        year=2018,
                        value=value,
                        unit="percent",
                        source=source,
                    )
                )
    return _figures_upsert(figures)


def reference_data_load(*, actor: Any | None = None) -> dict[str, int]:
    """Load the shipped reference data: DIVIPOLA 2018, PDET, census IPM and both DANE annexes.

    Idempotent (everything is upserted) and done in one transaction. Counts come from the files.
    """
    with transaction.atomic():
        _source_upsert(
            code=SOURCE_MGN,
            title="DANE, Marco Geoestadístico Nacional (MGN) 2018 y DIVIPOLA",
            publisher="DANE",
            release_date=None,
            file_name=f"{MUNICIPALITIES_FILE}, {DEPARTMENTS_FILE}",
            url="https://geoportal.dane.gov.co/",
            notes="Fuente: DANE. Capas MGN2018_MPIO_POLITICO y MGN2018_DPTO_POLITICO (2018).",
        )
        departments = _departments_load()
        municipalities, pdet, non_municipalized = _municipalities_load()
        _source_upsert(
            code=SOURCE_PDET,
            title="Decreto-Ley 893 de 2017: municipios PDET y subregiones",
            publisher="Presidencia de la República",
            release_date=date(2017, 5, 28),
            file_name=PDET_FILE,
            notes="170 municipios en 16 subregiones; lista con 5 códigos corregidos (MGN 2018).",
        )
        census_source = _source_upsert(
            code=SOURCE_CENSUS_IPM,
            title=(
                "DANE, Medida de pobreza multidimensional municipal de fuente censal 2018 "
                "(CNPV 2018)"
            ),
            publisher="DANE",
            release_date=None,
            file_name=CENSUS_IPM_FILE,
            url="https://www.dane.gov.co/",
            notes=(
                "Fuente: DANE. Anexo censal de pobreza municipal 2018, hoja '4_IPM Mpio dominios'. "
                "No es comparable con el IPM de la ECV."
            ),
        )
        counts = {
            "departments": departments,
            "municipalities": municipalities,
            "pdet": pdet,
            "non_municipalized": non_municipalized,
            "ipm_census": _census_ipm_load(census_source),
        }
        for file_name in SHIPPED_ANNEXES:
            result = dane_annex_import(path=DATA_DIR / file_name, actor=actor)
            counts[result.source_code] = result.total
        audit_event_record(
            actor=actor,
            action="reference_data.loaded",
            object_type="data_source",
            object_id=SOURCE_MGN,
            after=counts,
        )
    return counts
