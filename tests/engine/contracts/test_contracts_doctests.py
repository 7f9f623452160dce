"""The examples in the contracts modules' docstrings run and hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from oferta.engine.contracts import (
    conform,
    errors,
    messages,
    registry_v1,
    schema_export,
    validation,
)


@pytest.mark.parametrize(
    "module", [conform, errors, messages, registry_v1, schema_export, validation]
)
def test_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
