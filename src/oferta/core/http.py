"""Helpers the apps' views share: access errors as 404 pages, htmx fragments or whole pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import Http404, HttpRequest

from oferta.core.errors import ObjectNotFound


@contextmanager
def not_found_as_404() -> Iterator[None]:
    """Turn an access chokepoint's ``ObjectNotFound`` into a 404 with the same message.

    The chokepoints raise one error for "does not exist" and "not yours"; the page keeps that.
    """
    try:
        yield
    except ObjectNotFound as exc:
        raise Http404(str(exc)) from exc


def htmx_template(request: HttpRequest, *, fragment: str, page: str) -> str:
    """The fragment for an htmx request (a poll or a swap), the whole page otherwise."""
    return fragment if request.headers.get("HX-Request") else page
