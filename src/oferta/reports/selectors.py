"""Reads of the reports app: the sources of the reference data by code."""

from __future__ import annotations

from oferta.territories.models import DataSource
from oferta.territories.selectors import SourceRef


def source_refs(*, codes: list[str]) -> dict[str, SourceRef]:
    """The data sources with these codes (missing ones are left out)."""
    return {
        s.code: SourceRef(s.code, s.title, s.publisher, s.release_date)
        for s in DataSource.objects.filter(code__in=codes)
    }
