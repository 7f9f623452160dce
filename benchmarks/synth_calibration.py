"""Calibration check of the synthetic registry against DANE's census IPM 2018 (all municipalities).

Generates ``--per-municipality`` households (default 1,000) in each of the 1,122 municipal units,
writes them as Parquet with ``write_registry`` (what ``oferta synth registry`` runs), reads them
back and computes the census-method IPM (``dane-cnpv-2018``, k = 0.33, % of persons) per
municipality with the diagnostics engine's ``diagnose`` (what ``oferta diagnose`` runs). Prints
the mean and median absolute error against the published ``ipm_total`` and the Spearman rank
correlation, and writes a Markdown snippet for ``docs/benchmarks.md``::

    .venv/bin/python benchmarks/synth_calibration.py [--per-municipality 1000] [--seed 2018]
        [--departments 05,68] [--out var/bench/synth] [--markdown var/bench/synth_calibration.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl

from oferta.engine.diagnostics import METHODS, diagnose
from oferta.engine.synth import municipal_targets, write_registry

AS_OF = date(2024, 6, 30)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = pl.Series(a).rank("average").to_numpy()
    rb = pl.Series(b).rank("average").to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = f"Python {platform.python_version()}, Polars {pl.__version__}"
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {versions}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-municipality", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--departments", default=None)
    parser.add_argument("--out", type=Path, default=Path("var/bench/synth"))
    parser.add_argument("--markdown", type=Path, default=Path("var/bench/synth_calibration.md"))
    args = parser.parse_args()
    departments = args.departments.split(",") if args.departments else None

    started = time.perf_counter()
    written = write_registry(
        args.out,
        households=0,
        seed=args.seed,
        departments=departments,
        as_of=AS_OF,
        households_per_municipality=args.per_municipality,
    )
    generate_s = time.perf_counter() - started
    print(
        f"generated {written.households:,} households, {written.persons:,} persons "
        f"in {generate_s:.1f} s ({written.households / generate_s:,.0f} households/s, "
        f"{written.persons / generate_s:,.0f} persons/s)"
    )

    started = time.perf_counter()
    result = diagnose(
        pl.scan_parquet(written.households_path),
        pl.scan_parquet(written.persons_path),
        method=METHODS["dane-cnpv-2018"],
        k=Fraction(33, 100),
        by=["municipality_code"],
        as_of=AS_OF,
    )
    diagnose_s = time.perf_counter() - started
    by_mun = result.aggregates.filter(pl.col("grouping") == "municipality_code").select(
        pl.col("group").alias("municipality_code"), (pl.col("H") * 100).alias("synthetic")
    )
    targets = pl.DataFrame(
        {
            "municipality_code": [t.municipality_code for t in municipal_targets().values()],
            "published": [t.total * 100 for t in municipal_targets().values()],
        }
    )
    joined = by_mun.join(targets, on="municipality_code", how="inner")
    err = (joined["synthetic"] - joined["published"]).abs().to_numpy()
    rho = spearman(joined["synthetic"].to_numpy(), joined["published"].to_numpy())
    figures = {
        "municipalities": joined.height,
        "mae": float(err.mean()),
        "median_ae": float(np.median(err)),
        "p90_ae": float(np.quantile(err, 0.9)),
        "max_ae": float(err.max()),
        "spearman": rho,
        "bias": float((joined["synthetic"] - joined["published"]).mean()),
    }
    print(
        f"municipalities {figures['municipalities']}: MAE {figures['mae']:.2f} pts, "
        f"median AE {figures['median_ae']:.2f}, p90 {figures['p90_ae']:.2f}, "
        f"max {figures['max_ae']:.2f}, bias {figures['bias']:+.2f}, Spearman {rho:.4f}"
    )
    print(f"diagnose {diagnose_s:.1f} s; peak RSS {peak_rss_mb():,.0f} MB")
    command = "python benchmarks/synth_calibration.py " + " ".join(
        f"--{k.replace('_', '-')} {v}"
        for k, v in (("per_municipality", args.per_municipality), ("seed", args.seed))
    )
    if args.departments:
        command += f" --departments {args.departments}"
    rate = written.households / generate_s
    snippet = f"""### Synthetic registry: calibration to the census IPM 2018

Command: `{command}` ({date.today().isoformat()}).
Machine: {machine()}.

| figure | value |
|---|---|
| municipalities | {figures["municipalities"]:,} |
| households / persons | {written.households:,} / {written.persons:,} |
| generation (write Parquet) | {generate_s:.1f} s ({rate:,.0f} households/s) |
| census IPM (`diagnose`, dane-cnpv-2018, k = 0.33) | {diagnose_s:.1f} s |
| mean absolute error | {figures["mae"]:.2f} points |
| median absolute error (target ≤ 3) | {figures["median_ae"]:.2f} points |
| 90th percentile / max absolute error | {figures["p90_ae"]:.2f} / {figures["max_ae"]:.2f} points |
| mean error (bias) | {figures["bias"]:+.2f} points |
| Spearman rank correlation (target ≥ 0.95) | {rho:.4f} |
| peak memory | {peak_rss_mb():,.0f} MB |
"""
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(snippet, encoding="utf-8")
    print(f"markdown: {args.markdown}")


if __name__ == "__main__":
    main()
