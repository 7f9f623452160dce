"""Forms of the referral pages: review filters, one action on a referral, the partner CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oferta.core.identifiers import as_uuid
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


# --------------------------------------------------------------------------- follow-up dashboard


class DashboardFilterForm(forms.Form):
    """Filters of ``/remisiones/seguimiento/`` (GET, Spanish parameter names as in the URL)."""

    territorio = forms.ChoiceField(
        label=_("Territorio"),
        required=False,
        error_messages={
            "invalid_choice": _("El territorio «%(value)s» no existe o está fuera de su alcance.")
        },
    )
    agrupar = forms.ChoiceField(
        label=_("Agrupar por"),
        required=False,
        error_messages={
            "invalid_choice": _("Agrupe por oferta, entidad, departamento o municipio.")
        },
    )
    corrida = forms.ChoiceField(
        label=_("Corrida"),
        required=False,
        error_messages={"invalid_choice": _("La corrida no existe o no tiene acceso a ella.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from .dashboards import GROUPINGS, dashboard_territory_choices

        super().__init__(*args, **kwargs)
        territories = dashboard_territory_choices(user=user)
        self.fields["territorio"].choices = [("", _("Todo su alcance")), *territories]
        self.fields["agrupar"].choices = [("", _("Automático")), *GROUPINGS.items()]
        runs = routing_runs_visible_to(user=user)
        if runs.exists():
            # The list offers the newest runs; an older run the user may see is still accepted
            # when asked for by its identifier (a bookmarked dashboard of last year's run).
            choices = [(str(r.uuid), str(r)) for r in runs.order_by("-created_at", "-id")[:200]]
            wanted = str(self.data.get("corrida") or "").strip()
            if wanted and wanted not in {uuid for uuid, _label in choices}:
                older = runs.filter(uuid=as_uuid(wanted)).first() if as_uuid(wanted) else None
                if older is not None:
                    choices.append((str(older.uuid), str(older)))
            self.fields["corrida"].choices = BLANK + choices
        else:
            del self.fields["corrida"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Without runs to choose from the field is not shown; a run asked for in the URL must
        # still be refused, not ignored (the page would read as that run's figures).
        if "corrida" not in self.fields and self.data.get("corrida"):
            raise forms.ValidationError(
                _("La corrida no existe o no tiene acceso a ella."), code="invalid_run"
            )
        return cleaned

    def filters(self) -> dict[str, Any]:
        """``territory_code``, ``by`` and ``run_id`` (``None`` when not given); call after
        ``is_valid()``."""
        data = self.cleaned_data
        return {
            "territory_code": data.get("territorio") or None,
            "by": data.get("agrupar") or None,
            "run_id": data.get("corrida") or None,
        }


# --------------------------------------------------------------------------- routing runs


_WEIGHT_ERRORS = {
    "required": _("Escriba el peso (0 si no quiere dar esta prioridad)."),
    "invalid": _("Escriba un número, por ejemplo 30 o 12.5."),
    "min_value": _("El peso no puede ser negativo."),
    "max_value": _("El peso no puede pasar de 100 %%."),
    "max_decimal_places": _("Use como máximo un decimal."),
    "max_digits": _("Escriba un número entre 0 y 100."),
    "max_whole_digits": _("Escriba un número entre 0 y 100."),
}


class RoutingRunForm(forms.Form):
    """Start a run: one department or municipality (within the user's scope), K and the
    priority policy's weights (percentages, prefilled with the default policy)."""

    territory = forms.ChoiceField(label=_("Territorio"))
    k_max = forms.IntegerField(
        label=_("Máximo de ofertas por hogar (K)"),
        min_value=1,
        max_value=10,
        initial=3,
        error_messages={
            "required": _("Escriba K, el máximo de ofertas por hogar."),
            "invalid": _("K debe ser un número entero."),
            "min_value": _("K debe ser al menos 1."),
            "max_value": _("K no puede pasar de 10."),
        },
    )
    name = forms.CharField(label=_("Nombre (opcional)"), max_length=120, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from oferta.territories.models import Department, Municipality

        from .policies import WEIGHTS, default_percentages
        from .routing import routing_departments_for

        super().__init__(*args, **kwargs)
        allowed = routing_departments_for(user=user)
        departments = Department.objects.order_by("code")
        municipalities = Municipality.objects.select_related("department").order_by("code")
        if allowed is not None:
            departments = departments.filter(code__in=allowed)
            municipalities = municipalities.filter(department__code__in=allowed)
        self.fields["territory"].choices = [
            (_("Departamentos"), [(d.code, f"{d.code} · {d.name}") for d in departments]),
            (_("Municipios"), [(m.code, f"{m.code} · {m.name}") for m in municipalities]),
        ]
        self.fields["territory"].error_messages["invalid_choice"] = _(
            "Elija un departamento o municipio de su alcance."
        )
        defaults = default_percentages()
        if self.is_bound:
            # A client that sends no weights at all (older pages, scripts) gets the default
            # policy; a weight sent empty is an error, as the page always sends them.
            missing = {f"weight_{w.field}" for w in WEIGHTS} - set(self.data)
            if missing:
                self.data = self.data.copy()
                for key in missing:
                    self.data[key] = str(defaults[key.removeprefix("weight_")])
        for weight in WEIGHTS:
            self.fields[f"weight_{weight.field}"] = forms.DecimalField(
                label=weight.label,
                help_text=weight.help,
                min_value=0,
                max_value=100,
                max_digits=4,
                decimal_places=1,
                initial=defaults[weight.field],
                error_messages=_WEIGHT_ERRORS,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )

    def weight_fields(self) -> list[Any]:
        from .policies import WEIGHT_FIELDS

        return [self[f"weight_{name}"] for name in WEIGHT_FIELDS]

    def policy(self) -> Any:
        """The :class:`PriorityPolicy` of the cleaned weights (call after ``is_valid()``)."""
        from .policies import WEIGHT_FIELDS, policy_from_percentages

        return policy_from_percentages(
            {name: self.cleaned_data[f"weight_{name}"] for name in WEIGHT_FIELDS}
        )


class RunHouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Número de documento de un integrante o identificador del hogar en el registro"),
        max_length=64,
        error_messages={"required": _("Escriba un número de documento o un identificador.")},
    )
