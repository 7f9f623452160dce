"""Prioritisation pages: the ranking with its method, its XLSX, and the capacity CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .access import NATION_CODE, user_can_read_territory_registry
from .capacity import CapacityFileError, capacity_upload_store, user_can_upload_capacity
from .forms_priorities import CapacityUploadForm, PriorityForm, priority_form_data
from .models import CapacityUpload
from .priorities import method_lines, priority_ranking, priority_ranking_xlsx

SHOWN_ROWS = 100
_COUNT_COMPONENTS = {"poor_persons", "unmet_need"}


def _number(value: float | None, decimals: int) -> str:
    if value is None:
        return "—"
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def _raw_text(key: str, value: float | None, unit: str) -> str:
    if value is None:
        return _("sin dato")
    if key == "pdet":
        return _("Sí") if value else _("No")
    text = _number(value, 0 if key in _COUNT_COMPONENTS else 1)
    return f"{text} {unit}" if unit else text


def _table(ranking, rows) -> list[dict]:
    units = {c.key: c.unit for c in ranking.components}
    return [
        {
            "row": row,
            "index": _number(row.index, 1),
            "coverage": _number(row.coverage * 100, 0),
            "cells": [
                {
                    "raw": _raw_text(c.key, c.raw, units[c.key]),
                    "score": _number(c.score, 1),
                    "weight": _number(c.weight * 100, 1),
                }
                for c in row.components
            ],
        }
        for row in rows
    ]


def _components(ranking) -> list[dict]:
    return (
        [{"info": c, "weight": _number(c.weight * 100, 1)} for c in ranking.components]
        if ranking
        else []
    )


def _ranking_from(request: HttpRequest):
    form = PriorityForm(data=priority_form_data(request.GET))
    ranking = None
    if form.is_valid():
        ranking = priority_ranking(
            preset=form.cleaned_data["preset"],
            weights=form.weights(),
            department_code=form.cleaned_data["department"] or None,
            include_registry=user_can_read_territory_registry(user=request.user, code=NATION_CODE),
        )
    return form, ranking


@login_required
@require_GET
def priorities(request: HttpRequest) -> HttpResponse:
    form, ranking = _ranking_from(request)
    show_all = request.GET.get("all") == "1"
    rows = ranking.rows if ranking else ()
    shown = rows if show_all or (ranking and ranking.department_code) else rows[:SHOWN_ROWS]
    context = {
        "form": form,
        "ranking": ranking,
        "rows": _table(ranking, shown) if ranking else [],
        "components": _components(ranking),
        "truncated": bool(ranking) and not show_all and len(rows) > SHOWN_ROWS,
        "method_lines": method_lines(),
        "query": request.GET.urlencode(),
        "can_upload": user_can_upload_capacity(user=request.user),
    }
    if request.headers.get("HX-Request"):
        # htmx does not swap 4xx answers: the panel with the errors comes back as 200.
        return render(request, "insights/priorities_panel.html", context)
    status = 200 if ranking else 400
    return render(request, "insights/priorities.html", context, status=status)


@login_required
@require_GET
def priorities_xlsx(request: HttpRequest) -> HttpResponse:
    form, ranking = _ranking_from(request)
    if ranking is None:
        context = {
            "form": form,
            "ranking": None,
            "rows": [],
            "components": [],
            "method_lines": method_lines(),
            "query": request.GET.urlencode(),
            "can_upload": user_can_upload_capacity(user=request.user),
        }
        return render(request, "insights/priorities.html", context, status=400)
    response = HttpResponse(
        priority_ranking_xlsx(ranking),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    scope = ranking.department_code or "nacional"
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="prioridades-{ranking.preset}-{scope}-{stamp}.xlsx"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def capacity_upload(request: HttpRequest) -> HttpResponse:
    if not user_can_upload_capacity(user=request.user):
        raise PermissionDenied(_("Solo los usuarios nacionales cargan la capacidad institucional."))
    problems: list[str] = []
    hidden = 0
    if request.method == "POST":
        form = CapacityUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                upload = capacity_upload_store(
                    content=uploaded.read(),
                    file_name=uploaded.name,
                    source=form.cleaned_data["source"],
                    actor=request.user,
                )
            except CapacityFileError as error:
                shown = error.problems[:50]
                problems = [str(p) for p in shown]
                hidden = len(error.problems) - len(shown)
            else:
                messages.success(
                    request,
                    _("Se cargaron %(n)s puntajes de capacidad institucional (%(file)s).")
                    % {"n": upload.rows, "file": upload.file_name},
                )
                return redirect("insights:priorities")
    else:
        form = CapacityUploadForm()
    context = {
        "form": form,
        "problems": problems,
        "hidden": hidden,
        "uploads": CapacityUpload.objects.select_related("uploaded_by")[:10],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "insights/priorities_capacity.html", context, status=status)
