"""The partner CSV: download the entity's referrals (minimised fields), fill, upload back.

Download: the columns of :data:`oferta.referrals.partner.partner_referral_fields` followed by
the columns to fill (:data:`FILL_COLUMNS`). Upload (:func:`referrals_partner_csv_apply`, a
service): every row is checked and tried inside one transaction; if any row is bad, the error
names the row (spreadsheet numbering, header = row 1) and the column, and nothing changes.
All good → every change is applied, each through the lifecycle services (one audit event and
one timeline entry per change).

Row rules: ``estado`` empty or equal to the current state → no state change (a completed
referral may still get its ``fecha_atencion``). A partner may write ``completada`` (or another
state after acceptance) on a referral it has not accepted yet: the acceptance is recorded first,
as its own audited step.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed

from .access import as_uuid, referrals_visible_to
from .models import Referral
from .partner import partner_referral_fields, partner_referral_rows
from .services import (
    TARGET_ACTION,
    illegal_transition_error,
    referral_act,
    referral_record_service,
)
from .states import ClosureReason, ReferralState, transition_allowed

ID_COLUMN = "remision"
FILL_COLUMNS: tuple[str, ...] = (
    "estado",
    "motivo",
    "fecha_inscripcion",
    "fecha_atencion",
    "observacion",
)
CSV_COLUMNS: tuple[str, ...] = (*partner_referral_fields, *FILL_COLUMNS)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Service error fields → the CSV column to name.
_FIELD_COLUMN = {
    "state": "estado",
    "reason": "motivo",
    "note": "observacion",
    "enrolled_on": "fecha_inscripcion",
    "served_on": "fecha_atencion",
    "__all__": "estado",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", " ")


def _lookup(choices: Any) -> dict[str, str]:
    """Codes and Spanish labels (accent- and case-insensitive) → code."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[_fold(value)] = value
        found[_fold(str(label))] = value
    return found


