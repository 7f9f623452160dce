"""Writes of the household registry: run a registry import end to end.

An import reads and validates both files with the engine's contract, writes every rejected
row to ``var/imports/<uuid>/rejects.csv``, computes each household's IPM and monetary poverty
with the engine, and loads the accepted rows with :mod:`oferta.households.loading` (all or
nothing). Status, progress and counts live on the :class:`RegistryImport` row; one audit event
``registry.imported`` (counts only, never personal data) is written in the transaction that
changes the households.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oferta.accounts.audit import audit_event_record
from oferta.engine.contracts.errors import ContractError
from oferta.engine.contracts.validation import validate_registry_files, write_rejects
from oferta.engine.diagnostics.indicators import household_deprivations
from oferta.engine.diagnostics.methods import METHODS, parse_k
from oferta.engine.diagnostics.monetary import load_poverty_lines, monetary_poverty, quadrant
from oferta.engine.diagnostics.scoring import score_households

from .loading import Progress, registry_frames_load
from .models import ImportStatus, RegistryImport

logger = logging.getLogger(__name__)

DEFAULT_METHOD = "dane-cnpv-2018"
DEFAULT_K = "0.33"
AUDIT_OBJECT_TYPE = "registry_import"


class RegistryImportFailed(Exception):
    """The import could not run; ``message`` is Spanish and free of personal data."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def imports_dir() -> Path:
    """Where imports keep their files (rejects, uploads): ``<VAR_DIR>/imports``."""
    return Path(settings.VAR_DIR) / "imports"


def registry_import_dir(registry_import: RegistryImport) -> Path:
    return imports_dir() / str(registry_import.uuid)


def registry_import_create(
    *,
    households_file_name: str,
    persons_file_name: str,
    as_of: date,
    method_code: str = DEFAULT_METHOD,
    k: str = DEFAULT_K,
    strict: bool = False,
    actor: Any | None,
) -> RegistryImport:
    """A queued import (checks the method and k first, so a bad choice fails before upload)."""
    _method_and_k(method_code, k)
    return RegistryImport.objects.create(
        households_file_name=Path(households_file_name).name[:255],
        persons_file_name=Path(persons_file_name).name[:255],
        as_of=as_of,
        method_code=method_code,
        k=k,
        strict=strict,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        stage=gettext_noop("En cola"),
    )


def _method_and_k(method_code: str, k: str) -> tuple[Any, Any]:
    if method_code not in METHODS:
        raise RegistryImportFailed(
            _("Método IPM desconocido: «%(method)s». Use uno de: %(methods)s.")
            % {"method": method_code, "methods": ", ".join(sorted(METHODS))}
        )
    try:
        return METHODS[method_code], parse_k(k)
    except ValueError as exc:
        raise RegistryImportFailed(str(exc)) from exc


# --------------------------------------------------------------------------- progress


class ImportProgressRecorder:
    """A progress callback that stores percent and stage on the import row, visibly.

    Outside a transaction the row is updated directly. Inside the loading transaction on
    PostgreSQL the update goes through a second, autocommit connection, so that the status
    page sees progress before the commit; SQLite allows one writer only, so there the update
    joins the transaction (the page then sees the merge's progress when it commits).
    """

    def __init__(self, registry_import: RegistryImport, *, also: Progress | None = None) -> None:
        self.pk = registry_import.pk
        self.also = also
        self.last: tuple[int, str] | None = None
        self._side: Any = None

    def __call__(self, percent: int, stage: str) -> None:
        percent = max(0, min(100, int(percent)))
        if self.also is not None:
            self.also(percent, stage)
        if self.last == (percent, stage):
            return
        self.last = (percent, stage)
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            self._side_update(percent, stage)
        else:
            RegistryImport.objects.filter(pk=self.pk).update(progress=percent, stage=stage[:120])

    def _side_update(self, percent: int, stage: str) -> None:
        try:
            if self._side is None:
                self._side = connections.create_connection("default")
                with self._side.cursor() as cursor:
                    # Never wait on a row the loading transaction holds.
                    cursor.execute("SET lock_timeout = '1s'")
            table = connection.ops.quote_name(RegistryImport._meta.db_table)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s, stage = %s WHERE id = %s",  # noqa: S608
                    [percent, stage[:120], self.pk],
                )
        except Exception:  # progress is best effort; the import must not fail for it
            logger.warning("registry import %s: progress not recorded", self.pk)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# --------------------------------------------------------------------------- diagnostics


