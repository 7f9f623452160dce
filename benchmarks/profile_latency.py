"""Benchmark: territorial profile latency on PostgreSQL with 1 M registry households.

Target (issue 5): the profile page (/territorios/<code>/) of a municipality, a department and
the nation answers in <= 1 s at p50 and p95; the insights refresh over 1 M households takes a
few seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oferta_bench \\
        .venv/bin/python benchmarks/profile_latency.py [--households 1000000] [--requests 200]

Steps: create and migrate the database; load the reference data, taxonomies, partner entities
and the demo catalogue; generate a contract-v1 registry with ``registry_import_pg.quick_registry``
and load it through the registry import (COPY); create a succeeded routing run and synthetic
referrals at every funnel stage; time ``insights_refresh``; then request the profile (and the
gaps page) of each territory ``--requests`` times with Django's test Client logged in as a
national analyst. The generation and load hold ``/tmp/oferta-12m.lock`` so they never overlap
a 12 M benchmark; ``--reuse`` skips them when the registry is already loaded.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry_import_pg import AS_OF, _ensure_database, quick_registry

LOCK = "/tmp/oferta-12m.lock"  # noqa: S108 - the lock every 12 M benchmark takes
TERRITORIES = (("municipio 44847 (Uribia)", "44847"), ("departamento 44", "44"), ("nación", "CO"))


@contextmanager
def _memory_lock():
    with open(LOCK, "a") as handle:
        print(f"waiting for {LOCK} …", flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_registry(households: int) -> None:
    from oferta.households.services import registry_import_create, registry_import_run

    persons = int(households * 3.23)  # quick_registry's mean household size
    started = time.perf_counter()
    hh, pp = quick_registry(persons)
    print(
        f"generated {hh.height:,} households, {pp.height:,} persons in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        hh_path, pp_path = Path(tmp) / "hogares.parquet", Path(tmp) / "personas.parquet"
        hh.write_parquet(hh_path)
        pp.write_parquet(pp_path)
        del hh, pp
        registry_import = registry_import_create(
            households_file_name=hh_path.name,
            persons_file_name=pp_path.name,
            as_of=AS_OF,
            actor=None,
        )
        started = time.perf_counter()
        result = registry_import_run(
            registry_import=registry_import, households_path=hh_path, persons_path=pp_path
        )
        print(
            f"registry import: {result.status} in {time.perf_counter() - started:.1f} s "
            f"({result.households_accepted:,} households) {result.error_message}",
            flush=True,
        )


def _make_referrals(count: int, seed: int = 11) -> None:
    """A succeeded run over the registry's departments and ``count`` referrals of distinct
    households to active offers that close an IPM indicator, spread over the funnel stages."""
    import random

    from django.utils import timezone

    from oferta.households.models import Household
    from oferta.offers.models import Service, ServiceStatus
    from oferta.referrals.models import Referral, RoutingRun, RunStatus

    Referral.objects.all().delete()
    RoutingRun.objects.filter(name="benchmark").delete()
    rng = random.Random(seed)
    departments = sorted(
        Household.objects.order_by().values_list("department_code", flat=True).distinct()
    )
    run = RoutingRun.objects.create(
        name="benchmark", scope=departments, status=RunStatus.SUCCEEDED, finished_at=timezone.now()
    )
    offers = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE, ipm_indicators__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    ids = list(
        Household.objects.filter(poor=True)
        .order_by("?")
        .values_list("pk", "municipality_code")[:count]
    )
    now = timezone.now()
    today = timezone.localdate()
    stages = ("proposed", "requested", "accepted", "in-progress", "completed", "rejected")
    rows = []
    for pk, municipality in ids:
        state = rng.choice(stages)
        fields = {}
        if state != "proposed":
            fields["approved_at"] = now - timedelta(days=20)
        if state in ("accepted", "in-progress", "completed"):
            fields["accepted_at"] = now - timedelta(days=15)
        if state in ("in-progress", "completed"):
            fields["enrolled_on"] = today - timedelta(days=rng.randint(1, 10))
        if state == "completed":
            fields["served_on"] = today - timedelta(days=1)
        rows.append(
            Referral(
                household_id=pk,
                offer_id=rng.choice(offers),
                routing_run=run,
                territory_code=municipality,
                state=state,
                **fields,
            )
        )
    Referral.objects.bulk_create(rows, batch_size=5000)
    print(f"referrals: {len(rows):,} over {len(offers)} offers", flush=True)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep a registry already loaded")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oferta_bench")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        print("Set DATABASE_URL=postgres://… (this benchmark measures PostgreSQL).")
        return 2
    _ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
    scratch = tempfile.TemporaryDirectory(prefix="oferta-bench-")
    os.environ["OFERTA_VAR_DIR"] = scratch.name
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from oferta.accounts.models import Role, User
    from oferta.households.models import Household, Person
    from oferta.insights.services import insights_refresh
    from oferta.offers.demo import demo_catalogue_load
    from oferta.offers.partners import partners_ensure
    from oferta.offers.taxonomies import taxonomies_ensure
    from oferta.territories.services import reference_data_load

    settings.DEBUG = False
    print(f"load average before: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    reference_data_load()
    taxonomies_ensure()
    partners_ensure()
    demo_catalogue_load()
    loaded = Household.objects.count()
    if not (args.reuse and loaded >= args.households * 0.99):
        with _memory_lock():
            from oferta.referrals.models import Referral

            Referral.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"TRUNCATE {Person._meta.db_table}, {Household._meta.db_table} CASCADE"
                )
            _load_registry(args.households)
    print(f"households in the database: {Household.objects.count():,}", flush=True)
    _make_referrals(args.referrals)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    timings = []
    for _ in range(2):
        outcome = insights_refresh()
        timings.append(outcome.seconds)
    print(
        f"insights_refresh (all municipalities): {', '.join(f'{t:.2f} s' for t in timings)} "
        f"({outcome.municipalities} municipalities, {outcome.gap_rows} rows)",
        flush=True,
    )
    started = time.perf_counter()
    insights_refresh(municipality_codes=["44847"])
    print(f"insights_refresh (one municipality): {time.perf_counter() - started:.2f} s")

    user, _ = User.objects.get_or_create(
        username="bench-national", defaults={"role": Role.NATIONAL_ANALYST}
    )
    client = Client()
    client.force_login(user)
    results = []
    for label, code in TERRITORIES:
        for page, url in (
            ("perfil", f"/territorios/{code}/"),
            ("brechas", f"/territorios/{code}/brechas/"),
        ):
            requests = args.requests if page == "perfil" else max(args.requests // 4, 20)
            assert client.get(url).status_code == 200, url  # warm-up
            samples = []
            for _ in range(requests):
                t0 = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - t0)
                assert response.status_code == 200
            results.append((label, page, requests, samples))
            p50 = statistics.median(samples) * 1000
            p95 = _percentile(samples, 0.95) * 1000
            print(
                f"{page:8} {label:28} n={requests:4}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
                f"  max {max(samples) * 1000:7.1f} ms",
                flush=True,
            )
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    print(f"date: {date.today().isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
