"""The shapes of the demo catalogue data (territorial entities and offers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

YEAR_2026 = ((date(2026, 1, 1), date(2026, 12, 31)),)
SEMESTERS_2026 = (
    (date(2026, 1, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 12, 31)),
)
NATION = "CO"


@dataclass(frozen=True)
class DemoEntity:
    """A territorial entity (gobernación or alcaldía) used by the demo."""

    key: str
    name: str
    acronym: str
    description: str
    level: str  # EntityLevel value
    territory_code: str
    website: str = ""
    legal_status: str = "Entidad territorial"


@dataclass(frozen=True)
class Window:
    opens_on: date
    closes_on: date
    territory_code: str = ""
    description: str = ""


@dataclass(frozen=True)
class DemoOffer:
    """One demo offer. ``areas`` holds ``"CO"`` (nation), department or municipality codes;
    ``places`` maps a territory code to the places of each period in ``periods``."""

    key: str
    organization: str  # key of a partner (offers.partners) or of a DemoEntity
    name: str
    description: str
    indicators: tuple[str, ...]
    rule: str
    rule_description: str
    application_process: str
    areas: tuple[str, ...]
    places: dict[str, int]
    populations: tuple[str, ...] = ()
    approaches: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("presencial",)
    scope: str = "household"
    legal_basis: str = ""
    documents: tuple[str, ...] = ()
    periods: tuple[tuple[date, date], ...] = YEAR_2026
    windows: tuple[Window, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    status: str = "active"
    fees_description: str = "Gratuito."
    alternate_name: str = ""
    alert: str = ""
