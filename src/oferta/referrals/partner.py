"""What a partner entity sees of a referral: the one definition of the minimised view.

Ley 1581 de 2012 (data minimisation): the entity gets only what it needs to contact and enrol
the household: who (name, document), where (municipality), what (offer), the state and the due
date. Never the household's deprivations, income, Sisbén group or other members. The partner
inbox page, the JSON API and the partner CSV all build their rows with
:func:`partner_referral_rows`, so adding or removing a field here changes all three.

The registry contract (v1) carries no telephone; when it gains one, add it here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oferta.households.models import Person
from oferta.territories.models import Municipality

from .models import Referral
from .states import ClosureReason, state_label


@dataclass(frozen=True)
class PartnerField:
    key: str  # API key and CSV column
    label: Any  # Spanish page header


PARTNER_REFERRAL_FIELDS: tuple[PartnerField, ...] = (
    PartnerField("remision", _("Remisión")),
    PartnerField("nombres", _("Nombres")),
    PartnerField("apellidos", _("Apellidos")),
    PartnerField("tipo_documento", _("Tipo de documento")),
    PartnerField("numero_documento", _("Número de documento")),
    PartnerField("municipio_codigo", _("Código del municipio")),
    PartnerField("municipio", _("Municipio")),
    PartnerField("oferta", _("Oferta")),
    PartnerField("estado_actual", _("Estado")),
    PartnerField("fecha_limite", _("Fecha límite")),
    PartnerField("fecha_inscripcion_registrada", _("Inscripción")),
    PartnerField("fecha_atencion_registrada", _("Atención")),
    PartnerField("motivo_registrado", _("Motivo")),
)
"""The partner's view of a referral, in display order. Nothing else leaves for a partner."""

partner_referral_fields: tuple[str, ...] = tuple(f.key for f in PARTNER_REFERRAL_FIELDS)


def _contacts(referrals: list[Referral]) -> dict[int, Person | None]:
    """The person each referral is about: the referred member, or else the household head
    (else its first member) for household-level offers. One query for the heads."""
    need_head = {r.household_id for r in referrals if r.person_id is None}
    heads: dict[int, Person] = {}
    if need_head:
        members = Person.objects.filter(household_id__in=need_head).only(
            "household_id",
            "relationship",
            "first_names",
            "last_names",
            "document_type",
            "document_number",
        )
        for member in members.order_by("household_id", "pk"):
            current = heads.get(member.household_id)
            if current is None or (
                member.relationship == "head" and current.relationship != "head"
            ):
                heads[member.household_id] = member
    return {r.pk: r.person if r.person_id else heads.get(r.household_id) for r in referrals}


def partner_referral_rows(referrals: Iterable[Referral]) -> list[dict[str, str]]:
    """The minimised rows (keys :data:`partner_referral_fields`, values as text) for referrals
    fetched with ``select_related("household", "person", "offer")``."""
    referrals = list(referrals)
    contacts = _contacts(referrals)
    codes = {r.household.municipality_code for r in referrals}
    names = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for referral in referrals:
        person = contacts.get(referral.pk)
        code = referral.household.municipality_code
        rows.append(
            {
                "remision": str(referral.uuid),
                "nombres": person.first_names if person else "",
                "apellidos": person.last_names if person else "",
                "tipo_documento": person.document_type if person else "",
                "numero_documento": person.document_number if person else "",
                "municipio_codigo": code,
                "municipio": names.get(code, ""),
                "oferta": referral.offer.name,
                "estado_actual": referral.state,
                "fecha_limite": (
                    timezone.localdate(referral.due_at).isoformat() if referral.due_at else ""
                ),
                "fecha_inscripcion_registrada": (
                    referral.enrolled_on.isoformat() if referral.enrolled_on else ""
                ),
                "fecha_atencion_registrada": (
                    referral.served_on.isoformat() if referral.served_on else ""
                ),
                "motivo_registrado": referral.closure_reason,
            }
        )
    assert all(tuple(row) == partner_referral_fields for row in rows)
    return rows


def display_row(row: dict[str, str]) -> dict[str, str]:
    """A minimised row with labels for people (state and reason in Spanish)."""
    shown = dict(row)
    shown["estado_actual"] = state_label(row["estado_actual"])
    if row["motivo_registrado"]:
        with contextlib.suppress(ValueError):
            shown["motivo_registrado"] = str(ClosureReason(row["motivo_registrado"]).label)
    return shown
