"""Printable offer sheets: render a print template to PDF with WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render ``template_name`` to PDF bytes.

    The print templates embed their own stylesheet and reference no external resources, so
    WeasyPrint never fetches anything over the network (target networks may be closed).
    """
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"external resources are not allowed in printed sheets: {url}")