def _lines_year(lines: pl.DataFrame, as_of: date) -> int:
    national = lines.filter(pl.col("department_code") == "CO")["year"]
    earlier = national.filter(national <= as_of.year)
    return int(earlier.max() if earlier.len() else national.max())  # type: ignore[arg-type]


def households_diagnose(
    *, households: pl.DataFrame, persons: pl.DataFrame, method_code: str, k: str, as_of: date
) -> pl.DataFrame:
    """``households`` plus the engine's diagnostics: ``deprived_<code>``, ``score_units``,
    ``score`` (exact decimal text), ``poor``, ``income_per_capita``, ``monetary_status`` and
    ``quadrant`` (monetary poverty against the lines of the latest year up to ``as_of``)."""
    method, k_fraction = _method_and_k(method_code, k)
    hh_lf, pp_lf = households.lazy(), persons.lazy()
    scored = score_households(
        household_deprivations(hh_lf, pp_lf, method=method, as_of=as_of),
        method=method,
        k=k_fraction,
    )
    lines = load_poverty_lines()
    counts = pp_lf.group_by("household_id").agg(pl.len().alias("persons"))
    money = monetary_poverty(hh_lf, counts, lines=lines, year=_lines_year(lines, as_of))
    denominator = method.unit_denominator
    diagnosed = (
        scored.join(
            money.select("household_id", "income_per_capita", "monetary_status"),
            on="household_id",
            how="left",
        )
        .pipe(quadrant)
        .with_columns(
            # Exact for DANE's methods (hundredths); 4 places is what the model stores.
            (pl.col("score_units").cast(pl.Float64) / denominator)
            .round(4)
            .cast(pl.String)
            .alias("score")
        )
        .drop("persons", strict=False)
    )
    return households.lazy().join(diagnosed, on="household_id", how="left").collect()


# --------------------------------------------------------------------------- the import


def _fail(registry_import: RegistryImport, message: str) -> RegistryImport:
    registry_import.status = ImportStatus.FAILED
    registry_import.error_message = message
    registry_import.finished_at = timezone.now()
    registry_import.save(update_fields=["status", "error_message", "finished_at"])
    return registry_import


def _record_counts(registry_import: RegistryImport, counts: Any) -> None:
    households, persons = counts["households"], counts["persons"]
    registry_import.households_read = households.read
    registry_import.households_accepted = households.accepted
    registry_import.households_rejected = households.rejected
    registry_import.persons_read = persons.read
    registry_import.persons_accepted = persons.accepted
    registry_import.persons_rejected = persons.rejected


COUNT_FIELDS = (
    "households_read",
    "households_accepted",
    "households_rejected",
    "persons_read",
    "persons_accepted",
    "persons_rejected",
)


def _known_municipalities() -> frozenset[str] | None:
    from oferta.territories.models import Municipality

    codes = frozenset(Municipality.objects.values_list("code", flat=True))
    # Without reference data (a bare database) only the code's format is checked.
    return codes or None


def registry_import_run(
    *,
    registry_import: RegistryImport,
    households_path: Path,
    persons_path: Path,
    as_of: date | None = None,
    method_code: str | None = None,
    k: str | None = None,
    strict: bool | None = None,
    actor: Any | None = None,
    progress: Progress | None = None,
) -> RegistryImport:
    """Run ``registry_import``: validate, diagnose and load; returns the finished import.

    Arguments left as None come from the import row. Never raises for bad input: the import
    ends ``failed`` with a Spanish message naming the file and the problem (never a value).
    With ``strict`` and any bad row nothing is loaded (status ``failed``; the rejects file
    lists every problem). ``progress(percent, stage)`` is called along the way.
    """
    as_of = as_of or registry_import.as_of
    method_code = method_code or registry_import.method_code
    k = k or registry_import.k
    strict = registry_import.strict if strict is None else strict
    actor = actor if actor is not None else registry_import.actor
    recorder = ImportProgressRecorder(registry_import, also=progress)

    registry_import.status = ImportStatus.RUNNING
    registry_import.started_at = timezone.now()
    registry_import.save(update_fields=["status", "started_at"])
    try:
        return _run(
            registry_import=registry_import,
            households_path=Path(households_path),
            persons_path=Path(persons_path),
            as_of=as_of,
            method_code=method_code,
            k=k,
            strict=strict,
            actor=actor,
            progress=recorder,
        )
    except RegistryImportFailed as exc:
        return _fail(registry_import, exc.message)
    except ContractError as exc:
        return _fail(registry_import, exc.message)
    except Exception as exc:
        # The exception text may quote file contents: log its type only.
        logger.error("registry import %s failed: %s", registry_import.uuid, type(exc).__name__)
        return _fail(
            registry_import,
            "Error interno al importar el registro; no se guardó nada. "
            f"Referencia: {registry_import.uuid} ({type(exc).__name__}).",
        )
    finally:
        recorder.close()


