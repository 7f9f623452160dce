"""Coverage-gap pages of a territory: the bottleneck table and its XLSX export (thin)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oferta.core.errors import ObjectNotFound
from oferta.territories.models import TerritoryLevel
from oferta.territories.selectors import territory_get

from . import selectors
from .exports import gaps_workbook

MISSING_LIMIT = 25


def _gaps_context(request: HttpRequest, code: str) -> dict:
    try:
        territory = territory_get(code=code)
        rows = selectors.coverage_gaps(code=territory.code, user=request.user)
        missing = (
            selectors.missing_offer_ranking(
                code=territory.code, user=request.user, limit=MISSING_LIMIT
            )
            if territory.level != TerritoryLevel.MUNICIPALITY
            else []
        )
    except ObjectNotFound:
        raise Http404(
            _("El territorio no existe o no tiene acceso a las cifras de su registro.")
        ) from None
    return {
        "t": territory,
        "rows": rows,
        "missing": missing,
        "refreshed_at": selectors.gaps_refreshed_at(code=territory.code),
        "is_municipality": territory.level == TerritoryLevel.MUNICIPALITY,
        "steps": selectors.GAP_STEPS,
    }


@login_required
@require_GET
def gaps(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "insights/gaps.html", _gaps_context(request, code))


@login_required
@require_GET
def gaps_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    context = _gaps_context(request, code)
    territory = context["t"]
    content = gaps_workbook(
        territory=territory,
        rows=context["rows"],
        missing=context["missing"],
        refreshed_at=context["refreshed_at"],
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="brechas-{territory.code}-{stamp}.xlsx"'
    )
    return response
