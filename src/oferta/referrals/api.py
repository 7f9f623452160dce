"""JSON API of referrals under /api/referrals/: list, read one, move it along its lifecycle.

Partners get the minimised fields of :mod:`oferta.referrals.partner` and only their entity's
referrals; reviewers get the review fields (no names or documents). Not found and not yours
are the same 404. Each partner read of personal data is recorded in the household read log.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from oferta.accounts.api_auth import api_auth
from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed
from oferta.households.access import household_read_log

from .access import access_referral_by_id, user_is_partner
from .models import Referral
from .partner import partner_referral_rows
from .selectors import referral_is_overdue, referrals_search
from .services import referral_act

router = Router(tags=["Remisiones"], auth=api_auth)

MAX_PER_PAGE = 200
PURPOSE_API = "referral_api"


def review_row(referral: Referral) -> dict[str, Any]:
    """What reviewers get: identifiers, territory, offer, state, dates; no names or documents."""
    return {
        "remision": str(referral.uuid),
        "hogar": str(referral.household.uuid),
        "persona": str(referral.person.uuid) if referral.person_id else None,
        "municipio_codigo": referral.household.municipality_code,
        "territorio": referral.territory_code,
        "oferta_id": str(referral.offer_id),
        "oferta": referral.offer.name,
        "entidad_id": str(referral.offer.organization_id or ""),
        "corrida": str(referral.routing_run.uuid) if referral.routing_run_id else None,
        "valor": str(referral.value),
        "estado": referral.state,
        "consentimiento": referral.consent_recorded_at,
        "enviada": referral.approved_at,
        "fecha_limite": referral.due_at,
        "vencida": referral_is_overdue(referral),
        "aceptada": referral.accepted_at,
        "vinculacion_exitosa": referral.closure_success,
        "motivo": referral.closure_reason,
        "fecha_inscripcion": referral.enrolled_on,
        "fecha_atencion": referral.served_on,
    }


def _rows(request, referrals: list[Referral]) -> list[dict[str, Any]]:
    if user_is_partner(request.auth):
        household_read_log(
            user=request.auth,
            household_uuids=list(dict.fromkeys(r.household.uuid for r in referrals)),
            purpose=PURPOSE_API,
        )
        return partner_referral_rows(referrals)
    return [review_row(r) for r in referrals]


def _referral(request, referral_id: str) -> Referral:
    try:
        return access_referral_by_id(user=request.auth, referral_id=referral_id)
    except ObjectNotFound as exc:
        raise HttpError(404, str(exc)) from exc


@router.get("/", summary="Remisiones visibles para quien consulta (paginado)")
def referrals_list(
    request,
    page: int = 1,
    per_page: int = 50,
    state: str = "",
    overdue: bool = False,
):
    queryset = referrals_search(user=request.auth, state=state or None, overdue=overdue)
    page = max(page, 1)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = queryset.count()
    start = (page - 1) * per_page
    contents = _rows(request, list(queryset[start : start + per_page]))
    return {
        "total_items": total,
        "total_pages": math.ceil(total / per_page),
        "page_number": page,
        "size": len(contents),
        "generated_at": timezone.now(),
        "contents": contents,
    }


@router.get("/{referral_id}", summary="Una remisión")
def referral_detail(request, referral_id: str):
    return _rows(request, [_referral(request, referral_id)])[0]


class TransitionIn(Schema):
    action: str
    reason: str = ""
    note: str = ""
    enrolled_on: date | None = None
    served_on: date | None = None
    method: str = ""


@router.post("/{referral_id}/transition", summary="Mover la remisión en su ciclo de vida")
def referral_transition(request, referral_id: str, payload: TransitionIn):
    """Actions: ``receive``, ``accept``, ``reject`` (reason), ``start``, ``hold``,
    ``complete`` (enrolled_on, served_on), ``serve`` (served_on), ``fail`` (reason);
    reviewers: ``consent`` (method), ``approve``, ``cancel`` (reason)."""
    referral = _referral(request, referral_id)
    try:
        referral_act(
            referral=referral,
            actor=request.auth,
            action=payload.action,
            reason=payload.reason,
            note=payload.note,
            enrolled_on=payload.enrolled_on,
            served_on=payload.served_on,
            method=payload.method,
        )
    except ValidationFailed as exc:
        raise HttpError(400, " ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ObjectNotFound as exc:
        raise HttpError(404, str(exc)) from exc
    return _rows(request, [_referral(request, referral_id)])[0]