def _run(
    *,
    registry_import: RegistryImport,
    households_path: Path,
    persons_path: Path,
    as_of: date,
    method_code: str,
    k: str,
    strict: bool,
    actor: Any,
    progress: ImportProgressRecorder,
) -> RegistryImport:
    _method_and_k(method_code, k)
    progress(2, gettext_noop("Leyendo y validando hogares y personas"))
    validation = validate_registry_files(
        households_path,
        persons_path,
        as_of=as_of,
        strict=strict,
        households_name=registry_import.households_file_name or households_path.name,
        persons_name=registry_import.persons_file_name or persons_path.name,
        known_municipalities=_known_municipalities(),
    )
    progress(30, gettext_noop("Escribiendo el archivo de rechazos"))
    rejects_path = registry_import_dir(registry_import) / "rejects.csv"
    rejects_path.parent.mkdir(parents=True, exist_ok=True)
    write_rejects(validation.rejects, rejects_path)
    registry_import.rejects_path = str(rejects_path)
    _record_counts(registry_import, validation.counts)
    registry_import.save(update_fields=["rejects_path", *COUNT_FIELDS])
    if validation.strict_failed:
        return _fail(
            registry_import,
            gettext_noop(
                "Modo estricto: el registro tiene filas con errores y se rechazó completo; "
                "no se cargó nada. Revise el archivo de rechazos."
            ),
        )
    if validation.households.height == 0:
        return _fail(
            registry_import, gettext_noop("No hay hogares válidos para cargar; no se cargó nada.")
        )

    progress(35, gettext_noop("Calculando el IPM y la pobreza monetaria"))
    diagnosed = households_diagnose(
        households=validation.households,
        persons=validation.persons,
        method_code=method_code,
        k=k,
        as_of=as_of,
    )
    progress(45, gettext_noop("Preparando la carga en la base de datos"))

    def finalize(*, removed: int, kept: int, municipality_codes: list[str]) -> None:
        # Runs inside the loading transaction: the households and this record change together.
        registry_import.households_removed = removed
        registry_import.households_kept = kept
        registry_import.municipality_codes = municipality_codes
        registry_import.status = ImportStatus.SUCCEEDED
        registry_import.progress = 100
        registry_import.stage = gettext_noop("Terminada")
        registry_import.finished_at = timezone.now()
        registry_import.save()
        audit_event_record(
            actor=actor,
            action="registry.imported",
            object_type=AUDIT_OBJECT_TYPE,
            object_id=str(registry_import.uuid),
            after={
                "method": method_code,
                "k": k,
                "as_of": as_of,
                "strict": strict,
                **{field: getattr(registry_import, field) for field in COUNT_FIELDS},
                "households_removed": removed,
                "households_kept_out_of_registry": kept,
                "municipalities": len(municipality_codes),
            },
            message=(
                f"{registry_import.households_accepted} hogares y "
                f"{registry_import.persons_accepted} personas cargados; "
                f"{registry_import.households_rejected + registry_import.persons_rejected} "
                "filas rechazadas"
            ),
        )

    registry_frames_load(
        households=diagnosed,
        persons=validation.persons,
        as_of=as_of,
        method_code=method_code,
        k=k,
        diagnosed_at=timezone.now(),
        registry_import_id=registry_import.pk,
        progress=progress,
        finalize=finalize,
    )
    if progress.also is not None:
        progress.also(100, gettext_noop("Terminada"))
    registry_import.refresh_from_db()
    return registry_import
