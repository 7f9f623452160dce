"""Forms of the referral pages: review filters, one action on a referral, the partner CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oferta.offers.models import Organization, Service

from .access import referrals_visible_to, routing_runs_visible_to
from .states import ClosureReason, ConsentMethod, ReferralState

BLANK = [("", "—")]

ACTION_LABELS: dict[str, Any] = {
    "consent": _("Registrar consentimiento"),
    "approve": _("Aprobar y enviar"),
    "receive": _("Marcar como recibida"),
    "accept": _("Aceptar"),
    "reject": _("Rechazar"),
    "start": _("Iniciar gestión"),
    "hold": _("Poner en pausa"),
    "complete": _("Confirmar inscripción"),
    "serve": _("Registrar atención"),
    "fail": _("Marcar como fallida"),
    "cancel": _("Cancelar"),
}


class ReviewFilterForm(forms.Form):
    run = forms.ChoiceField(label=_("Corrida"), required=False)
    state = forms.ChoiceField(
        label=_("Estado"), required=False, choices=BLANK + list(ReferralState.choices)
    )
    municipality = forms.RegexField(
        label=_("Municipio (código DIVIPOLA)"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Escriba el código DIVIPOLA de 5 dígitos.")},
    )
    offer = forms.ChoiceField(label=_("Oferta"), required=False)
    organization = forms.ChoiceField(label=_("Entidad"), required=False)
    overdue = forms.BooleanField(label=_("Solo vencidas"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = referrals_visible_to(user=user)
        runs = routing_runs_visible_to(user=user)
        self.fields["run"].choices = BLANK + [(str(r.uuid), str(r)) for r in runs[:200]]
        offers = Service.objects.filter(pk__in=visible.values("offer_id")).order_by("name")
        self.fields["offer"].choices = BLANK + [(str(o.pk), o.name) for o in offers]
        organizations = Organization.objects.filter(
            pk__in=visible.values("offer__organization_id")
        ).order_by("name")
        self.fields["organization"].choices = BLANK + [(str(o.pk), o.name) for o in organizations]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "run_id": data["run"] or None,
            "state": data["state"] or None,
            "municipality_code": data["municipality"] or None,
            "offer_id": data["offer"] or None,
            "organization_id": data["organization"] or None,
            "overdue": data["overdue"],
        }


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    reason = forms.ChoiceField(
        label=_("Motivo"), required=False, choices=BLANK + list(ClosureReason.choices)
    )
    note = forms.CharField(
        label=_("Observación"), required=False, max_length=1000, widget=forms.Textarea
    )
    enrolled_on = forms.DateField(
        label=_("Fecha de inscripción"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    served_on = forms.DateField(
        label=_("Fecha de atención"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(
        label=_("Forma del consentimiento"),
        required=False,
        choices=BLANK + list(ConsentMethod.choices),
    )


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("consent_selected", _("Registrar consentimiento de las seleccionadas")),
            ("approve_selected", _("Aprobar las seleccionadas")),
            ("consent_matching", _("Registrar consentimiento de todas las que coinciden")),
            ("approve_matching", _("Aprobar todas las que coinciden")),
        ]
    )
    method = forms.ChoiceField(required=False, choices=BLANK + list(ConsentMethod.choices))
    run = forms.UUIDField(required=False)
    municipality = forms.RegexField(regex=r"^\d{5}$", required=False)
    offer = forms.UUIDField(required=False)
    organization = forms.UUIDField(required=False)
    query = forms.CharField(required=False, max_length=2000)


class PartnerCsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV diligenciado"),
        help_text=_("El mismo archivo descargado, con las columnas de respuesta llenas."),
    )
