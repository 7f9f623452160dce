"""HSDS 3.0 API endpoints under /api/hsds/, following the HSDS OpenAPI (read-only, paginated)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from oferta.accounts.api_auth import api_auth
from oferta.offers.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

from . import selectors
from .export import HsdsSerializer, datetime_text
from .profile import profile_description

router = Router(tags=["HSDS 3.0"], auth=api_auth)

MAX_PER_PAGE = 200


def _page(
    queryset: QuerySet,
    *,
    page: int,
    per_page: int,
    serialize: Callable[[HsdsSerializer, Any], dict[str, Any]],
) -> dict[str, Any]:
    """The HSDS ``Page`` object around one page of serialized objects."""
    page = max(page, 1)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = queryset.count()
    total_pages = math.ceil(total / per_page)
    serializer = HsdsSerializer()
    start = (page - 1) * per_page
    contents = [serialize(serializer, row) for row in queryset[start : start + per_page]]
    serializer.finish()
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _one(queryset: QuerySet, object_id: str, label: str):
    try:
        key = uuid.UUID(object_id)
    except ValueError:
        key = None
    row = queryset.filter(pk=key).first() if key else None
    if row is None:
        raise HttpError(
            404, _("No existe %(label)s con id %(id)s.") % {"label": label, "id": object_id}
        )
    return row


def _finish(serializer: HsdsSerializer, data: dict[str, Any]) -> dict[str, Any]:
    serializer.finish()
    return data


@router.get("/", summary="Información de la API y su perfil HSDS")
def api_meta(request):
    return {
        "version": "3.0",
        "profile": request.build_absolute_uri(reverse("api:hsds_profile")),
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


@router.get("/profile", url_name="hsds_profile", summary="Perfil colombiano de HSDS (x_oferta)")
def api_profile(request):
    return profile_description()


# -- services --------------------------------------------------------------------------------


@router.get("/services", summary="Listado paginado de ofertas")
def services_list(
    request,
    page: int = 1,
    per_page: int = 50,
    search: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    minimal: bool = False,
    full: bool = False,
):
    filters = {
        "search": search,
        "taxonomy_term_id": taxonomy_term_id,
        "taxonomy_id": taxonomy_id,
        "organization_id": organization_id,
        "modified_after": modified_after,
    }
    if minimal:
        queryset = selectors.services_search(
            queryset=Service.objects.order_by("name", "id"), **filters
        )
        return _page(queryset, page=page, per_page=per_page, serialize=_minimal)
    base = selectors.services_full() if full else selectors.services_basic()
    queryset = selectors.services_search(queryset=base, **filters)
    serialize = HsdsSerializer.service if full else HsdsSerializer.service_basic
    return _page(queryset, page=page, per_page=per_page, serialize=serialize)


def _minimal(serializer: HsdsSerializer, service: Service) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(service.pk)}
    if service.last_modified:
        data["last_modified"] = datetime_text(service.last_modified)
    return data


@router.get("/services/{id}", summary="Oferta completamente anidada")
def service_detail(request, id: str):
    service = _one(selectors.services_full(), id, _("la oferta"))
    serializer = HsdsSerializer()
    return _finish(serializer, serializer.service(service))


# -- organizations ---------------------------------------------------------------------------


def _organizations(*, full: bool, full_service: bool) -> QuerySet[Organization]:
    queryset = (
        selectors.organizations_full() if full else Organization.objects.order_by("name", "id")
    )
    services = selectors.services_full() if full_service else Service.objects.order_by("name", "id")
    return queryset.prefetch_related(Prefetch("services", queryset=services))


def _organization(*, full: bool, full_service: bool):
    def serialize(serializer: HsdsSerializer, organization: Organization) -> dict[str, Any]:
        if full:
            data = serializer.organization(organization)
        else:
            data = serializer.organization_basic(organization)
        services = list(organization.services.all())
        if services:
            data["services"] = [
                serializer.service(s) if full_service else serializer.service_fields(s)
                for s in services
            ]
        return data

    return serialize


@router.get("/organizations", summary="Listado paginado de entidades")
def organizations_list(
    request,
    page: int = 1,
    per_page: int = 50,
    search: str = "",
    full: bool = False,
    full_service: bool = False,
):
    queryset = _organizations(full=full, full_service=full_service)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(alternate_name__icontains=search)
            | Q(description__icontains=search)
        )
    return _page(
        queryset,
        page=page,
        per_page=per_page,
        serialize=_organization(full=full, full_service=full_service),
    )


@router.get("/organizations/{id}", summary="Entidad completamente anidada")
def organization_detail(request, id: str, full_service: bool = False):
    organization = _one(_organizations(full=True, full_service=full_service), id, _("la entidad"))
    serializer = HsdsSerializer()
    data = _organization(full=True, full_service=full_service)(serializer, organization)
    return _finish(serializer, data)


# -- taxonomies ------------------------------------------------------------------------------


@router.get("/taxonomies", summary="Listado paginado de taxonomías")
def taxonomies_list(request, page: int = 1, per_page: int = 50, search: str = ""):
    queryset = selectors.taxonomies()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return _page(queryset, page=page, per_page=per_page, serialize=HsdsSerializer.taxonomy)


@router.get("/taxonomies/{id}", summary="Taxonomía")
def taxonomy_detail(request, id: str):
    taxonomy = _one(Taxonomy.objects.all(), id, _("la taxonomía"))
    serializer = HsdsSerializer()
    return _finish(serializer, serializer.taxonomy(taxonomy))


@router.get("/taxonomy_terms", summary="Listado paginado de términos de taxonomía")
def taxonomy_terms_list(
    request,
    page: int = 1,
    per_page: int = 50,
    search: str = "",
    taxonomy_id: uuid.UUID | None = None,
    top_only: bool = False,
    parent_id: uuid.UUID | None = None,
):
    queryset = selectors.taxonomy_terms()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(description__icontains=search)
        )
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_detail_id=taxonomy_id)
    if top_only:
        queryset = queryset.filter(parent__isnull=True)
    if parent_id:
        queryset = queryset.filter(parent_id=parent_id)
    return _page(queryset, page=page, per_page=per_page, serialize=HsdsSerializer.taxonomy_term)


@router.get("/taxonomy_terms/{id}", summary="Término de taxonomía")
def taxonomy_term_detail(request, id: str):
    term = _one(TaxonomyTerm.objects.all(), id, _("el término de taxonomía"))
    serializer = HsdsSerializer()
    return _finish(serializer, serializer.taxonomy_term(term))


# -- service at location ---------------------------------------------------------------------


@router.get("/service_at_locations", summary="Listado paginado de ofertas en sedes")
def service_at_locations_list(
    request,
    page: int = 1,
    per_page: int = 50,
    search: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    full: bool = False,
):
    services = selectors.services_search(
        queryset=Service.objects.all(),
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )
    base = selectors.service_at_locations_full() if full else selectors.service_at_locations_basic()
    queryset = base.filter(service__in=services.values("id"))

    def serialize(serializer: HsdsSerializer, sal: ServiceAtLocation) -> dict[str, Any]:
        if not full:
            return serializer.service_at_location_basic(sal)
        data = serializer.service_at_location(sal)
        data["service"] = serializer.service_basic(sal.service)
        return data

    return _page(queryset, page=page, per_page=per_page, serialize=serialize)


@router.get("/service_at_locations/{id}", summary="Oferta en sede completamente anidada")
def service_at_location_detail(request, id: str):
    sal = _one(selectors.service_at_locations_full(), id, _("la oferta en sede"))
    serializer = HsdsSerializer()
    data = serializer.service_at_location(sal)
    data["service"] = serializer.service_basic(sal.service)
    return _finish(serializer, data)
