"""Eligible (household, offer) pairs at national scale, compactly and in batches of rules.

:func:`evaluate_rules` answers the same question as a wide frame keyed by the string
``household_id``. At 12 M households / 36 M persons that plan joins and groups 36 M rows by
string several times and evaluates the member counts twice; here every join and group uses an
integer *household code* (the row index of the household frame), the counts are computed once,
and rules are evaluated a batch at a time, each batch reduced to pairs before the next:

1. ``code`` of each person: one join of the person ids to the household ids.
2. Member counts of all rules: the household columns the conditions need are gathered onto the
   persons by code, then one ``group_by(code)`` sums them (``UInt32``).
3. Household rules, a batch at a time: Boolean columns (bit-packed) → ``arg_true`` codes.
4. Person rules, a batch at a time over persons with the needed household columns gathered by
   code: a household is eligible when at least one member is (a numpy scatter, no group_by).

The result is the same as :func:`evaluate_rules` (a pair for each true cell), with
``household_code`` the 0-based row of the household in ``households``.

Example
-------
>>> from oferta.engine.eligibility.compile import compile_rule
>>> households = pl.LazyFrame({"household_id": ["h1", "h2"], "zone": ["rural", "urban"]})
>>> persons = pl.LazyFrame({"household_id": ["h1", "h2"], "person_id": ["p1", "p2"],
...                         "age": [30, 20]})
>>> rules = {"a": compile_rule('zone == "rural"'),
...          "b": compile_rule("person.age < 28", scope="person")}
>>> eligible_household_pairs(rules, households, persons).rows()
[(0, 'a'), (1, 'b')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

import numpy as np
import polars as pl

from .compile import HOUSEHOLD_ID, OFFER_ID, CompiledRule, MemberCount

__all__ = [
    "HOUSEHOLD_CODE",
    "eligible_household_pairs",
    "iter_eligible_household_pairs",
]

HOUSEHOLD_CODE: Final = "household_code"
_PERSON_CODE: Final = "__household_code"
DEFAULT_BATCH: Final = 32


def _pairs(codes: pl.Series | np.ndarray, offer: str, dtype: pl.Enum) -> pl.DataFrame:
    series = pl.Series(HOUSEHOLD_CODE, codes).cast(pl.UInt32)
    offers = pl.repeat(offer, len(series), dtype=dtype, eager=True).alias(OFFER_ID)
    return pl.DataFrame([series, offers])


def _gather(frame: pl.DataFrame, names: list[str], codes: pl.Series) -> list[pl.Series]:
    return [frame.get_column(name).gather(codes) for name in names]


def iter_eligible_household_pairs(
    rules: Mapping[str, CompiledRule],
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    *,
    batch_size: int = DEFAULT_BATCH,
) -> Iterator[pl.DataFrame]:
    """Yield the eligible pairs one batch of rules at a time.

    Parameters
    ----------
    rules
        Rule id (offer id) to compiled rule, household or person scope; a person rule makes
        the household eligible when at least one member is.
    households, persons
        The household and person frames (household ids unique; persons of a household not in
        ``households`` are ignored, as in :func:`evaluate_rules`).
    batch_size
        Rules evaluated together; bounds the Boolean columns alive at once.

    Yields
    ------
    pl.DataFrame
        ``household_code`` (``UInt32``, the household's row in ``households``) and
        ``offer_id`` (``Enum`` of the rule ids in order), ordered by offer then code.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    offer = pl.Enum(list(rules))
    frame = households.collect()
    size = frame.height
    household_rules = [(k, r) for k, r in rules.items() if r.scope == "household"]
    person_rules = [(k, r) for k, r in rules.items() if r.scope == "person"]
    counts: dict[str, MemberCount] = {}
    for rule in rules.values():
        for count in rule.counts:
            counts.setdefault(count.name, count)
    household_columns = set(frame.columns) - {HOUSEHOLD_ID}

    codes: pl.Series | None = None
    members: pl.DataFrame | None = None
    if counts or person_rules:
        ids = frame.select(HOUSEHOLD_ID).with_row_index(_PERSON_CODE)
        # Only the person columns some condition reads: not a copy of the whole registry.
        referenced: set[str] = set()
        for count in counts.values():
            referenced.update(count.condition.meta.root_names())
        for _, rule in person_rules:
            referenced.update(rule.expr.meta.root_names())
        person_columns = sorted(
            (referenced & set(persons.collect_schema().names())) - {HOUSEHOLD_ID, _PERSON_CODE}
        )
        members = (
            persons.select(HOUSEHOLD_ID, *person_columns)
            .join(ids.lazy(), on=HOUSEHOLD_ID, how="inner", maintain_order="left")
            .drop(HOUSEHOLD_ID)
            .collect()
        )
        codes = members.get_column(_PERSON_CODE)

    if counts and members is not None and codes is not None:
        # As in the joins of ``evaluate_rules``: a person column wins over a household one.
        needed = sorted(
            {n for c in counts.values() for n in c.condition.meta.root_names()}
            & (household_columns - set(members.columns))
        )
        rows = members.with_columns(_gather(frame, needed, codes)) if needed else members
        aggregated = (
            rows.lazy()
            .select(
                _PERSON_CODE,
                # Booleans, bit-packed: 25 UInt32 columns over 37 M persons would be 3.7 GB.
                *(c.condition.alias(name) for name, c in counts.items()),
            )
            .group_by(_PERSON_CODE)
            .agg(pl.col(name).sum() for name in counts)
            .collect()
        )
        del rows
        # The narrowest unsigned type that holds every count (lossless; rules cast to Int64).
        top = aggregated.select(pl.max_horizontal(pl.exclude(_PERSON_CODE).max())).item() or 0
        narrow = pl.UInt8 if top < 2**8 else pl.UInt16 if top < 2**16 else pl.UInt32
        aggregated = aggregated.with_columns(pl.exclude(_PERSON_CODE).cast(narrow))
        aligned = (
            pl.LazyFrame({_PERSON_CODE: pl.int_range(size, dtype=pl.UInt32, eager=True)})
            .join(aggregated.lazy(), on=_PERSON_CODE, how="left", maintain_order="left")
            .drop(_PERSON_CODE)
            .collect()
        )
        del aggregated
        frame = frame.hstack(aligned)
        household_columns |= set(counts)

    for start in range(0, len(household_rules), batch_size):
        batch = household_rules[start : start + batch_size]
        # The id column makes literal-only rules broadcast to every row.
        wide = (
            frame.lazy().select(HOUSEHOLD_ID, *(rule.expr.alias(k) for k, rule in batch)).collect()
        )
        chunks = [_pairs(wide.get_column(k).arg_true(), k, offer) for k, _ in batch]
        del wide
        yield pl.concat(chunks)

    if not person_rules or members is None or codes is None:
        return
    person_codes = codes.to_numpy()
    for start in range(0, len(person_rules), batch_size):
        batch = person_rules[start : start + batch_size]
        names: set[str] = set()
        for _, rule in batch:
            names.update(rule.expr.meta.root_names())
        own = sorted((names & set(members.columns)) - {_PERSON_CODE})
        joined = sorted((names & household_columns) - set(own))
        rows = members.select(_PERSON_CODE, *own).with_columns(_gather(frame, joined, codes))
        wide = (
            rows.lazy().select(_PERSON_CODE, *(rule.expr.alias(k) for k, rule in batch)).collect()
        )
        del rows
        chunks = []
        for k, _ in batch:
            mask = np.zeros(size, dtype=np.bool_)
            mask[person_codes[wide.get_column(k).to_numpy()]] = True
            chunks.append(_pairs(np.flatnonzero(mask), k, offer))
        del wide
        yield pl.concat(chunks)


def eligible_household_pairs(
    rules: Mapping[str, CompiledRule],
    households: pl.LazyFrame,
    persons: pl.LazyFrame,
    *,
    batch_size: int = DEFAULT_BATCH,
) -> pl.DataFrame:
    """All eligible pairs in one frame (see :func:`iter_eligible_household_pairs`).

    Household rules come first, then person rules, each ordered by offer then code.
    """
    chunks = list(iter_eligible_household_pairs(rules, households, persons, batch_size=batch_size))
    if not chunks:
        return pl.DataFrame(schema={HOUSEHOLD_CODE: pl.UInt32, OFFER_ID: pl.Enum(list(rules))})
    return pl.concat(chunks, rechunk=False)
