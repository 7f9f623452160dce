"""Assembles a director's report into plain data (ReportContent) that both renderers use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from oferta.insights.selectors import territory_profile
from oferta.territories.models import TerritoryLevel
from oferta.territories.selectors import SourceRef, Territory

Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class Source:
    """Where figures come from: a published data set, or the platform's own records."""

    code: str
    title: str
    publisher: str
    release_date: date | None


@dataclass(frozen=True, slots=True)
class KeyFigure:
    label: str
    value: Any  # Decimal, int or text; None when not published
    kind: str  # a Column kind
    period: str  # the year or date the figure refers to
    source: Source | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. ``kind``: text, code, percent, count, cop, year, rank, days or score."""

    label: str
    kind: str = "text"


@dataclass(slots=True)
class Section:
    key: str  # the XLSX sheet name (at most 31 characters)
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    source: Source | None = None
    period: str = ""
    note: str = ""
    chart: str = ""  # self-contained SVG, for the PDF
    highlighted: set[int] = field(default_factory=set)  # rows of the report's own territory
    empty_message: str = ""


@dataclass(slots=True)
class MapFigure:
    title: str
    svg: str  # self-contained SVG
    legend_svg: str
    legend: list[str]  # the legend as text (class labels with counts)
    sources: list[Source]
    note: str = ""
    values: Section | None = None  # the mapped values, for the XLSX


@dataclass(slots=True)
class ReportContent:
    territory: Territory
    level_label: str
    generated_at: datetime
    requested_by: str
    key_figures: list[KeyFigure] = field(default_factory=list)
    maps: list[MapFigure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # every source cited, first use first


def source_of(ref: SourceRef | None) -> Source | None:
    if ref is None:
        return None
    return Source(ref.code, ref.title, ref.publisher, ref.release_date)


def platform_source(*, title: str, as_of: date | None) -> Source:
    """The platform's own records (registry, catalogue, referrals) at a cut-off date."""
    return Source("oferta", title, "oferta", as_of)


def _level_label(territory: Territory) -> str:
    return {
        TerritoryLevel.NATION: _("Informe nacional"),
        TerritoryLevel.DEPARTMENT: _("Informe departamental"),
        TerritoryLevel.MUNICIPALITY: _("Informe municipal"),
    }[territory.level]


def _cited(content: ReportContent) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    candidates: list[Source | None] = [f.source for f in content.key_figures]
    for figure in content.maps:
        candidates += figure.sources
    candidates += [s.source for s in content.sections]
    for source in candidates:
        if source is not None:
            seen.setdefault((source.code, source.title), source)
    return list(seen.values())


def report_content_build(
    *, code: str, user: Any, requested_by: str = "", progress: Progress | None = None
) -> ReportContent:
    """Every figure of the report of territory ``code`` as seen by ``user``.

    Official figures come from the territories' reference data (each with its DataSource);
    registry, offer, gaps and the linkage funnel from the insights and referrals selectors,
    within ``user``'s scope.
    """
    from . import maps, sections  # the section builders import this module's data classes

    step = progress or (lambda _p, _s: None)
    now = timezone.localtime()
    step(10, _("Reuniendo cifras oficiales"))
    profile = territory_profile(code=code, user=user)
    figures = profile.figures
    territory = figures.territory
    refs = sections.reference_sources()
    content = ReportContent(
        territory=territory,
        level_label=_level_label(territory),
        generated_at=now,
        requested_by=requested_by,
    )
    of = ""
    if territory.level == TerritoryLevel.MUNICIPALITY and figures.figures_of:
        of = " · " + figures.figures_of.name
        content.notes.append(
            _(
                "El DANE publica las series de la encuesta (IPM de la ECV y pobreza monetaria) "
                "por departamento: las cifras marcadas «· %(name)s» son de %(name)s."
            )
            % {"name": figures.figures_of.name}
        )

    step(20, _("Cifras clave y rankings"))
    if territory.level == TerritoryLevel.NATION:
        ranking, nation_figures = sections.departments_ranking(refs)
        content.key_figures += sections.survey_figures(figures, of) + nation_figures
    else:
        ranking, local_figures = sections.municipalities_ranking(territory, figures, refs)
        content.key_figures += local_figures + sections.survey_figures(figures, of)
    content.key_figures += sections.profile_figures(profile)
    content.sections.append(ranking)
    step(30, _("Ranking de priorización"))
    content.sections.append(sections.priority_section(territory, user))
    for section in (
        sections.survey_section(figures, of),
        sections.deprivations_section(figures, of),
        sections.monetary_section(figures, of),
    ):
        if section is not None:
            content.sections.append(section)

    step(45, _("Mapas"))
    content.maps = maps.report_maps(territory, user, refs)

    step(60, _("Brechas de cobertura y oferta"))
    content.sections += sections.gap_sections(territory, user, profile)

    step(70, _("Embudo de vinculación"))
    content.sections.append(sections.funnel_section(territory, user, now.date()))

    content.sources = _cited(content)
    return content
