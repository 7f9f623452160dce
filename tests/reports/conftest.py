"""Fixtures for director's reports: the real reference data (loaded once per module), users of
each role, a private VAR_DIR, and helpers that read a rendered PDF."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import override_settings

from oferta.accounts.models import Role, User

_seq = itertools.count(1)


@contextmanager
def reference_data_loaded(django_db_blocker, var_dir):
    """The shipped reference data and a VAR_DIR for the module; everything removed afterwards
    so that other test modules start from empty tables."""
    from database_guard import assert_test_database
    from oferta.accounts.models import AuditEvent
    from oferta.reports.models import DirectorReport
    from oferta.territories.services import reference_data_load
    from territories.conftest import _wipe

    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        assert_test_database()
        reference_data_load()
        try:
            yield
        finally:
            DirectorReport.objects.all().delete()
            AuditEvent.objects.filter(object_type="director_report").delete()
            User.objects.filter(username__startswith="informes-").delete()
            _wipe()
            # The module's connection was opened outside any test: close it, or PostgreSQL
            # refuses to drop the test database at the end of the session.
            connections.close_all()


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with reference_data_loaded(django_db_blocker, tmp_path_factory.mktemp("var")):
        yield


def user_make(role: str, *, departments=(), municipality=None) -> User:
    user = User.objects.create_user(
        username=f"informes-{next(_seq)}",
        password="clave-de-prueba-123",
        role=role,
        first_name="Dora",
        last_name="Directora",
        municipality_id=municipality,
    )
    user.departments.set(departments)
    return user


@pytest.fixture
def users(db, reference_data):
    return {
        "national": user_make(Role.NATIONAL_ANALYST),
        "regional_guajira": user_make(Role.REGIONAL_ANALYST, departments=["44"]),
        "regional_choco": user_make(Role.REGIONAL_ANALYST, departments=["27"]),
        "uribia": user_make(Role.MUNICIPAL_USER, municipality="44847"),
        "partner": user_make(Role.PARTNER_USER),
    }


# --------------------------------------------------------------------------- reading PDFs


def pdf_pages(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def page_fills(reader, page) -> Counter:
    """How many filled paths each fill colour ("#rrggbb") paints on a page: WeasyPrint draws
    SVG (maps, charts) as vector paths in the page's content stream, not as images."""
    from pypdf.generic import ContentStream

    fills: Counter = Counter()
    colour = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"rg":
            colour = "#{:02x}{:02x}{:02x}".format(*tuple(round(float(v) * 255) for v in operands))
        elif operator in (b"f", b"f*", b"B", b"B*", b"b", b"b*"):
            fills[colour] += 1
    return fills
