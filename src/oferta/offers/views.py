"""Staff pages of the offer catalogue (thin: they call access, selectors and services)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from oferta.core.errors import ValidationFailed
from oferta.core.http import not_found_as_404

from . import selectors
from .access import (
    access_service_for_edit,
    access_service_for_view,
    organizations_editable_by,
    user_can_edit_service,
)
from .forms import CatalogueFilterForm, OfferEditor, municipality_choices
from .pdf import render_pdf
from .services import offer_create, offer_update

PAGE_SIZE = 25
NEWS_DAYS = 90


def _service_for_view(request: HttpRequest, service_id: Any):
    with not_found_as_404():
        return access_service_for_view(user=request.user, service_id=service_id)


def _service_for_edit(request: HttpRequest, service_id: Any):
    with not_found_as_404():
        return access_service_for_edit(user=request.user, service_id=service_id)


# --------------------------------------------------------------------------- catalogue


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(
        request.GET or None, organizations=selectors.organizations_with_offers()
    )
    filters = form.filters() if form.is_bound else {}
    results = selectors.service_search(**filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "offers/catalogue.html",
        {
            "form": form,
            "page": page,
            "can_create": organizations_editable_by(user=request.user).exists(),
            "searched": form.is_bound,
            "news_code": filters.get("municipality_code") or filters.get("department_code"),
            "places_label": selectors.places_territory_label(
                department_code=filters.get("department_code", ""),
                municipality_code=filters.get("municipality_code", ""),
            ),
        },
    )


@login_required
@require_GET
def municipality_options(request: HttpRequest) -> HttpResponse:
    """``<option>``s of the municipalities of ``?department=``, for the catalogue's htmx select."""
    department = (request.GET.get("department") or "").strip()
    return render(
        request,
        "offers/_municipality_options.html",
        {"choices": municipality_choices(department) if department.isdigit() else []},
    )


# --------------------------------------------------------------------------- offer sheet


@login_required
@require_GET
def detail(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = _service_for_view(request, service_id)
    sheet = selectors.service_sheet(service=service)
    return render(
        request,
        "offers/detail.html",
        {
            "sheet": sheet,
            "service": sheet.service,
            "can_edit": user_can_edit_service(user=request.user, service=service),
        },
    )


@login_required
@require_GET
def sheet_pdf(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = _service_for_view(request, service_id)
    sheet = selectors.service_sheet(service=service)
    pdf = render_pdf(
        "offers/sheet_print.html",
        {"sheet": sheet, "service": sheet.service, "printed_at": timezone.now()},
        request=request,
    )
    filename = f"ficha-{slugify(service.name)[:80] or service.id}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def map_view(request: HttpRequest, service_id: Any) -> HttpResponse:
    from oferta.territories.maps import svg_map

    service = _service_for_view(request, service_id)
    sheet = selectors.service_sheet(service=service)
    svg = svg_map(
        highlighted=sheet.map_codes,
        title=_("Dónde está disponible «%(name)s»") % {"name": service.name},
    )
    return render(
        request,
        "offers/map.html",
        {"sheet": sheet, "service": sheet.service, "svg": svg},
    )


@login_required
@require_GET
def history(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = _service_for_view(request, service_id)
    changes = selectors.service_history(service=service)
    page = Paginator(changes, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "offers/history.html",
        {"service": service, "page": page, "rows": selectors.change_rows(page.object_list)},
    )


# --------------------------------------------------------------------------- editor


def _editor_page(
    request: HttpRequest, editor: OfferEditor, *, service: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "offers/form.html",
        {"editor": editor, "form": editor.form, "service": service},
        status=status,
    )


def _apply_service_errors(editor: OfferEditor, exc: ValidationFailed) -> None:
    for field, errors in exc.errors.items():
        # Service keys are dotted ("contact.email"); the form fields are "contact_email".
        name = field.replace(".", "_")
        target = name if name in editor.form.fields else None
        for error in errors:
            editor.form.add_error(target, error)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not organizations_editable_by(user=request.user).exists():
        raise Http404(_("No tiene entidades a su cargo para registrar oferta."))
    if request.method == "GET":
        return _editor_page(request, OfferEditor(user=request.user))
    editor = OfferEditor(user=request.user, data=request.POST)
    if editor.is_valid():
        data = editor.data()
        try:
            service = offer_create(
                actor=request.user, organization=data.pop("organization"), data=data
            )
        except ValidationFailed as exc:
            _apply_service_errors(editor, exc)
        else:
            messages.success(request, _("Se creó la oferta «%(name)s».") % {"name": service.name})
            return redirect("offers:detail", service_id=service.id)
    messages.error(request, _("Revise los campos marcados: la oferta no se guardó."))
    return _editor_page(request, editor)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, service_id: Any) -> HttpResponse:
    service = _service_for_edit(request, service_id)
    if request.method == "GET":
        return _editor_page(
            request, OfferEditor(user=request.user, service=service), service=service
        )
    editor = OfferEditor(user=request.user, data=request.POST, service=service)
    if editor.is_valid():
        try:
            service = offer_update(actor=request.user, service=service, data=editor.data())
        except ValidationFailed as exc:
            _apply_service_errors(editor, exc)
        else:
            messages.success(request, _("Se guardaron los cambios de la oferta."))
            return redirect("offers:detail", service_id=service.id)
    messages.error(request, _("Revise los campos marcados: los cambios no se guardaron."))
    return _editor_page(request, editor, service=service)


# --------------------------------------------------------------------------- territory news


def news_territory(code: str) -> tuple[str, str]:
    """(code, display name) of a territory for the news pages, or 404."""
    code = (code or "").strip().upper()
    if not selectors.territory_exists(code):
        raise Http404(_("El territorio no existe."))
    return code, selectors.territory_name(code) or code


def news_since(request: HttpRequest) -> date:
    raw = request.GET.get("desde") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate() - timedelta(days=NEWS_DAYS)


@login_required
@require_GET
def territory_news(request: HttpRequest, code: str) -> HttpResponse:
    code, name = news_territory(code)
    since = news_since(request)
    items = selectors.territory_news(code=code, since=since)
    return render(
        request,
        "offers/territory_news.html",
        {"code": code, "territory_name": name, "since": since, "items": items},
    )
