"""Staff pages of territories (thin: they call selectors)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oferta.core.errors import ObjectNotFound

from . import selectors
from .maps import svg_map
from .models import TerritoryLevel


def _link_pattern() -> str:
    return reverse("territories:detail", kwargs={"code": "00000"}).replace("00000", "{code}")


@login_required
@require_GET
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
@require_GET
def detail(request, code: str):
    # The profile adds the registry, offer and funnel sections (insights) to the DANE figures.
    from oferta.insights import charts
    from oferta.insights.selectors import territory_profile

    try:
        profile = territory_profile(code=code, user=request.user)
    except ObjectNotFound:
        raise Http404(_("No existe un territorio con ese código.")) from None
    figures = profile.figures
    territory = figures.territory
    owner = figures.figures_of.name if figures.figures_of else territory.name
    funnel = profile.funnel
    context = {
        "t": territory,
        "f": figures,
        "profile": profile,
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
        "survey_chart": charts.line_chart(
            title=_("IPM de la ECV por zona, %(name)s (%% de personas)") % {"name": owner},
            rows=figures.survey_ipm,
        ),
        "deprivations_chart": charts.bar_chart(
            title=_("Privaciones por zona, %(name)s (%% de hogares)") % {"name": owner},
            rows=figures.deprivations_latest,
        ),
        "funnel_chart": (
            charts.funnel_bars(
                title=_("Embudo de vinculación efectiva"),
                steps=[
                    (_("Identificados"), funnel.identified),
                    (_("Remitidos"), funnel.referred),
                    (_("Aceptados"), funnel.accepted),
                    (_("Vinculados"), funnel.enrolled),
                    (_("Atendidos"), funnel.served),
                ],
            )
            if funnel and funnel.identified
            else ""
        ),
    }
    return render(request, "territories/detail.html", context)
