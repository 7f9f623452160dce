"""Who may read the registry-derived figures of a territory: the one place where it is decided.

Census and DANE figures and the offer catalogue are public to every signed-in user. Figures
derived from the registry and the referrals (households, persons, needs, uptake, unmet need,
gaps) are shown only to users whose household scope covers the WHOLE territory:

- national roles (and superusers): any territory, the nation included;
- regional analysts: their departments and the municipalities in them;
- municipal users: their municipality;
- everyone else (partners, fair operators, inactive users): none.

A regional analyst asking for the nation, or a municipal user asking for their department, gets
no registry figures rather than a partial sum that would read as the territory's.
"""

from __future__ import annotations

from typing import Any

from oferta.accounts.models import Role
from oferta.core.identifiers import is_active_user

NATION_CODE = "CO"


def user_can_read_territory_registry(*, user: Any, code: str) -> bool:
    """Whether ``user`` may see the registry-derived figures of territory ``code``."""
    if not is_active_user(user):
        return False
    if user.is_national:
        return True
    if code == NATION_CODE:
        return False
    if user.role == Role.REGIONAL_ANALYST:
        departments = set(user.departments.values_list("code", flat=True))
        return code[:2] in departments
    if user.role == Role.MUNICIPAL_USER:
        return bool(user.municipality_id) and code == user.municipality_id
    return False


def registry_territory_codes(*, user: Any) -> set[str] | None:
    """The codes whose registry figures ``user`` may read, in one query: ``None`` = every
    territory (the nation included); otherwise departments (2 digits) and municipalities
    (5 digits), the same answer as :func:`user_can_read_territory_registry` code by code
    (pages that paint every unit of the country must not ask once per department)."""
    if not is_active_user(user):
        return set()
    if user.is_national:
        return None
    if user.role == Role.REGIONAL_ANALYST:
        return set(user.departments.values_list("code", flat=True))
    if user.role == Role.MUNICIPAL_USER and user.municipality_id:
        return {str(user.municipality_id)}
    return set()
