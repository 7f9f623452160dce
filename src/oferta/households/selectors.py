"""Reads of the household registry: search-first lookup, territory counts, the household sheet.

Every function takes the user's scope from :mod:`oferta.households.access`; none lists
households without a query (Ley 1581 de 2012: search-first, not browse-all).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from oferta.engine.diagnostics.methods import METHODS

from .access import households_visible_to, persons_visible_to
from .explanations import (
    RELATIONSHIP_LABELS,
    Explanation,
    HousingFacts,
    MemberFacts,
    dimension_names,
    explain_household,
    method_name,
)
from .models import Household, Person

SEARCH_LIMIT = 50
MIN_WORD_LENGTH = 2
_RELATIONSHIP_ORDER = {code: i for i, code in enumerate(RELATIONSHIP_LABELS)}


def normalise_name(text: str) -> str:
    """Lower-case, accent-free words separated by one space (the query side of
    :func:`oferta.households.loading.search_name_expr`).

    >>> normalise_name("  María-José  NÚÑEZ ")
    'maria jose nunez'
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w]+|_", " ", stripped).split())


def age_on(birth_date: date, on: date) -> int:
    """Completed years at ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# --------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class PersonHit:
    household_uuid: Any
    first_names: str
    last_names: str
    document_type: str
    document_number: str
    relationship: str
    municipality_code: str
    age: int


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    kind: str  # "document", "name" or "" (nothing searched)
    hits: list[PersonHit]
    truncated: bool
    error: str = ""


def _looks_like_document(query: str) -> bool:
    return any(ch.isdigit() for ch in query)


def person_search(*, user: Any, query: str, limit: int = SEARCH_LIMIT) -> SearchOutcome:
    """Persons in ``user``'s scope matching ``query``, at most ``limit``.

    A query with a digit is a document number, matched exactly (ignoring spaces, dots and
    dashes the person typed). Otherwise every word must start a word of the person's names
    (accent- and case-insensitive): "ana gom" finds "Ana María Gómez Pérez".
    """
    query = (query or "").strip()
    if not query:
        return SearchOutcome(kind="", hits=[], truncated=False)
    persons = persons_visible_to(user=user)
    if _looks_like_document(query):
        compact = re.sub(r"[\s.\-]", "", query)
        kind = "document"
        persons = persons.filter(document_number__in={query, compact})
    else:
        kind = "name"
        words = [w for w in normalise_name(query).split() if len(w) >= MIN_WORD_LENGTH]
        if not words:
            return SearchOutcome(
                kind=kind,
                hits=[],
                truncated=False,
                error=_("Escriba al menos %(n)s letras de un nombre o apellido.")
                % {"n": MIN_WORD_LENGTH},
            )
        for word in words:
            persons = persons.filter(
                Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
            )
    rows = list(
        persons.order_by("search_name", "id").values(
            "household__uuid",
            "household__municipality_code",
            "household__as_of",
            "first_names",
            "last_names",
            "document_type",
            "document_number",
            "relationship",
            "birth_date",
        )[: limit + 1]
    )
    hits = [
        PersonHit(
            household_uuid=row["household__uuid"],
            first_names=row["first_names"],
            last_names=row["last_names"],
            document_type=row["document_type"],
            document_number=row["document_number"],
            relationship=str(RELATIONSHIP_LABELS.get(row["relationship"], row["relationship"])),
            municipality_code=row["household__municipality_code"],
            age=age_on(row["birth_date"], date.today()),
        )
        for row in rows[:limit]
    ]
    return SearchOutcome(kind=kind, hits=hits, truncated=len(rows) > limit)


@dataclass(frozen=True, slots=True)
class TerritoryCount:
    code: str
    name: str
    households: int
    poor: int


def territory_counts(*, user: Any) -> list[TerritoryCount]:
    """Households (and multidimensionally poor ones) in ``user``'s scope, by department for
    national users and by municipality otherwise. Counts only: no names, no documents.
    Households no longer in the registry (kept for their referrals) are not counted."""
    from oferta.territories.models import Department, Municipality

    visible = households_visible_to(user=user).filter(in_registry=True)
    by_department = bool(getattr(user, "is_national", False))
    key = "department_code" if by_department else "municipality_code"
    rows = (
        visible.values(key)
        .annotate(households=Count("id"), poor=Sum(Cast("poor", IntegerField())))
        .order_by(key)
    )
    model = Department if by_department else Municipality
    codes = [row[key] for row in rows]
    names = dict(model.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        TerritoryCount(
            code=row[key],
            name=names.get(row[key], row[key]),
            households=row["households"],
            poor=row["poor"] or 0,
        )
        for row in rows
    ]


# --------------------------------------------------------------------------- household sheet


@dataclass(frozen=True, slots=True)
class MemberRow:
    uuid: Any
    first_names: str
    last_names: str
    document_type: str
    document_number: str
    age: int
    sex: str
    relationship: str


@dataclass(frozen=True, slots=True)
class HouseholdSheet:
    household: Household
    municipality_name: str
    department_name: str
    method_name: str
    members: list[MemberRow]
    explanations: list[Explanation]
    dimensions: dict[str, str]
    deprived_count: int
    score_percent: str


def _member_facts(person: Person, as_of: date) -> MemberFacts:
    return MemberFacts(
        name=person.first_names,
        age=age_on(person.birth_date, as_of),
        sex=person.sex,
        relationship=person.relationship,
        can_read_write=person.can_read_write,
        years_of_schooling=person.years_of_schooling,
        attends_school=person.attends_school,
        activity=person.activity,
        unemployed_months=person.unemployed_months,
        contributes_to_pension=person.contributes_to_pension,
        receives_pension=person.receives_pension,
        health_insured=person.health_insured,
        health_need_last_30_days=person.health_need_last_30_days,
        health_need_attended=person.health_need_attended,
        early_childhood_care_adequate=person.early_childhood_care_adequate,
        early_childhood_nutrition_adequate=person.early_childhood_nutrition_adequate,
    )


def household_sheet(*, household: Household) -> HouseholdSheet:
    """Everything the household page shows. Ages are at the diagnosis reference date
    (``household.as_of``), the ones the stored IPM used."""
    from oferta.territories.models import Department, Municipality

    persons = sorted(
        household.members.all(),
        key=lambda p: (_RELATIONSHIP_ORDER.get(p.relationship, 99), p.birth_date, p.pk),
    )
    housing = HousingFacts(
        zone=household.zone,
        sleeping_rooms=household.sleeping_rooms,
        water_source=household.water_source,
        toilet=household.toilet,
        floor_material=household.floor_material,
        wall_material=household.wall_material,
    )
    facts = [_member_facts(p, household.as_of) for p in persons]
    explanations = (
        explain_household(
            method_code=household.method_code,
            housing=housing,
            members=facts,
            deprived=household.deprivations(),
        )
        if household.method_code in METHODS
        else []
    )
    municipality = Municipality.objects.filter(code=household.municipality_code).first()
    department = Department.objects.filter(code=household.department_code).first()
    method = METHODS.get(household.method_code)
    return HouseholdSheet(
        household=household,
        municipality_name=municipality.name if municipality else household.municipality_code,
        department_name=department.name if department else household.department_code,
        method_name=method_name(household.method_code),
        members=[
            MemberRow(
                uuid=p.uuid,
                first_names=p.first_names,
                last_names=p.last_names,
                document_type=p.document_type,
                document_number=p.document_number,
                age=fact.age,
                sex=p.sex,
                relationship=str(RELATIONSHIP_LABELS.get(p.relationship, p.relationship)),
            )
            for p, fact in zip(persons, facts, strict=True)
        ],
        explanations=explanations,
        dimensions=dimension_names(household.method_code) if method else {},
        deprived_count=sum(1 for e in explanations if e.deprived),
        score_percent=_("%(n)s %%") % {"n": f"{household.score * 100:.0f}"},
    )
