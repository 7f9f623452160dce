"""Staff pages of territories (thin: they call selectors)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from oferta.core.errors import ObjectNotFound

from . import selectors
from .maps import svg_map
from .models import TerritoryLevel


def _link_pattern() -> str:
    return reverse("territories:detail", kwargs={"code": "00000"}).replace("00000", "{code}")


@login_required
def index(request):
    query = request.GET.get("q", "").strip()
    results = selectors.territory_search(query=query, limit=30) if query else []
    context = {
        "query": query,
        "results": results,
        "departments": selectors.department_summaries(),
        "map": svg_map(
            highlighted=selectors.pdet_codes(),
            title=_("Municipios PDET (Decreto-Ley 893 de 2017)"),
            link_pattern=_link_pattern(),
        ),
    }
    return render(request, "territories/index.html", context)


@login_required
def detail(request, code: str):
    try:
        figures = selectors.figures_for_territory(code=code)
    except ObjectNotFound:
        raise Http404(_("No existe un territorio con ese código.")) from None
    territory = figures.territory
    context = {
        "t": territory,
        "f": figures,
        "is_municipality": territory.level == TerritoryLevel.MUNICIPALITY,
        "is_department": territory.level == TerritoryLevel.DEPARTMENT,
        "is_nation": territory.level == TerritoryLevel.NATION,
        "municipalities": (
            selectors.department_municipalities(department_code=territory.code)
            if territory.level == TerritoryLevel.DEPARTMENT
            else []
        ),
        "map": svg_map(
            highlighted=[territory.code],
            title=territory.label,
            link_pattern=_link_pattern(),
        ),
    }
    return render(request, "territories/detail.html", context)
