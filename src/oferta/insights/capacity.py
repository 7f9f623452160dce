"""Institutional-capacity scores uploaded as CSV: validation with row and column errors, and the
all-or-nothing store with its audit event.

File format (UTF-8, comma or semicolon separated, header on the first line)::

    municipality_code,score,source
    44847,35.5,DNP MDM 2022
    05001,88,DNP MDM 2022

``municipality_code`` is the 5-digit DIVIPOLA 2018 code (text, leading zero kept); ``score`` a
number from 0 to 100 (higher = more capacity; "45,5" is read as 45.5); ``source`` is optional.
Spanish headers ``codigo_municipio``, ``puntaje`` and ``fuente`` are accepted too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oferta.accounts.audit import audit_event_record
from oferta.core.identifiers import is_active_user
from oferta.territories.models import Municipality

from .models import CapacityUpload, InstitutionalCapacity

MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_ERRORS_SHOWN = 50
COLUMN_ALIASES = {
    "municipality_code": "municipality_code",
    "codigo_municipio": "municipality_code",
    "cod_mpio": "municipality_code",
    "score": "score",
    "puntaje": "score",
    "source": "source",
    "fuente": "source",
}
REQUIRED = ("municipality_code", "score")


def user_can_upload_capacity(*, user: Any) -> bool:
    """National administrators and analysts (and superusers) upload capacity scores."""
    return is_active_user(user) and bool(user.is_national)


@dataclass(frozen=True, slots=True)
class CapacityRow:
    line: int
    municipality_code: str
    score: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class CapacityProblem:
    file_name: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file_name]
        if self.line is not None:
            where.append(_("fila %(n)s") % {"n": self.line})
        if self.column:
            where.append(_("columna «%(c)s»") % {"c": self.column})
        return f"{', '.join(where)}: {self.message}"


class CapacityFileError(ValueError):
    """The file was refused; ``problems`` lists every error found (nothing was stored)."""

    def __init__(self, problems: list[CapacityProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


def _decode(content: bytes, file_name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CapacityFileError(
            [
                CapacityProblem(
                    file_name,
                    None,
                    None,
                    _("el archivo no está en UTF-8; guárdelo como «CSV UTF-8» e intente de nuevo."),
                )
            ]
        ) from None


def _score(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def capacity_csv_parse(
    *, content: bytes, file_name: str, known_codes: set[str]
) -> list[CapacityRow]:
    """The rows of a capacity CSV, or ``CapacityFileError`` with every problem found."""
    if len(content) > MAX_BYTES:
        raise CapacityFileError(
            [
                CapacityProblem(
                    file_name,
                    None,
                    None,
                    _("el archivo pesa más de %(mb)s MB.") % {"mb": MAX_BYTES // 1_000_000},
                )
            ]
        )
    text = _decode(content, file_name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    problems: list[CapacityProblem] = []

    def problem(line: int | None, column: str | None, message: str) -> None:
        problems.append(CapacityProblem(file_name, line, column, message))

    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise CapacityFileError(
            [CapacityProblem(file_name, 1, None, _("el archivo está vacío: falta el encabezado."))]
        )
    columns: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower()
        canonical = COLUMN_ALIASES.get(name)
        if canonical is None:
            problem(
                1,
                raw.strip(),
                _(
                    "columna desconocida; las columnas son municipality_code, score y source "
                    "(opcional)."
                ),
            )
        elif canonical in columns:
            problem(1, raw.strip(), _("la columna está repetida."))
        else:
            columns[canonical] = position
    for required in REQUIRED:
        if required not in columns:
            problem(1, required, _("falta esta columna obligatoria en el encabezado."))
    if problems:
        raise CapacityFileError(problems)

    rows: list[CapacityRow] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problem(line, None, _("el archivo tiene más de %(n)s filas.") % {"n": MAX_ROWS})
            break
        if len(record) > len(header):
            problem(
                line,
                None,
                _(
                    "la fila tiene %(got)s valores y el encabezado %(want)s columnas (¿decimales "
                    "con coma en un archivo separado por comas?)."
                )
                % {"got": len(record), "want": len(header)},
            )
            continue
        record = record + [""] * (len(header) - len(record))
        code = record[columns["municipality_code"]].strip()
        ok = True
        if not code:
            problem(line, "municipality_code", _("falta el código del municipio."))
            ok = False
        elif not (code.isdigit() and len(code) == 5):
            hint = (
                _(" ¿Perdió el cero inicial? Escriba %(fixed)s.") % {"fixed": code.zfill(5)}
                if code.isdigit() and len(code) == 4
                else ""
            )
            problem(
                line,
                "municipality_code",
                _("«%(code)s» no es un código DIVIPOLA de 5 dígitos.") % {"code": code} + hint,
            )
            ok = False
        elif code not in known_codes:
            problem(
                line,
                "municipality_code",
                _("«%(code)s» no es un municipio de la DIVIPOLA 2018.") % {"code": code},
            )
            ok = False
        elif code in seen:
            problem(
                line,
                "municipality_code",
                _("el municipio %(code)s ya aparece en la fila %(other)s.")
                % {"code": code, "other": seen[code]},
            )
            ok = False
        raw_score = record[columns["score"]].strip()
        score = _score(raw_score) if raw_score else None
        if not raw_score:
            problem(line, "score", _("falta el puntaje."))
            ok = False
        elif score is None:
            problem(line, "score", _("«%(v)s» no es un número.") % {"v": raw_score})
            ok = False
        elif not Decimal(0) <= score <= Decimal(100):
            problem(
                line,
                "score",
                _("el puntaje debe estar entre 0 y 100 (es %(v)s).") % {"v": raw_score},
            )
            ok = False
        source = record[columns["source"]].strip() if "source" in columns else ""
        if len(source) > 255:
            problem(line, "source", _("la fuente tiene más de 255 caracteres."))
            ok = False
        if ok and score is not None:
            seen[code] = line
            rows.append(
                CapacityRow(line, code, score.quantize(Decimal("0.01"), ROUND_HALF_UP), source)
            )
    if not rows and not problems:
        problem(None, None, _("el archivo no tiene filas de datos."))
    if problems:
        raise CapacityFileError(problems)
    return rows


def capacity_upload_store(
    *, content: bytes, file_name: str, source: str, actor: Any
) -> CapacityUpload:
    """Validate and store a capacity CSV: one ``CapacityUpload`` and a score per municipality
    (replacing earlier ones), with its audit event, in one transaction; on any bad row nothing
    is stored and ``CapacityFileError`` lists every problem."""
    file_name = (file_name or "capacidad.csv")[:255]
    known = set(Municipality.objects.values_list("code", flat=True))
    rows = capacity_csv_parse(content=content, file_name=file_name, known_codes=known)
    source = (source or "").strip()
    if not source:
        row_sources = sorted({r.source for r in rows if r.source})
        source = "; ".join(row_sources)
    if not source:
        raise CapacityFileError(
            [
                CapacityProblem(
                    file_name,
                    None,
                    "source",
                    _(
                        "indique la fuente de los puntajes (en el formulario o en la columna "
                        "source)."
                    ),
                )
            ]
        )
    with transaction.atomic():
        codes = [r.municipality_code for r in rows]
        replaced = InstitutionalCapacity.objects.filter(municipality_code__in=codes).count()
        upload = CapacityUpload.objects.create(
            file_name=file_name,
            source=source[:255],
            rows=len(rows),
            uploaded_by=actor if is_active_user(actor) else None,
        )
        InstitutionalCapacity.objects.bulk_create(
            [
                InstitutionalCapacity(
                    municipality_code=r.municipality_code, score=r.score, upload=upload
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["municipality_code"],
            update_fields=["score", "upload"],
            batch_size=1000,
        )
        audit_event_record(
            actor=actor,
            action="institutional_capacity.uploaded",
            object_type="capacity_upload",
            object_id=str(upload.uuid),
            after={
                "file_name": file_name,
                "source": upload.source,
                "rows": len(rows),
                "replaced": replaced,
                "new": len(rows) - replaced,
            },
            message=_("Carga de capacidad institucional: %(n)s municipios") % {"n": len(rows)},
        )
    return upload