_STATES = _lookup(ReferralState)
_STATES.update({"completada": ReferralState.COMPLETED, "vinculada": ReferralState.COMPLETED})
_REASONS = _lookup(ClosureReason)


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ is a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def partner_csv_text(*, referrals: list[Referral]) -> str:
    """The CSV (``;``-separated, as spreadsheets in es-CO expect) of these referrals' minimised
    rows with empty columns to fill. UTF-8 with BOM so spreadsheets read the accents."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in partner_referral_rows(referrals):
        writer.writerow([_safe_cell(row[key]) for key in partner_referral_fields] + [""] * 5)
    return out.getvalue()


@dataclass(frozen=True)
class CsvOutcome:
    rows: int
    changed: int
    unchanged: int


def _fail(errors: list[str]) -> ValidationFailed:
    return ValidationFailed({"archivo": errors})


def _where(row: int, column: str) -> str:
    return _("Fila %(row)s, columna «%(column)s»") % {"row": row, "column": column}


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _read(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    if len(content) > MAX_BYTES:
        raise _fail([_("El archivo supera 5 MB.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail([_("El archivo debe estar en UTF-8 (guárdelo como «CSV UTF-8»).")]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    missing = [c for c in (ID_COLUMN, *FILL_COLUMNS) if c not in header]
    if missing:
        raise _fail([_("Faltan columnas en el encabezado: %(c)s.") % {"c": ", ".join(missing)}])
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
        if len(rows) > MAX_ROWS:
            raise _fail([_("El archivo tiene más de %(n)s filas.") % {"n": MAX_ROWS}])
    return header, rows


@dataclass
class _Row:
    number: int
    referral: Referral
    target: str | None
    reason: str
    enrolled_on: date | None
    served_on: date | None
    note: str


def _parse_rows(
    rows: list[dict[str, str]], visible: dict[str, Referral]
) -> tuple[list[_Row], list[str]]:
    parsed: list[_Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        problems: list[str] = []
        key = row.get(ID_COLUMN, "")
        pk = as_uuid(key)
        referral = visible.get(str(pk)) if pk else None
        if referral is None:
            problems.append(
                f"{_where(number, ID_COLUMN)}: "
                + _("la remisión no existe o no tiene acceso a ella.")
            )
        elif str(pk) in seen:
            problems.append(
                f"{_where(number, ID_COLUMN)}: "
                + _("la remisión ya aparece en la fila %(n)s.") % {"n": seen[str(pk)]}
            )
        else:
            seen[str(pk)] = number
        target = None
        if row.get("estado"):
            target = _STATES.get(_fold(row["estado"]))
            if target is None:
                problems.append(
                    f"{_where(number, 'estado')}: "
                    + _("estado desconocido «%(v)s»; use uno de: %(ok)s.")
                    % {"v": row["estado"], "ok": ", ".join(ReferralState.values)}
                )
        reason = ""
        if row.get("motivo"):
            reason = _REASONS.get(_fold(row["motivo"]), "")
            if not reason:
                problems.append(
                    f"{_where(number, 'motivo')}: "
                    + _("motivo desconocido «%(v)s»; use uno de: %(ok)s.")
                    % {"v": row["motivo"], "ok": ", ".join(ClosureReason.values)}
                )
        dates: dict[str, date | None] = {}
        for column in ("fecha_inscripcion", "fecha_atencion"):
            dates[column] = None
            if row.get(column):
                try:
                    dates[column] = _parse_date(row[column])
                except ValueError:
                    problems.append(
                        f"{_where(number, column)}: "
                        + _("fecha inválida «%(v)s»; use AAAA-MM-DD.") % {"v": row[column]}
                    )
        if problems:
            errors.extend(problems)
            continue
        assert referral is not None
        parsed.append(
            _Row(
                number=number,
                referral=referral,
                target=target,
                reason=reason,
                enrolled_on=dates["fecha_inscripcion"],
                served_on=dates["fecha_atencion"],
                note=row.get("observacion", ""),
            )
        )
    return parsed, errors


def _steps(row: _Row) -> list[str]:
    """The states to move through for this row; [] when the state does not change."""
    current = row.referral.state
    if row.target is None or row.target == current:
        return []
    if transition_allowed(current, row.target):
        return [row.target]
    if (
        current in (ReferralState.REQUESTED, ReferralState.RECEIVED)
        and row.target != ReferralState.ACCEPTED
        and transition_allowed(ReferralState.ACCEPTED, row.target)
    ):
        return [ReferralState.ACCEPTED, row.target]
    raise illegal_transition_error(current, row.target)


def _apply_row(*, actor: Any, row: _Row) -> bool:
    steps = _steps(row)  # raises for a move the table does not allow
    if not steps:
        if row.served_on and row.referral.state == ReferralState.COMPLETED:
            if row.referral.served_on == row.served_on:
                return False
            referral_record_service(
                referral=row.referral, actor=actor, served_on=row.served_on, note=row.note
            )
            return True
        if row.enrolled_on or row.served_on or row.reason:
            raise ValidationFailed(
                {"state": [_("indique el nuevo estado para registrar estos datos.")]}
            )
        return False
    for step in steps:
        referral_act(
            referral=row.referral,
            actor=actor,
            action=TARGET_ACTION[step],
            reason=row.reason,
            note=row.note if step == steps[-1] else "",
            enrolled_on=row.enrolled_on,
            served_on=row.served_on,
        )
    return True


def referrals_partner_csv_apply(*, actor: Any, content: bytes) -> CsvOutcome:
    """Apply a filled partner CSV: all rows or none (see the module docstring).

    Raises ValidationFailed with ``{"archivo": [messages]}``, each naming row and column.
    """
    _, rows = _read(content)
    if not rows:
        raise _fail([_("El archivo no tiene filas.")])
    keys = {str(as_uuid(r.get(ID_COLUMN, ""))) for r in rows if as_uuid(r.get(ID_COLUMN, ""))}
    with transaction.atomic():
        visible = {
            str(r.uuid): r
            for r in referrals_visible_to(user=actor)
            .filter(uuid__in=keys)
            .select_related("offer", "household")
            .select_for_update(of=("self",))
        }
        parsed, errors = _parse_rows(rows, visible)
        if errors:
            raise _fail(errors)
        changed = 0
        for row in parsed:
            try:
                # A savepoint per row, so every bad row is reported, then all is rolled back.
                with transaction.atomic():
                    changed += _apply_row(actor=actor, row=row)
            except ValidationFailed as exc:
                for field_name, messages in exc.errors.items():
                    column = _FIELD_COLUMN.get(field_name, "estado")
                    errors.extend(f"{_where(row.number, column)}: {m}" for m in messages)
            except (PermissionDenied, ObjectNotFound) as exc:
                errors.append(f"{_where(row.number, 'estado')}: {exc}")
        if errors:
            raise _fail(errors)
    return CsvOutcome(rows=len(parsed), changed=changed, unchanged=len(parsed) - changed)
