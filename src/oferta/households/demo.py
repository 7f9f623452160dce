"""Demo registry: synthetic households of the demo departments, imported like a real extract."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from .models import RegistryImport
from .services import DEFAULT_K, DEFAULT_METHOD, registry_import_create, registry_import_run

DEMO_DEPARTMENTS = ("44", "27")  # La Guajira, Chocó
DEMO_HOUSEHOLDS = 3_000
DEMO_SEED = 2024
DEMO_AS_OF = date(2025, 6, 30)


def demo_registry_load(
    *,
    households: int = DEMO_HOUSEHOLDS,
    departments: tuple[str, ...] = DEMO_DEPARTMENTS,
    seed: int = DEMO_SEED,
    as_of: date = DEMO_AS_OF,
    actor: Any | None = None,
) -> RegistryImport:
    """Generate a synthetic registry (engine's calibrated generator) and import it.

    Deterministic for a seed, so running it again updates the same households in place
    (same ``registry_id``, same ``uuid``). The names are synthetic; the files are named
    ``*-demo-sintetico.parquet`` so the import reads as demo data in the history.
    """
    from oferta.engine.synth import generate_registry

    households_frame, persons_frame = generate_registry(
        households=households, seed=seed, departments=list(departments), as_of=as_of
    )
    with tempfile.TemporaryDirectory() as tmp:
        households_path = Path(tmp) / "hogares-demo-sintetico.parquet"
        persons_path = Path(tmp) / "personas-demo-sintetico.parquet"
        households_frame.write_parquet(households_path)
        persons_frame.write_parquet(persons_path)
        registry_import = registry_import_create(
            households_file_name=households_path.name,
            persons_file_name=persons_path.name,
            as_of=as_of,
            method_code=DEFAULT_METHOD,
            k=DEFAULT_K,
            actor=actor,
        )
        return registry_import_run(
            registry_import=registry_import,
            households_path=households_path,
            persons_path=persons_path,
        )
