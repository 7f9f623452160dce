"""Benchmark (issue 3): `oferta diagnose` end to end on a national-size synthetic registry.

1. Generates the registry with the project's synthetic generator
   (:func:`oferta.engine.synth.write_registry`, what ``oferta synth registry`` runs): by default
   12 M households (about 38 M persons) as Parquet, unless ``--data`` already holds one of that
   size and seed (the generation is not timed as part of the diagnosis).
2. Runs ``oferta diagnose`` on the files (read -> validation -> indicators -> scores -> monetary
   poverty -> municipal aggregates -> output files) as a child process, ``--runs`` times; for each
   run: wall time, peak resident memory of the child (``os.wait4``), the stage timings the command
   writes in ``summary.json`` and the 1-minute load average before the run.
3. On a sample (default 200k households, same seed, CSV: pandas has no Parquet reader here),
   times ``benchmarks/pandas_reference.py`` (straightforward pandas, same census IPM, no
   validation) and ``oferta diagnose`` on the same files, checks that both give the same national
   H, A and M0, and reports the ratio.

Usage::

    .venv/bin/python benchmarks/diagnose_national.py [--households 12000000] [--runs 2] \\
        [--data /tmp/oferta-diagnose-national] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

AS_OF = "2024-06-30"
HERE = Path(__file__).resolve().parent
OFERTA = Path(sys.executable).with_name("oferta")


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "polars_threads": pl.thread_pool_size(),
        "kernel": platform.release(),
    }


def ensure_registry(folder: Path, households: int, seed: int, file_format: str) -> dict[str, Any]:
    """Generate the registry unless ``folder`` holds one made with the same arguments."""
    from oferta.engine.synth import write_registry

    stamp = folder / "registry.json"
    wanted = {"households": households, "seed": seed, "format": file_format, "as_of": AS_OF}
    if stamp.exists():
        done = json.loads(stamp.read_text())
        if {k: done.get(k) for k in wanted} == wanted:
            return {**done, "reused": True}
    started = time.perf_counter()
    written = write_registry(
        folder,
        households=households,
        seed=seed,
        as_of=date.fromisoformat(AS_OF),
        file_format=file_format,  # type: ignore[arg-type]
    )
    info = {
        **wanted,
        "persons": written.persons,
        "generated_households": written.households,
        "generation_seconds": round(time.perf_counter() - started, 1),
        "bytes": {
            "households": written.households_path.stat().st_size,
            "persons": written.persons_path.stat().st_size,
        },
    }
    stamp.write_text(json.dumps(info, indent=2))
    return {**info, "reused": False}


def timed_child(command: list[str]) -> dict[str, Any]:
    """Run ``command``; return wall seconds, the child's peak RSS and the load before it."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    # wait4 gives this child's own resource usage (ru_maxrss in KiB on Linux).
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    stdout = child.stdout.read().decode() if child.stdout else ""
    stderr = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}):\n{stderr}")
    return {
        "wall_seconds": round(wall, 2),
        "peak_rss_gib": round(usage.ru_maxrss / 2**20, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "load_1min_before": round(load, 2),
        "stdout": stdout,
    }


def diagnose_run(folder: Path, out: Path, method: str, file_format: str) -> dict[str, Any]:
    command = [
        str(OFERTA),
        "diagnose",
        "--households",
        str(folder / f"households.{file_format}"),
        "--persons",
        str(folder / f"persons.{file_format}"),
        "--method",
        method,
        "--as-of",
        AS_OF,
        "--by",
        "municipality_code",
        "--out",
        str(out),
    ]
    result = timed_child(command)
    summary = json.loads((out / "summary.json").read_text())
    result.pop("stdout")
    return {
        **result,
        "stages_seconds": summary["timings_seconds"],
        "national": summary["national"],
        "counts": summary["validation"]["counts"],
        "command": " ".join(command),
    }


def pandas_run(folder: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        str(HERE / "pandas_reference.py"),
        "--households",
        str(folder / "households.csv"),
        "--persons",
        str(folder / "persons.csv"),
        "--as-of",
        AS_OF,
    ]
    result = timed_child(command)
    report = json.loads(result.pop("stdout"))
    return {**result, **report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=12_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--method", default="dane-cnpv-2018")
    parser.add_argument("--sample", type=int, default=200_000, help="households for pandas")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("/tmp/oferta-diagnose-national"),  # noqa: S108 (large, regenerable files)
        help="where the registries are generated (and reused)",
    )
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    report: dict[str, Any] = {"machine": machine()}
    national = args.data / f"national-{args.households}-{args.seed}"
    report["registry"] = ensure_registry(national, args.households, args.seed, "parquet")
    print(json.dumps(report, indent=2), flush=True)

    runs = []
    for i in range(args.runs):
        runs.append(diagnose_run(national, args.data / "out-national", args.method, "parquet"))
        print(f"run {i + 1}: {json.dumps(runs[-1])}", flush=True)
    report["diagnose"] = runs

    if not args.skip_pandas:
        sample = args.data / f"sample-{args.sample}-{args.seed}"
        report["sample_registry"] = ensure_registry(sample, args.sample, args.seed, "csv")
        ours, theirs = [], []
        for _ in range(args.runs):
            theirs.append(pandas_run(sample))
            ours.append(diagnose_run(sample, args.data / "out-sample", args.method, "csv"))
        same = all(
            abs(o["national"][m] - t["national"][m]) < 1e-12
            for o, t in zip(ours, theirs, strict=True)
            for m in ("H", "A", "M0")
        )
        best_ours = min(o["stages_seconds"]["total"] for o in ours)
        best_theirs = min(t["seconds"]["total"] for t in theirs)
        # Without reading and validation: indicators, scores, aggregates (pandas: "compute").
        core = ("indicadores, puntajes y pobreza monetaria", "agregados Alkire-Foster")
        best_ours_core = min(sum(o["stages_seconds"][c] for c in core) for o in ours)
        best_theirs_core = min(t["seconds"]["compute"] for t in theirs)
        report["pandas_comparison"] = {
            "oferta": ours,
            "pandas": theirs,
            "same_national_H_A_M0": same,
            "best_oferta_in_process_seconds": best_ours,
            "best_pandas_in_process_seconds": round(best_theirs, 2),
            "pandas_over_oferta": round(best_theirs / best_ours, 2),
            "best_oferta_core_seconds": round(best_ours_core, 3),
            "best_pandas_compute_seconds": round(best_theirs_core, 3),
            "pandas_over_oferta_core": round(best_theirs_core / best_ours_core, 2),
            "best_wall_oferta": min(o["wall_seconds"] for o in ours),
            "best_wall_pandas": min(t["wall_seconds"] for t in theirs),
        }
        print(json.dumps(report["pandas_comparison"], indent=2), flush=True)

    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    best = min(runs, key=lambda r: r["wall_seconds"])
    print(
        f"\n12 M check: best wall {best['wall_seconds']} s (limit 60), "
        f"max peak RSS {max(r['peak_rss_gib'] for r in runs)} GiB (limit 8)"
    )


if __name__ == "__main__":
    main()
