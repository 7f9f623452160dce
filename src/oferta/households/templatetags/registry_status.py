"""Template tags that mark households no longer in the registry (kept for their referrals)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from oferta.households.models import Household

register = template.Library()


@register.simple_tag
def referrals_out_of_registry(items: Iterable[Any]) -> set[Any]:
    """The uuids, among the referrals given (uuids, or rows with a ``uuid`` key), whose
    household is no longer in the registry. One query, for lists that hold no household."""
    uuids = [item.get("uuid") if isinstance(item, Mapping) else item for item in items or ()]
    uuids = [u for u in uuids if u]
    if not uuids:
        return set()
    return set(
        Household.objects.filter(in_registry=False, referrals__uuid__in=uuids).values_list(
            "referrals__uuid", flat=True
        )
    )
