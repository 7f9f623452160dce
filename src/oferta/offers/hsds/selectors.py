"""Reads for HSDS output: querysets that prefetch everything a nested HSDS object needs."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from oferta.offers.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from .profile import CLASSIFICATION_FIELDS

_PHONE = ("languages",)
_CONTACT = ("phones", "phones__languages")


def _under(prefix: str, paths: tuple[str, ...]) -> list[str]:
    return [f"{prefix}__{p}" for p in paths]


def location_prefetches(prefix: str = "") -> list[str]:
    """Prefetch paths of a fully nested location (optionally under a relation prefix)."""
    paths = (
        "languages",
        "addresses",
        "contacts",
        *_under("contacts", _CONTACT),
        "accessibility",
        "phones",
        *_under("phones", _PHONE),
        "schedules",
    )
    return [f"{prefix}__{p}" if prefix else p for p in paths]


def organizations_full(queryset: QuerySet[Organization] | None = None) -> QuerySet[Organization]:
    """Organizations with their funding, contacts, phones, locations, programs and identifiers."""
    queryset = Organization.objects.all() if queryset is None else queryset
    return queryset.order_by("name", "id").prefetch_related(
        "funding",
        "contacts",
        *_under("contacts", _CONTACT),
        "phones",
        *_under("phones", _PHONE),
        "locations",
        *location_prefetches("locations"),
        "programs",
        "organization_identifiers",
    )


def services_basic(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with their organization and program (the HSDS list shape)."""
    queryset = Service.objects.all() if queryset is None else queryset
    return queryset.order_by("name", "id").select_related("organization", "program")


def services_full(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with everything ``service_full`` nests, and the profile (terms, slots, windows)."""
    return services_basic(queryset).prefetch_related(
        "phones",
        *_under("phones", _PHONE),
        "schedules",
        "service_areas",
        "service_at_locations",
        *service_at_location_prefetches("service_at_locations"),
        "languages",
        "funding",
        "cost_options",
        "required_documents",
        "contacts",
        *_under("contacts", _CONTACT),
        *CLASSIFICATION_FIELDS,
        "slots",
        "enrolment_windows",
    )


def service_at_location_prefetches(prefix: str = "") -> list[str]:
    paths = (
        "contacts",
        *_under("contacts", _CONTACT),
        "phones",
        *_under("phones", _PHONE),
        "schedules",
        "location",
        *location_prefetches("location"),
    )
    return [f"{prefix}__{p}" if prefix else p for p in paths]


def service_at_locations_basic(
    queryset: QuerySet[ServiceAtLocation] | None = None,
) -> QuerySet[ServiceAtLocation]:
    queryset = ServiceAtLocation.objects.all() if queryset is None else queryset
    return queryset.order_by("service__name", "id").select_related(
        "location", "service", "service__organization", "service__program"
    )


def service_at_locations_full(
    queryset: QuerySet[ServiceAtLocation] | None = None,
) -> QuerySet[ServiceAtLocation]:
    return service_at_locations_basic(queryset).prefetch_related(*service_at_location_prefetches())


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "id")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.order_by("taxonomy", "code", "name", "id")


def services_search(
    *,
    queryset: QuerySet[Service],
    search: str = "",
    taxonomy_term_id=None,
    taxonomy_id=None,
    organization_id=None,
    modified_after=None,
) -> QuerySet[Service]:
    """Filter services the way the HSDS API parameters describe (term, taxonomy, text...)."""
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(alternate_name__icontains=search)
            | Q(description__icontains=search)
            | Q(organization__name__icontains=search)
        )
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    if modified_after:
        queryset = queryset.filter(last_modified__gte=modified_after)
    if taxonomy_term_id:
        queryset = queryset.filter(_has_term(Q(id=taxonomy_term_id)))
    if taxonomy_id:
        queryset = queryset.filter(_has_term(Q(taxonomy_detail_id=taxonomy_id)))
    return queryset


def _has_term(term_filter: Q) -> Q:
    terms = TaxonomyTerm.objects.filter(term_filter).values("id")
    condition = Q()
    for field in CLASSIFICATION_FIELDS:
        condition |= Q(**{f"{field}__in": terms})
    # Generic attributes link by text id (any object type): resolve them to service ids here.
    link_ids = Attribute.objects.filter(taxonomy_term__in=terms).values_list("link_id", flat=True)
    condition |= Q(id__in=[_uuid_or_none(v) for v in link_ids if _uuid_or_none(v)])
    return Q(id__in=Service.objects.filter(condition).values("id"))


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
