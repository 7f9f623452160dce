"""Forms of the offer catalogue: the search filters and the offer editor with its row sets.

Forms only validate and turn input into the plain ``data`` that ``offer_create`` and
``offer_update`` take; they never save.
"""

from __future__ import annotations

import itertools
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oferta.territories.models import Department, Municipality

from .eligibility import rule_errors
from .models import (
    EntityLevel,
    Organization,
    Program,
    RuleScope,
    Service,
    ServiceStatus,
)
from .selectors import territory_exists, territory_kind
from .services import CONTACT_FIELDS, PHONE_RE, area_scope_for, contact_values
from .taxonomies import terms_of

CODE_HELP = _("«CO» para todo el país, 2 dígitos para un departamento, 5 para un municipio.")


def _term_choices(key: str) -> list[tuple[str, str]]:
    return list(terms_of(key).order_by("name").values_list("code", "name"))


# --------------------------------------------------------------------------- catalogue filters


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters. Every field is optional; invalid values are ignored."""

    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Nombre, entidad o palabra clave")}
        ),
    )
    department = forms.ChoiceField(label=_("Departamento"), required=False)
    municipality = forms.ChoiceField(label=_("Municipio"), required=False)
    indicator = forms.MultipleChoiceField(
        label=_("Privación IPM o condición monetaria"), required=False
    )
    organization = forms.ChoiceField(label=_("Entidad"), required=False)
    population = forms.ChoiceField(label=_("Población"), required=False)
    channel = forms.ChoiceField(label=_("Canal de atención"), required=False)
    status = forms.ChoiceField(label=_("Estado"), required=False)
    level = forms.ChoiceField(label=_("Orden de la entidad"), required=False)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Todos"))]
        f = self.fields
        f["department"].widget.attrs.update(
            {
                # htmx refreshes the municipality options when the department changes.
                "hx-get": reverse("offers:municipality_options"),
                "hx-target": "#id_municipality",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        f["department"].choices = [("", _("Todos los departamentos"))] + [
            (d.code, f"{d.name} ({d.code})") for d in Department.objects.order_by("name")
        ]
        department = (self.data.get("department") or "") if self.is_bound else ""
        municipalities = municipality_choices(department)
        f["municipality"].choices = [("", _("Todos los municipios")), *municipalities]
        f["indicator"].choices = _term_choices("ipm_indicators")
        organizations = organizations if organizations is not None else Organization.objects.all()
        f["organization"].choices = [("", _("Todas las entidades"))] + [
            (str(o.id), o.name) for o in organizations.order_by("name").only("id", "name")
        ]
        f["population"].choices = every + _term_choices("target_populations")
        f["channel"].choices = every + _term_choices("channels")
        f["status"].choices = every + list(ServiceStatus.choices)
        f["level"].choices = every + list(EntityLevel.choices)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``service_search`` from the valid fields only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "department_code": data.get("department") or "",
            "municipality_code": data.get("municipality") or "",
            "indicator_codes": data.get("indicator") or [],
            "organization_id": data.get("organization") or None,
            "population_code": data.get("population") or "",
            "channel_code": data.get("channel") or "",
            "status": data.get("status") or "",
            "level": data.get("level") or "",
        }


def municipality_choices(department_code: str) -> list[tuple[str, str]]:
    if not department_code:
        return []
    return list(
        Municipality.objects.filter(department_id=department_code)
        .order_by("name")
        .values_list("code", "name")
    )


# --------------------------------------------------------------------------- offer editor


class TermsField(forms.ModelMultipleChoiceField):
    def __init__(self, key: str, **kwargs: Any) -> None:
        super().__init__(
            queryset=terms_of(key).order_by("name"),
            to_field_name="code",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class OfferForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Entidad"),
        queryset=Organization.objects.none(),
        to_field_name="id",
        error_messages={
            "required": _("Seleccione la entidad que ofrece la oferta."),
            "invalid_choice": _("Seleccione una entidad que usted pueda editar."),
        },
    )
    program = forms.ModelChoiceField(
        label=_("Programa"),
        queryset=Program.objects.select_related("organization").order_by("name"),
        to_field_name="id",
        required=False,
        empty_label=_("Sin programa"),
        error_messages={"invalid_choice": _("Seleccione un programa de la lista.")},
    )
    name = forms.CharField(
        label=_("Nombre"),
        max_length=255,
        error_messages={"required": _("El nombre de la oferta es obligatorio.")},
    )
    alternate_name = forms.CharField(label=_("Nombre alterno"), max_length=255, required=False)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label=_("Estado"), choices=ServiceStatus.choices)
    alert = forms.CharField(
        label=_("Alerta"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # who it is for
    target_populations = TermsField("target_populations", label=_("Población objetivo"))
    minimum_age = forms.IntegerField(
        label=_("Edad mínima"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"min_value": _("La edad no puede ser negativa.")},
    )
    maximum_age = forms.IntegerField(
        label=_("Edad máxima"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"min_value": _("La edad no puede ser negativa.")},
    )
    differential_approaches = TermsField(
        "differential_approaches", label=_("Enfoques diferenciales")
    )
    ipm_indicators = TermsField(
        "ipm_indicators", label=_("Privaciones IPM y condición monetaria que atiende")
    )
    # eligibility
    eligibility_description = forms.CharField(
        label=_("Requisitos"), widget=forms.Textarea, required=False
    )
    eligibility_scope = forms.ChoiceField(
        label=_("La regla se evalúa para"), choices=RuleScope.choices
    )
    eligibility_rule = forms.CharField(
        label=_("Regla de elegibilidad (CEL)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "code", "spellcheck": "false"}),
        required=False,
        help_text=_("Expresión CEL sobre las variables documentadas del hogar y sus integrantes."),
    )
    eligibility_rule_description = forms.CharField(
        label=_("Descripción de la regla"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    legal_basis = forms.CharField(
        label=_("Fundamento legal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # how to apply
    application_process = forms.CharField(
        label=_("Cómo acceder"), widget=forms.Textarea, required=False
    )
    required_documents = forms.CharField(
        label=_("Documentos requeridos"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Un documento por línea."),
    )
    fees_description = forms.CharField(
        label=_("Costos"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    channels = TermsField("channels", label=_("Canales de atención"))
    url = forms.CharField(label=_("Enlace"), max_length=500, required=False)
    email = forms.EmailField(
        label=_("Correo de contacto"),
        required=False,
        error_messages={"invalid": _("Escriba un correo electrónico válido.")},
    )
    # contact person (the offer's first HSDS contact and its first phone)
    contact_name = forms.CharField(
        label=_("Nombre de la persona de contacto"), max_length=255, required=False
    )
    contact_title = forms.CharField(label=_("Cargo"), max_length=255, required=False)
    contact_department = forms.CharField(label=_("Dependencia"), max_length=255, required=False)
    contact_email = forms.EmailField(
        label=_("Correo de la persona de contacto"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Escriba un correo electrónico válido.")},
    )
    contact_phone = forms.RegexField(
        label=_("Teléfono"),
        regex=PHONE_RE,
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Solo dígitos, espacios y los signos + y -; por ejemplo +57 601 514 9100."),
        error_messages={
            "invalid": _("El teléfono solo puede tener dígitos, espacios y los signos + y -."),
            "max_length": _("El teléfono no puede tener más de %(limit_value)d caracteres."),
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from .access import organizations_editable_by

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_editable_by(user=user).order_by("name")

    def clean_required_documents(self) -> list[str]:
        text = self.cleaned_data.get("required_documents") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age", _("La edad máxima no puede ser menor que la edad mínima.")
            )
        program, organization = data.get("program"), data.get("organization")
        if (
            program is not None
            and organization is not None
            and program.organization_id
            not in (
                None,
                organization.pk,
            )
        ):
            self.add_error("program", _("El programa no pertenece a la entidad seleccionada."))
        rule = (data.get("eligibility_rule") or "").strip()
        data["eligibility_rule"] = rule
        if rule:
            for message in rule_errors(rule, scope=data.get("eligibility_scope") or "household"):
                self.add_error("eligibility_rule", message)
        return data

    @staticmethod
    def initial_from(service: Service) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(service, name)
            for name in (
                "name",
                "alternate_name",
                "description",
                "status",
                "alert",
                "minimum_age",
                "maximum_age",
                "eligibility_description",
                "eligibility_scope",
                "eligibility_rule",
                "eligibility_rule_description",
                "legal_basis",
                "application_process",
                "fees_description",
                "url",
                "email",
            )
        }
        initial["organization"] = service.organization_id
        initial["program"] = service.program_id
        for m2m in ("target_populations", "differential_approaches", "ipm_indicators", "channels"):
            initial[m2m] = [t.code for t in getattr(service, m2m).all()]
        initial["required_documents"] = "\n".join(
            service.required_documents.order_by("document").values_list("document", flat=True)
        )
        for key, value in contact_values(service).items():
            initial[f"contact_{key}"] = value
        return initial

    def service_data(self) -> dict[str, Any]:
        """Cleaned data in the shape the services take (contact fields grouped)."""
        data = dict(self.cleaned_data)
        data["contact"] = {key: data.pop(f"contact_{key}", "") or "" for key in CONTACT_FIELDS}
        return data


def _clean_code(value: str, *, required: bool) -> str:
    code = (value or "").strip().upper()
    if not code:
        if required:
            raise forms.ValidationError(_("Escriba el código DIVIPOLA del territorio."))
        return ""
    if territory_kind(code) is None:
        raise forms.ValidationError(
            _(
                "«%(code)s» no es un código válido: use «CO», 2 dígitos (departamento) o 5 "
                "(municipio)."
            ),
            params={"code": code},
        )
    if not territory_exists(code):
        raise forms.ValidationError(
            _("El código DIVIPOLA «%(code)s» no existe."), params={"code": code}
        )
    return code


class ServiceAreaForm(forms.Form):
    divipola_code = forms.CharField(
        label=_("Territorio (DIVIPOLA)"), max_length=5, required=False, help_text=CODE_HELP
    )

    def clean_divipola_code(self) -> str:
        return _clean_code(self.cleaned_data.get("divipola_code", ""), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("divipola_code"):
            data["scope"] = area_scope_for(data["divipola_code"])
        return data


class SlotForm(forms.Form):
    territory_code = forms.CharField(
        label=_("Territorio (DIVIPOLA)"),
        max_length=5,
        help_text=CODE_HELP,
        error_messages={"required": _("Escriba el código DIVIPOLA del territorio.")},
    )
    period_start = forms.DateField(
        label=_("Desde"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique el inicio del periodo."),
            "invalid": _("Escriba una fecha válida (AAAA-MM-DD)."),
        },
    )
    period_end = forms.DateField(
        label=_("Hasta"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique el fin del periodo."),
            "invalid": _("Escriba una fecha válida (AAAA-MM-DD)."),
        },
    )
    places = forms.IntegerField(
        label=_("Cupos"),
        min_value=0,
        error_messages={
            "required": _("Indique el número de cupos."),
            "min_value": _("Los cupos no pueden ser negativos."),
            "invalid": _("Escriba un número entero."),
        },
    )
    notes = forms.CharField(label=_("Notas"), max_length=255, required=False)

    def clean_territory_code(self) -> str:
        return _clean_code(self.cleaned_data.get("territory_code", ""), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("El periodo termina antes de empezar."))
        return data


class EnrolmentWindowForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Abre"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique la fecha de apertura."),
            "invalid": _("Escriba una fecha válida (AAAA-MM-DD)."),
        },
    )
    closes_on = forms.DateField(
        label=_("Cierra"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indique la fecha de cierre."),
            "invalid": _("Escriba una fecha válida (AAAA-MM-DD)."),
        },
    )
    territory_code = forms.CharField(
        label=_("Territorio (opcional)"), max_length=5, required=False, help_text=CODE_HELP
    )
    description = forms.CharField(label=_("Descripción"), max_length=255, required=False)

    def clean_territory_code(self) -> str:
        return _clean_code(self.cleaned_data.get("territory_code", ""), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La convocatoria cierra antes de abrir."))
        return data


class _RowFormSet(forms.BaseFormSet):
    """Blank extra rows are ignored; rows marked for deletion are dropped."""

    def _kept_forms(self) -> list[forms.Form]:
        initial_count = self.initial_form_count()
        return [
            f
            for i, f in enumerate(self.forms)
            if (i < initial_count or f.has_changed()) and not self._should_delete_form(f)
        ]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self._kept_forms()
            if f.cleaned_data
        ]

    def _live_forms(self) -> list[forms.Form]:
        return [f for f in self._kept_forms() if f.is_valid()]


class ServiceAreaFormSet(_RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self._live_forms():
            code = form.cleaned_data["divipola_code"]
            if code in seen:
                form.add_error("divipola_code", _("Este territorio ya está en la lista."))
            seen.add(code)


class SlotFormSet(_RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        by_territory: dict[str, list[forms.Form]] = {}
        for form in self._live_forms():
            by_territory.setdefault(form.cleaned_data["territory_code"], []).append(form)
        for rows in by_territory.values():
            rows.sort(key=lambda f: f.cleaned_data["period_start"])
            for previous, current in itertools.pairwise(rows):
                if current.cleaned_data["period_start"] <= previous.cleaned_data["period_end"]:
                    current.add_error(
                        "period_start",
                        _("Este periodo se cruza con otro periodo de cupos del mismo territorio."),
                    )


AreaRows = forms.formset_factory(
    ServiceAreaForm, formset=ServiceAreaFormSet, extra=1, can_delete=True
)
SlotRows = forms.formset_factory(SlotForm, formset=SlotFormSet, extra=1, can_delete=True)
WindowRows = forms.formset_factory(
    EnrolmentWindowForm, formset=_RowFormSet, extra=1, can_delete=True
)


class OfferEditor:
    """The offer form plus its three row sets, validated and turned into service data together."""

    PREFIXES = {"areas": "areas", "slots": "slots", "windows": "windows"}

    def __init__(self, *, user: Any, data: Any = None, service: Service | None = None) -> None:
        initial = OfferForm.initial_from(service) if service is not None else None
        self.form = OfferForm(data, user=user, initial=initial)
        self.areas = AreaRows(
            data,
            prefix="areas",
            initial=None
            if service is None
            else [
                {"divipola_code": "CO" if a.scope == "nation" else a.divipola_code}
                for a in service.service_areas.order_by("divipola_code")
            ],
        )
        self.slots = SlotRows(
            data,
            prefix="slots",
            initial=None
            if service is None
            else list(
                service.slots.values(
                    "territory_code", "period_start", "period_end", "places", "notes"
                )
            ),
        )
        self.windows = WindowRows(
            data,
            prefix="windows",
            initial=None
            if service is None
            else list(
                service.enrolment_windows.values(
                    "opens_on", "closes_on", "territory_code", "description"
                )
            ),
        )

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.areas.is_valid(), self.slots.is_valid(),
                   self.windows.is_valid()]  # fmt: skip
        return all(results)

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for rows in (self.areas, self.slots, self.windows):
            count += sum(1 for e in rows.errors if e) + len(rows.non_form_errors())
        return count

    def data(self) -> dict[str, Any]:
        data = self.form.service_data()
        data["service_areas"] = [
            {"divipola_code": r["divipola_code"], "scope": r["scope"]} for r in self.areas.rows()
        ]
        data["slots"] = self.slots.rows()
        data["enrolment_windows"] = self.windows.rows()
        return data
