"""Generate synthetic registries (contract v1) department by department, and write them to files.

Example
-------
>>> from datetime import date
>>> households, persons = generate_registry(
...     households=40, seed=7, departments=["88"], as_of=date(2024, 6, 30))
>>> households.height, persons.select(pl.col("relationship").eq("head").sum()).item()
(40, 40)
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Final, Literal

import numpy as np
import polars as pl

from oferta.engine.contracts.registry_v1 import (
    ACTIVITIES,
    ETHNICITIES,
    FLOOR_MATERIALS,
    RELATIONSHIPS,
    SISBEN_GROUPS,
    TOILETS,
    WALL_MATERIALS,
    WATER_SOURCES,
)

from .calibration import MunicipalityPlan, cell_table, latent, plan_municipalities
from .composition import CHILD, GRANDCHILD, HEAD, SPOUSE, Members, draw_members, household_sum
from .model import (
    INDICATORS,
    LOADINGS,
    POOR_UNITS,
    BoolArray,
    FloatArray,
    IntArray,
    project_feasible,
    score_units,
)
from .names import FEMALE_NAMES, MALE_NAMES, SURNAMES
from .realise import EMPLOYED, PersonAttributes, realise_dwelling, realise_persons

FileFormat = Literal["parquet", "csv"]

PROGRAMS: Final[tuple[str, ...]] = (
    "familias_en_accion",
    "renta_ciudadana",
    "colombia_mayor",
    "renta_joven",
    "devolucion_iva",
)
"""Program codes the generator assigns (``programs`` column)."""

# Approximate shares of households by self-recognised ethnicity (CNPV 2018, rounded; plausible,
# not official): (indigenous, afrocolombian, raizal, palenquero).
_ETHNIC_SHARES: Final[dict[str, tuple[float, float, float, float]]] = {
    "05": (0.005, 0.05, 0.0, 0.0),
    "08": (0.01, 0.10, 0.0, 0.0),
    "13": (0.002, 0.20, 0.0, 0.005),
    "19": (0.25, 0.19, 0.0, 0.0),
    "20": (0.05, 0.12, 0.0, 0.0),
    "23": (0.10, 0.09, 0.0, 0.0),
    "27": (0.13, 0.74, 0.0, 0.0),
    "44": (0.42, 0.12, 0.0, 0.0),
    "47": (0.03, 0.05, 0.0, 0.0),
    "52": (0.16, 0.15, 0.0, 0.0),
    "70": (0.10, 0.11, 0.0, 0.0),
    "73": (0.04, 0.01, 0.0, 0.0),
    "76": (0.005, 0.22, 0.0, 0.0),
    "81": (0.04, 0.03, 0.0, 0.0),
    "86": (0.20, 0.04, 0.0, 0.0),
    "88": (0.0, 0.10, 0.25, 0.0),
    "91": (0.58, 0.01, 0.0, 0.0),
    "94": (0.75, 0.01, 0.0, 0.0),
    "95": (0.08, 0.02, 0.0, 0.0),
    "97": (0.81, 0.01, 0.0, 0.0),
    "99": (0.44, 0.01, 0.0, 0.0),
}
_DEFAULT_ETHNIC: Final = (0.01, 0.02, 0.0, 0.0)
_VICTIM_HOUSEHOLDS: Final[float] = 0.17
_PERMUTE_A: Final[int] = 48_271
_PERMUTE_B: Final[int] = 31_415_926_535_897
_DOC_MOD: Final[int] = 10**14


@dataclass(frozen=True, slots=True)
class WrittenRegistry:
    """What :func:`write_registry` wrote."""

    households_path: Path
    persons_path: Path
    households: int
    persons: int


def _household_frame_parts(
    plans: Sequence[MunicipalityPlan],
) -> tuple[list[str], IntArray, BoolArray, FloatArray, FloatArray, FloatArray, IntArray]:
    codes, mun, rural, mu, mean_size, seq = [], [], [], [], [], []
    alpha_rows = []
    for i, plan in enumerate(plans):
        codes.append(plan.municipality_code)
        for is_rural, count, m in (
            (False, plan.urban_households, plan.urban_mu),
            (True, plan.rural_households, plan.rural_mu),
        ):
            if count == 0:
                continue
            table = cell_table(plan.department_code, "rural" if is_rural else "urban")
            mun.append(np.full(count, i))
            rural.append(np.full(count, is_rural))
            mu.append(np.full(count, m))
            mean_size.append(np.full(count, table.mean_size))
            alpha_rows.append(np.broadcast_to(table.alpha, (count, len(INDICATORS))))
        seq.append(np.arange(1, plan.urban_households + plan.rural_households + 1))
    empty_i = np.zeros(0, dtype=np.int64)
    return (
        codes,
        np.concatenate(mun).astype(np.int64) if mun else empty_i,
        np.concatenate(rural).astype(np.bool_) if rural else np.zeros(0, dtype=np.bool_),
        np.concatenate(mu) if mu else np.zeros(0),
        np.concatenate(mean_size) if mean_size else np.zeros(0),
        np.concatenate(alpha_rows) if alpha_rows else np.zeros((0, len(INDICATORS))),
        np.concatenate(seq).astype(np.int64) if seq else empty_i,
    )


def _birth_dates(age: IntArray, as_of: date, rng: np.random.Generator) -> np.ndarray:
    """Birth dates giving exactly ``age`` completed years at ``as_of``."""
    years = (as_of.year - age - 1970).astype("datetime64[Y]")
    anniversary = years.astype("datetime64[M]") + (as_of.month - 1)
    anniversary_day = anniversary.astype("datetime64[D]") + (as_of.day - 1)
    back = rng.integers(1, 365, len(age)).astype("timedelta64[D]")
    return np.asarray(anniversary_day - back, dtype="datetime64[D]")


def _sisben(pc_income: FloatArray, rng: np.random.Generator) -> IntArray:
    """Sisbén IV group index (A1 = 0 ... D21 = 50) from a noisy per-capita income."""
    x = np.log(np.maximum(pc_income, 1.0)) + 0.25 * rng.standard_normal(len(pc_income))
    bands = (
        (40e3, 230e3, 0, 5),
        (230e3, 460e3, 5, 7),
        (460e3, 1.2e6, 12, 18),
        (1.2e6, 8e6, 30, 21),
    )
    group = np.zeros(len(x), dtype=np.int64)
    for lo, hi, first, count in bands:
        pos = (x - np.log(lo)) / (np.log(hi) - np.log(lo))
        sub = np.clip(np.floor(pos * count), 0, count - 1).astype(np.int64)
        group = np.where(x >= np.log(lo) if first else True, first + sub, group)
    return group


def _lookup(values: Sequence[str], index: str) -> pl.Expr:
    """The text of ``values`` at the integer positions in column ``index``."""
    return pl.lit(pl.Series(list(values), dtype=pl.String)).gather(pl.col(index))


def _names(rng: np.random.Generator, members: Members, has_spouse: BoolArray) -> pl.DataFrame:
    """First names (one or two, by sex) and two surnames (children carry their parents')."""
    n = len(members.age)
    hh = members.household
    s1 = rng.integers(0, len(SURNAMES), n)
    s2 = rng.integers(0, len(SURNAMES), n)
    head_s1 = s1[members.starts][hh]
    spouse_pos = np.minimum(members.starts + 1, n - 1)
    spouse_s1 = np.where(has_spouse, s1[spouse_pos], s2[members.starts])[hh]
    offspring = (members.role == CHILD) | (members.role == GRANDCHILD)
    frame = pl.DataFrame(
        {
            "female": members.female,
            "f": rng.integers(0, min(len(FEMALE_NAMES), len(MALE_NAMES)), n),
            "g": rng.integers(0, min(len(FEMALE_NAMES), len(MALE_NAMES)), n),
            "second": rng.random(n) < 0.45,
            "s1": np.where(offspring, head_s1, s1),
            "s2": np.where(offspring, spouse_s1, s2),
        }
    )

    def given(col: str) -> pl.Expr:
        return (
            pl.when(pl.col("female"))
            .then(_lookup(FEMALE_NAMES, col))
            .otherwise(_lookup(MALE_NAMES, col))
        )

    return frame.select(
        pl.when(pl.col("second") & (pl.col("f") != pl.col("g")))
        .then(pl.concat_str(given("f"), given("g"), separator=" "))
        .otherwise(given("f"))
        .alias("first_names"),
        pl.concat_str(_lookup(SURNAMES, "s1"), _lookup(SURNAMES, "s2"), separator=" ").alias(
            "last_names"
        ),
    )


def _department_chunk(
    plans: Sequence[MunicipalityPlan], *, seed: int, as_of: date, with_targets: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame]:
    department = plans[0].department_code
    rng = np.random.default_rng([seed, int(department)])
    codes, mun, rural, mu, mean_size, alpha, seq = _household_frame_parts(plans)
    n_hh = len(mun)
    members = draw_members(rng, mean_size=mean_size, rural=rural)
    comp = members.composition
    z = latent(mu, comp.size, mean_size, rng.standard_normal(n_hh))
    eps = rng.standard_normal((n_hh, len(INDICATORS)))
    target = project_feasible(eps + alpha + LOADINGS * z[:, None] > 0, comp)
    people = realise_persons(rng, members, target, z=z)
    dwelling = realise_dwelling(rng, target, size=comp.size, rural=rural)
    units = score_units(target)
    hh_frame, person_extra = _social(rng, members, people, target, units, z, department)
    households = _households_frame(codes, mun, rural, seq, dwelling, hh_frame)
    persons = _persons_frame(rng, members, people, households["household_id"], person_extra, as_of)
    if with_targets:
        households = households.with_columns(
            pl.Series(f"target_{code}", target[:, j]) for j, code in enumerate(INDICATORS)
        )
    return households, persons


def _social(
    rng: np.random.Generator,
    members: Members,
    people: PersonAttributes,
    target: BoolArray,
    units: IntArray,
    z: FloatArray,
    department: str,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Incomes, Sisbén, programs, accompaniment, ethnicity, victims, disability."""
    comp = members.composition
    n_hh, n = len(comp.size), len(members.age)
    hh, age = members.household, members.age
    formal = household_sum(
        (people.activity == EMPLOYED) & people.contributes_to_pension, members.starts
    )
    pc = np.exp(
        np.log(825_000.0)
        - 0.35 * z
        - 0.1 * comp.rural
        - 0.012 * units
        + 0.25 * (formal > 0)
        + 0.55 * rng.standard_normal(n_hh)
    )
    income = np.round(pc * comp.size, -3)
    sisben = _sisben(pc, rng)
    group_a = sisben <= 4
    up_to_b4 = sisben <= 8
    up_to_c1 = sisben <= 12
    up_to_c18 = sisben <= 29

    minors = household_sum(age < 18, members.starts) > 0
    elder = (age >= np.where(members.female, 54, 59)) & ~people.receives_pension
    elders = household_sum(elder, members.starts) > 0
    youth = household_sum((age >= 16) & (age <= 28) & people.attends_school, members.starts) > 0
    u = rng.random((n_hh, 5))
    shares = _ETHNIC_SHARES.get(department, _DEFAULT_ETHNIC)
    cdf = np.cumsum((*shares, 0.0005))
    ethnic_hh = np.searchsorted(cdf, rng.random(n_hh), side="right")
    ethnic_hh = np.where(ethnic_hh >= 5, 0, ethnic_hh + 1)  # 0 = none
    indigenous = ethnic_hh == 1
    programs = {
        "familias_en_accion": up_to_b4 & minors & (u[:, 0] < 0.6),
        "renta_ciudadana": group_a & (u[:, 1] < 0.5),
        "colombia_mayor": up_to_c1 & elders & (u[:, 2] < 0.45),
        "renta_joven": up_to_c18 & youth & (u[:, 3] < 0.35),
        "devolucion_iva": (up_to_b4 | indigenous) & (u[:, 4] < 0.3),
    }
    poor = units >= POOR_UNITS
    accompaniment = (group_a | (up_to_b4 & poor)) & (rng.random(n_hh) < 0.3)
    victim_hh = rng.random(n_hh) < _VICTIM_HOUSEHOLDS

    ethnicity = np.where(rng.random(n) < 0.96, ethnic_hh[hh], 0)
    disability = rng.random(n) < np.clip(0.015 + 0.003 * np.maximum(age - 40, 0), 0, 0.4)
    victim = victim_hh[hh] & ((rng.random(n) < 0.97) | (members.role == HEAD))
    household_cols: dict[str, np.ndarray] = {
        "monthly_income": income,
        "sisben": sisben,
        "accompaniment": accompaniment,
        **{f"program_{k}": v for k, v in programs.items()},
    }
    return household_cols, {"ethnicity": ethnicity, "disability": disability, "victim": victim}


def _households_frame(
    codes: list[str],
    mun: IntArray,
    rural: BoolArray,
    seq: IntArray,
    dwelling: object,
    extra: dict[str, np.ndarray],
) -> pl.DataFrame:
    from .realise import Dwelling

    assert isinstance(dwelling, Dwelling)
    base = pl.DataFrame(
        {
            "mun": mun,
            "seq": seq,
            "rural": rural,
            "water": dwelling.water_source,
            "toilet": dwelling.toilet,
            "floor": dwelling.floor_material,
            "wall": dwelling.wall_material,
            "rooms": dwelling.sleeping_rooms,
            **extra,
        }
    )
    program_cols = [pl.when(pl.col(f"program_{p}")).then(pl.lit(p)) for p in PROGRAMS]
    return base.select(
        pl.concat_str(
            pl.lit("H"),
            _lookup(codes, "mun"),
            pl.lit("-"),
            pl.col("seq").cast(pl.String).str.zfill(7),
        ).alias("household_id"),
        _lookup(codes, "mun").alias("municipality_code"),
        pl.when(pl.col("rural")).then(pl.lit("rural")).otherwise(pl.lit("urban")).alias("zone"),
        pl.col("rooms").cast(pl.Int16).alias("sleeping_rooms"),
        _lookup(WATER_SOURCES, "water").alias("water_source"),
        _lookup(TOILETS, "toilet").alias("toilet"),
        _lookup(FLOOR_MATERIALS, "floor").alias("floor_material"),
        _lookup(WALL_MATERIALS, "wall").alias("wall_material"),
        pl.col("monthly_income").cast(pl.Float64),
        _lookup(SISBEN_GROUPS, "sisben").alias("sisben_group"),
        pl.concat_str(program_cols, separator=";", ignore_nulls=True).alias("programs"),
        pl.col("accompaniment").cast(pl.Boolean),
    ).with_columns(pl.when(pl.col("programs") != "").then(pl.col("programs")).alias("programs"))


def _document_numbers(codes: IntArray, local: IntArray) -> IntArray:
    serial = codes * 1_000_000_000 + local
    return (serial * _PERMUTE_A + _PERMUTE_B) % _DOC_MOD


def _persons_frame(
    rng: np.random.Generator,
    members: Members,
    people: PersonAttributes,
    household_ids: pl.Series,
    extra: dict[str, np.ndarray],
    as_of: date,
) -> pl.DataFrame:
    hh, age = members.household, members.age
    has_spouse = household_sum(members.role == SPOUSE, members.starts) > 0
    names = _names(rng, members, has_spouse)
    birth = _birth_dates(age, as_of, rng)
    young = age <= 5
    mun_int = household_ids.str.slice(1, 5).cast(pl.Int64).to_numpy()[hh]
    # Index of each person among its municipality's persons (households are sorted by code).
    mun_change = np.r_[True, mun_int[1:] != mun_int[:-1]]
    first_of_mun = np.maximum.accumulate(np.where(mun_change, np.arange(len(hh)), 0))
    local = np.arange(len(hh)) - first_of_mun
    documents = _document_numbers(mun_int, local)
    frame = pl.DataFrame(
        {
            "hh": hh,
            "member": members.member + 1,
            "role": members.role,
            "age": age,
            "female": members.female,
            "doc": documents,
            "birth_date": birth,
            "years": people.years_of_schooling,
            "read": people.can_read_write,
            "attends": people.attends_school,
            "activity": people.activity,
            "months": people.unemployed_months,
            "contributes": people.contributes_to_pension,
            "pension": people.receives_pension,
            "insured": people.health_insured,
            "need": people.health_need,
            "attended": people.health_need_attended,
            "care": people.care_adequate,
            "nutrition": people.nutrition_adequate,
            "young": young,
            **extra,
        }
    )
    frame = frame.hstack(names)
    return frame.select(
        pl.concat_str(
            pl.lit(household_ids).gather(pl.col("hh")),
            pl.lit("-"),
            pl.col("member").cast(pl.String).str.zfill(2),
        ).alias("person_id"),
        pl.lit(household_ids).gather(pl.col("hh")).alias("household_id"),
        pl.when(pl.col("age") < 7)
        .then(pl.lit("RC"))
        .when(pl.col("age") < 18)
        .then(pl.lit("TI"))
        .otherwise(pl.lit("CC"))
        .alias("document_type"),
        pl.concat_str(pl.lit("9"), pl.col("doc").cast(pl.String).str.zfill(14)).alias(
            "document_number"
        ),
        "first_names",
        "last_names",
        pl.when(pl.col("female")).then(pl.lit("female")).otherwise(pl.lit("male")).alias("sex"),
        pl.col("birth_date").cast(pl.Date),
        _lookup(RELATIONSHIPS, "role").alias("relationship"),
        _lookup(ETHNICITIES, "ethnicity").alias("ethnicity"),
        pl.col("disability"),
        pl.col("victim"),
        pl.col("read").alias("can_read_write"),
        pl.col("years").cast(pl.Int16).alias("years_of_schooling"),
        pl.col("attends").alias("attends_school"),
        _lookup(ACTIVITIES, "activity").alias("activity"),
        pl.when(pl.col("months") >= 0)
        .then(pl.col("months"))
        .cast(pl.Int16)
        .alias("unemployed_months"),
        pl.col("contributes").alias("contributes_to_pension"),
        pl.col("pension").alias("receives_pension"),
        pl.col("insured").alias("health_insured"),
        pl.col("need").alias("health_need_last_30_days"),
        pl.when(pl.col("need")).then(pl.col("attended")).alias("health_need_attended"),
        pl.when(pl.col("young")).then(pl.col("care")).alias("early_childhood_care_adequate"),
        pl.when(pl.col("young"))
        .then(pl.col("nutrition"))
        .alias("early_childhood_nutrition_adequate"),
    )


def iter_registry(
    *,
    households: int,
    seed: int,
    departments: Sequence[str] | None = None,
    as_of: date,
    households_per_municipality: int | None = None,
    municipalities: Sequence[str] | None = None,
    with_targets: bool = False,
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yield ``(households, persons)`` one department at a time (same arguments as
    :func:`generate_registry`), for registries too large to hold at once.

    ``municipalities`` narrows the selection to these DIVIPOLA codes. ``with_targets`` adds the
    drawn deprivation vector to the households as Boolean ``target_<indicator>`` columns (not
    part of the contract: for checks and benchmarks).
    """
    if seed < 0:
        raise ValueError("la semilla debe ser un entero no negativo")
    if households_per_municipality is None and households < 1:
        raise ValueError("el número de hogares debe ser positivo")
    plans = plan_municipalities(
        households=households,
        departments=departments,
        households_per_municipality=households_per_municipality,
        municipalities=municipalities,
    )
    for _, group in groupby(plans, key=lambda p: p.department_code):
        chunk = [p for p in group if p.urban_households + p.rural_households > 0]
        if chunk:
            yield _department_chunk(chunk, seed=seed, as_of=as_of, with_targets=with_targets)


def generate_registry(
    *,
    households: int,
    seed: int,
    departments: Sequence[str] | None = None,
    as_of: date,
    households_per_municipality: int | None = None,
    municipalities: Sequence[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Generate a synthetic registry (households and persons) in the registry contract v1.

    Parameters
    ----------
    households
        Total number of households, spread evenly over the selected municipalities (ignored
        when ``households_per_municipality`` is given).
    seed
        Random seed: the same arguments always give the same frames.
    departments
        DIVIPOLA department codes (``"05"``); all 33 when None.
    as_of
        Reference date: ages are exact at this date.
    households_per_municipality
        Households in every selected municipality (the calibration uses 1,000 or more).
    municipalities
        DIVIPOLA municipality codes narrowing the selection (all of the departments when None).

    Returns
    -------
    tuple of polars.DataFrame
        ``households`` and ``persons`` with the contract's columns: codes as text, dates as
        ``Date``, yes/no as ``Boolean``, ``programs`` as ``;``-joined text (null when none).

    Example
    -------
    >>> from datetime import date
    >>> h, p = generate_registry(households=20, seed=1, departments=["91"], as_of=date(2024, 1, 1))
    >>> h.columns[:3], p["household_id"].n_unique()
    (['household_id', 'municipality_code', 'zone'], 20)
    """
    parts = list(
        iter_registry(
            households=households,
            seed=seed,
            departments=departments,
            as_of=as_of,
            households_per_municipality=households_per_municipality,
            municipalities=municipalities,
        )
    )
    return pl.concat([p[0] for p in parts]), pl.concat([p[1] for p in parts])


def write_registry(
    out: Path,
    *,
    households: int,
    seed: int,
    departments: Sequence[str] | None = None,
    as_of: date,
    households_per_municipality: int | None = None,
    municipalities: Sequence[str] | None = None,
    file_format: FileFormat = "parquet",
) -> WrittenRegistry:
    """Generate a registry department by department and write ``households`` and ``persons``.

    Parquet chunks are written to a temporary folder and streamed into one file per table, so
    memory holds one department at a time. The same arguments write the same bytes.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {t: out / f"{t}.{file_format}" for t in ("households", "persons")}
    counts = {"households": 0, "persons": 0}
    chunks = iter_registry(
        households=households,
        seed=seed,
        departments=departments,
        as_of=as_of,
        households_per_municipality=households_per_municipality,
        municipalities=municipalities,
    )
    if file_format == "csv":
        handles = {t: p.open("wb") for t, p in paths.items()}
        try:
            for i, (hh, persons) in enumerate(chunks):
                for table, frame in (("households", hh), ("persons", persons)):
                    frame.write_csv(handles[table], include_header=i == 0)
                    counts[table] += frame.height
        finally:
            for fh in handles.values():
                fh.close()
    else:
        tmp = Path(tempfile.mkdtemp(prefix=".synth-", dir=out))
        try:
            for i, (hh, persons) in enumerate(chunks):
                for table, frame in (("households", hh), ("persons", persons)):
                    frame.write_parquet(tmp / f"{table}-{i:03d}.parquet")
                    counts[table] += frame.height
            for table, path in paths.items():
                files = sorted(tmp.glob(f"{table}-*.parquet"))
                pl.scan_parquet(files).sink_parquet(path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return WrittenRegistry(
        paths["households"], paths["persons"], counts["households"], counts["persons"]
    )
