"""Household pages (thin: they call access, selectors, services and the import task)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from oferta.core.http import htmx_template, not_found_as_404

from . import selectors
from .access import (
    access_household_by_id,
    access_registry_import_by_id,
    household_read_log,
    user_can_import_registry,
    user_can_search_households,
)
from .forms import HouseholdSearchForm, RegistryUploadForm
from .models import RegistryImport
from .services import RegistryImportFailed, registry_import_create, registry_import_dir
from .tasks import registry_import_task

PURPOSE_SEARCH = "search"
PURPOSE_PAGE = "household_page"


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search-first: without a query the page shows the form and counts by territory only.

    The query travels in a POST body, never in the URL: a document number or a name in a query
    string would end up in proxy and web-server access logs (Ley 1581 de 2012).
    """
    if not user_can_search_households(user=request.user):
        raise PermissionDenied(_("Su rol no tiene acceso a los hogares del registro."))
    form = HouseholdSearchForm(request.POST if request.method == "POST" else None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    outcome = selectors.person_search(user=request.user, query=query)
    # Results show names and documents: each household shown is a read to log.
    household_read_log(
        user=request.user,
        household_uuids=list(dict.fromkeys(hit.household_uuid for hit in outcome.hits)),
        purpose=PURPOSE_SEARCH,
    )
    return render(
        request,
        "households/search.html",
        {
            "form": form,
            "outcome": outcome,
            "limit": selectors.SEARCH_LIMIT,
            "counts": [] if outcome.kind else selectors.territory_counts(user=request.user),
            "can_import": user_can_import_registry(user=request.user),
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, household_id: Any) -> HttpResponse:
    with not_found_as_404():
        household = access_household_by_id(user=request.user, household_id=household_id)
    household_read_log(user=request.user, household_uuids=[household.uuid], purpose=PURPOSE_PAGE)
    sheet = selectors.household_sheet(household=household)
    return render(request, "households/detail.html", {"sheet": sheet, "household": household})


# --------------------------------------------------------------------------- registry import


def _save_upload(upload, directory: Path, stem: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not user_can_import_registry(user=request.user):
        raise PermissionDenied(_("Solo el equipo nacional puede importar el registro de hogares."))
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registry_import = registry_import_create(
                households_file_name=data["households_file"].name,
                persons_file_name=data["persons_file"].name,
                as_of=data["as_of"],
                method_code=data["method"],
                k=data["k"],
                strict=data["strict"],
                actor=request.user,
            )
        except RegistryImportFailed as exc:
            form.add_error(None, exc.message)
        else:
            upload_dir = registry_import_dir(registry_import) / "upload"
            households_path = _save_upload(data["households_file"], upload_dir, "households")
            persons_path = _save_upload(data["persons_file"], upload_dir, "persons")
            registry_import_task.enqueue(
                str(registry_import.uuid), str(households_path), str(persons_path)
            )
            return redirect("households:import_status", import_id=registry_import.uuid)
    return render(
        request,
        "households/import_upload.html",
        {"form": form, "recent": RegistryImport.objects.select_related("actor")[:10]},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _import_for(request: HttpRequest, import_id: Any) -> RegistryImport:
    with not_found_as_404():
        return access_registry_import_by_id(user=request.user, import_id=import_id)


@login_required
@require_GET
def import_status(request: HttpRequest, import_id: Any) -> HttpResponse:
    """The import's progress; htmx re-requests the status fragment every 2 s until it ends."""
    registry_import = _import_for(request, import_id)
    template = htmx_template(
        request, fragment="households/_import_status.html", page="households/import_status.html"
    )
    has_rejects = bool(registry_import.rejects_path) and Path(registry_import.rejects_path).exists()
    return render(
        request, template, {"registry_import": registry_import, "has_rejects": has_rejects}
    )


@login_required
@require_GET
def import_rejects(request: HttpRequest, import_id: Any) -> FileResponse:
    registry_import = _import_for(request, import_id)
    path = Path(registry_import.rejects_path) if registry_import.rejects_path else None
    if path is None or not path.exists():
        raise Http404(_("Esta importación no tiene archivo de rechazos."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"rechazos-{registry_import.uuid}.csv",
        content_type="text/csv; charset=utf-8",
    )
