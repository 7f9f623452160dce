"""Director's report pages (thin: they call access, services and the report job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from oferta.core.errors import ObjectNotFound, ValidationFailed
from oferta.core.http import htmx_template, not_found_as_404
from oferta.territories.selectors import Territory, territory_get, territory_search

from .access import (
    NATION_CODE,
    access_report,
    reports_visible_to,
    user_can_request_reports,
    user_may_report_on,
    user_territory_codes,
)
from .forms import ReportRequestForm, TerritorySearchForm
from .models import DirectorReport, ReportFormat, ReportStatus
from .services import report_download_record, report_request
from .tasks import director_report_task

LIST_LIMIT = 20
OPTIONS_LIMIT = 30
CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_reporter(request: HttpRequest) -> None:
    if not user_can_request_reports(user=request.user):
        raise PermissionDenied(_("Su rol no puede solicitar informes de dirección."))


def _own_territories(user: Any) -> list[Territory]:
    codes = user_territory_codes(user=user)
    if codes is None:
        codes = [NATION_CODE]
    found = []
    for code in codes:
        try:
            found.append(territory_get(code=code))
        except ObjectNotFound:
            continue
    return found


def _territory_options(user: Any, query: str) -> list[Territory]:
    """The territories offered in the form: the user's own without a query, else the matches
    the user may report on (the nation for national roles when the query names it)."""
    if not query:
        return _own_territories(user)
    hits = [
        t
        for t in territory_search(query=query, limit=200)
        if user_may_report_on(user=user, code=t.code)
    ]
    nation = territory_get(code=NATION_CODE)
    if user_may_report_on(user=user, code=NATION_CODE) and query.strip().lower() in (
        "co",
        "colombia",
        "nacion",
        "nación",
        "nacional",
    ):
        hits.insert(0, nation)
    return hits[:OPTIONS_LIMIT]


def _selected_territory(user: Any, code: str) -> list[Territory]:
    """The territory chosen in a form sent back with errors, so that it stays chosen."""
    try:
        territory = territory_get(code=code)
    except ObjectNotFound:
        return []
    return [territory] if user_may_report_on(user=user, code=territory.code) else []


def _list_context(user: Any) -> dict[str, Any]:
    reports = list(reports_visible_to(user=user)[:LIST_LIMIT])
    return {"reports": reports, "pending": any(not r.is_finished for r in reports)}


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The request form and the user's reports; htmx refreshes the list while one runs."""
    _require_reporter(request)
    if request.method == "GET" and request.headers.get("HX-Request"):
        return render(request, "reports/_list.html", _list_context(request.user))
    search = TerritorySearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_request(
                actor=request.user,
                code=form.cleaned_data["code"],
                fmt=form.cleaned_data["fmt"],
                language=getattr(request, "LANGUAGE_CODE", "es-co"),
            )
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            director_report_task.enqueue(str(report.uuid))
            return redirect("reports:status", report_id=report.uuid)
    selected = (form["code"].value() or "").strip().upper()
    options = _territory_options(request.user, query)
    if selected and selected not in {t.code for t in options}:
        options = _selected_territory(request.user, selected) + options
    context = {
        "form": form,
        "search": search,
        "options": options,
        "selected": selected or (options[0].code if len(options) == 1 else ""),
        "query": query,
        **_list_context(request.user),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reports/index.html", context, status=status)


@login_required
@require_GET
def territory_options(request: HttpRequest) -> HttpResponse:
    """The radio list of territories matching ``q`` (htmx swaps it into the form)."""
    _require_reporter(request)
    search = TerritorySearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "reports/_territory_options.html",
        {"options": _territory_options(request.user, query), "selected": "", "query": query},
    )


def _report_for(request: HttpRequest, report_id: Any) -> DirectorReport:
    with not_found_as_404():
        return access_report(user=request.user, report_uuid=report_id)


@login_required
@require_GET
def status(request: HttpRequest, report_id: Any) -> HttpResponse:
    """One report's progress; htmx re-requests the fragment every 2 s until it ends."""
    report = _report_for(request, report_id)
    template = htmx_template(request, fragment="reports/_status.html", page="reports/status.html")
    return render(request, template, {"report": report})


@login_required
@require_GET
def download(request: HttpRequest, report_id: Any) -> FileResponse:
    report = _report_for(request, report_id)
    path = Path(report.file_path) if report.file_path else None
    if report.status != ReportStatus.SUCCEEDED or path is None or not path.exists():
        raise Http404(_("El informe aún no está listo o su archivo ya no está disponible."))
    report_download_record(report=report, actor=request.user)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type=CONTENT_TYPES[report.format],
    )
