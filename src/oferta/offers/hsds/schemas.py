"""Validation of HSDS 3.0 objects against the vendored official schemas (plus oferta's profile).

The per-object schemas refer to each other by file name, so they are all loaded into one
``referencing`` registry. They declare no ``$schema``; the HSDS OpenAPI file sets the dialect to
JSON Schema Draft 2020-12, which is used here with format checking (uuid, email, uri, date,
date-time). Messages are in Spanish and name the object, its id and the field.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .profile import EXTENSION_KEY, EXTENSION_SCHEMAS

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
NOT_SCHEMAS = {"openapi.json"}
NO_ID = gettext_lazy("(sin id)")

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+\-]\d{2}:\d{2})$")

format_checker = FormatChecker()


@format_checker.checks("uri")
def _is_uri(instance: object) -> bool:
    # jsonschema checks "uri" only with an optional package; an absolute URI needs a scheme.
    return not isinstance(instance, str) or bool(_URI.match(instance))


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _RFC3339.match(instance):
        return False
    datetime.fromisoformat(instance.replace("z", "Z"))
    return True


@dataclass(frozen=True)
class HsdsIssue:
    """One problem in an HSDS object: which file, object type, object id and field."""

    message: str
    kind: str = ""
    object_id: str = ""
    field: str = ""
    file: str = ""

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:")
        if self.kind:
            parts.append(f"{self.kind} '{self.object_id or str(NO_ID)}'")
        if self.field:
            parts.append(_("campo '%(field)s':") % {"field": self.field})
        elif self.kind:
            parts[-1] += ":"
        parts.append(self.message)
        return " ".join(parts)

    def in_file(self, file: str) -> HsdsIssue:
        return HsdsIssue(self.message, self.kind, self.object_id, self.field, file)


def schema_kinds() -> list[str]:
    """The HSDS object types with a schema (file name without .json)."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.json") if p.name not in NOT_SCHEMAS)


@cache
def _official_contents() -> dict[str, dict[str, Any]]:
    return {
        f"{kind}.json": json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
        for kind in schema_kinds()
    }


def _profile_contents() -> dict[str, dict[str, Any]]:
    contents = copy.deepcopy(_official_contents())
    for kind, extension in EXTENSION_SCHEMAS.items():
        contents[f"{kind}.json"]["properties"][EXTENSION_KEY] = extension
    return contents


@cache
def registry(*, profile: bool = True) -> Registry:
    """All schemas in one registry, by file name; with ``profile`` they also check ``x_oferta``."""
    contents = _profile_contents() if profile else _official_contents()
    return Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in contents.items()
    )


@cache
def _validator(kind: str, profile: bool) -> Draft202012Validator:
    if kind not in schema_kinds():
        raise ValueError(f"unknown HSDS object type: {kind}")
    return Draft202012Validator(
        {"$ref": f"{kind}.json"}, registry=registry(profile=profile), format_checker=format_checker
    )


def schema_of(kind: str, *, profile: bool = False) -> dict[str, Any]:
    """The schema of one object type (official, or with the profile extension)."""
    contents = _profile_contents() if profile else _official_contents()
    return contents[f"{kind}.json"]


def validate(kind: str, obj: Any, *, profile: bool = True) -> list[HsdsIssue]:
    """Validate one HSDS object; an empty list means valid.

    With ``profile`` (the default) the ``x_oferta`` extension objects are checked too; with
    ``profile=False`` only the official HSDS 3.0 schemas apply.

    Example
    -------
    >>> validate("service", {"id": "x", "name": "A", "status": "active"})[0].field
    'id'
    """
    object_id = obj.get("id") if isinstance(obj, dict) else None
    object_id = object_id if isinstance(object_id, str) else str(NO_ID)
    errors = sorted(
        _validator(kind, profile).iter_errors(obj),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    return [issue for error in errors for issue in _issues(kind, object_id, error)]


def field_path(path) -> str:
    """``['phones', 0, 'number']`` → ``phones[0].number``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def show(value: Any) -> str:
    """A value as it appears in an error message ('abierto', 12, null)."""
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "..."
        return f"'{shown}'"
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 80 else shown[:77] + "..."


_TYPE_NAMES = {
    "string": "texto",
    "number": "número",
    "integer": "entero",
    "boolean": "booleano",
    "array": "lista",
    "object": "objeto",
    "null": "nulo",
}


def _issues(kind: str, object_id: str, error: ValidationError) -> list[HsdsIssue]:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return [
            HsdsIssue(
                message=_("falta el campo obligatorio"),
                kind=kind,
                object_id=object_id,
                field=field_path([*path, name]),
            )
            for name in missing
        ]
    return [_issue(kind, object_id, error)]


def _issue(kind: str, object_id: str, error: ValidationError) -> HsdsIssue:
    path = list(error.absolute_path)
    keyword = error.validator
    value = error.instance
    if keyword == "enum":
        field = field_path(path)
        options = ", ".join(str(o) for o in error.validator_value)
        message = _("%(value)s no es uno de %(options)s") % {
            "value": show(value),
            "options": options,
        }
    elif keyword == "type":
        field = field_path(path)
        types = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        message = _("%(value)s no es de tipo %(type)s") % {
            "value": show(value),
            "type": " o ".join(_TYPE_NAMES.get(t, t) for t in types),
        }
    elif keyword == "format":
        field = field_path(path)
        message = _("%(value)s no tiene el formato %(format)s") % {
            "value": show(value),
            "format": error.validator_value,
        }
    elif keyword == "pattern":
        field = field_path(path)
        message = _("%(value)s no cumple el patrón %(pattern)s") % {
            "value": show(value),
            "pattern": error.validator_value,
        }
    elif keyword == "minimum":
        field = field_path(path)
        message = _("%(value)s es menor que el mínimo %(limit)s") % {
            "value": show(value),
            "limit": error.validator_value,
        }
    elif keyword == "additionalProperties":
        field = field_path(path)
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        message = _("campos no reconocidos: %(fields)s") % {"fields": ", ".join(extra)}
    else:
        field = field_path(path)
        message = error.message
    return HsdsIssue(message=message, kind=kind, object_id=object_id, field=field)
