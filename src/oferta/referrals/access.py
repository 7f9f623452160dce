"""Who may see and act on which referrals: the one place where referral scope is decided.

Every protected read of a referral goes through :func:`access_referral_by_id`, which raises the
same :class:`~oferta.core.errors.ObjectNotFound`, with the same message, whether the referral
does not exist or lies outside the user's scope. Lists go through :func:`referrals_visible_to`.

Scope by role:

- national administrator / analyst (and superusers): every referral;
- regional analyst: referrals of households in one of their departments;
- municipal user: referrals of households in their municipality;
- partner-entity user: only referrals to offers of their own entity, and only once sent
  (never ``proposed``); they see the minimised fields of :mod:`oferta.referrals.partner`;
- fair operators, inactive or anonymous users, unknown roles: none.

Who may do what (checked again by the services):

- *review* actions (record consent, approve, cancel): national, regional and municipal users
  on the referrals of their scope;
- *partner* actions (receive, accept, reject, start, hold, complete, fail, record service):
  the partner entity's users, and national users recording an answer the entity sent by other
  means.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oferta.accounts.models import Role
from oferta.core.errors import ObjectNotFound
from oferta.core.identifiers import as_uuid, is_active_user

from .models import Referral, RoutingRun
from .states import PARTNER_VISIBLE_STATES


def _referral_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("La remisión no existe o no tiene acceso a ella."))


def _run_not_found() -> ObjectNotFound:
    return ObjectNotFound(_("La corrida no existe o no tiene acceso a ella."))


def user_is_partner(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.PARTNER_USER and not user.is_superuser


def referral_scope(user: Any) -> Q | None:
    """The referrals ``user`` may read, as a filter on Referral. ``Q()`` = all; ``None`` = none."""
    if not is_active_user(user):
        return None
    if user.is_national:
        return Q()
    if user.role == Role.REGIONAL_ANALYST:
        department_codes = list(user.departments.values_list("code", flat=True))
        if not department_codes:
            return None
        return Q(household__department_code__in=department_codes)
    if user.role == Role.MUNICIPAL_USER:
        if user.municipality_id is None:
            return None
        return Q(household__municipality_code=user.municipality_id)
    if user.role == Role.PARTNER_USER:
        if user.organization_id is None:
            return None
        # Sent to them (approved): a proposal cancelled before sending was never theirs to see.
        return Q(
            offer__organization_id=user.organization_id,
            state__in=PARTNER_VISIBLE_STATES,
            approved_at__isnull=False,
        )
    return None


def referrals_visible_to(*, user: Any) -> QuerySet[Referral]:
    """The referrals ``user`` may read (see the module docstring for the rules)."""
    scope = referral_scope(user)
    if scope is None:
        return Referral.objects.none()
    return Referral.objects.filter(scope)


def user_can_review_referrals(*, user: Any) -> bool:
    """Staff who review and approve proposed referrals (and see the review page)."""
    if not is_active_user(user) or user_is_partner(user):
        return False
    return referral_scope(user) is not None


def user_can_act_as_partner(*, user: Any, referral: Referral) -> bool:
    """Whether ``user`` may record the entity's answer on ``referral`` (caller checked scope)."""
    if not is_active_user(user):
        return False
    if user.is_national:
        return True
    return user_is_partner(user) and referral.offer.organization_id == user.organization_id


def access_referral_by_id(*, user: Any, referral_id: Any, for_update: bool = False) -> Referral:
    """The referral with uuid ``referral_id`` if ``user`` may read it; otherwise ObjectNotFound,
    the same error as for a referral that does not exist.

    ``for_update`` locks the row (call inside a transaction).
    """
    pk = as_uuid(referral_id)
    if pk is None:
        raise _referral_not_found()
    queryset = referrals_visible_to(user=user).select_related(
        "offer", "offer__organization", "household", "person", "routing_run"
    )
    if for_update:
        # Lock only the referral row: joins to nullable tables cannot be locked on PostgreSQL.
        queryset = queryset.select_for_update(of=("self",))
    referral = queryset.filter(uuid=pk).first()
    if referral is None:
        raise _referral_not_found()
    return referral


def routing_runs_visible_to(*, user: Any) -> QuerySet[RoutingRun]:
    """Runs ``user`` may filter by: all for national users; for others, the runs that proposed
    referrals in their scope. Partners do not see runs."""
    if not user_can_review_referrals(user=user):
        return RoutingRun.objects.none()
    if user.is_national:
        return RoutingRun.objects.all()
    visible = referrals_visible_to(user=user).filter(routing_run__isnull=False)
    return RoutingRun.objects.filter(pk__in=visible.values("routing_run_id"))


def access_routing_run_by_id(*, user: Any, run_id: Any) -> RoutingRun:
    pk = as_uuid(run_id)
    if pk is None:
        raise _run_not_found()
    run = routing_runs_visible_to(user=user).filter(uuid=pk).first()
    if run is None:
        raise _run_not_found()
    return run
