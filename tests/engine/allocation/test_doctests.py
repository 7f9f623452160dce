"""The examples in the allocation modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["policy", "instance", "solve", "verify", "explain", "synthetic"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(f"oferta.engine.allocation.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0
