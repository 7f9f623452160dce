"""Forms of the prioritisation page: preset, weights and department (GET), capacity CSV (POST)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from oferta.engine.prioritisation import PRESETS
from oferta.territories.selectors import department_options

from .priorities import COMPONENT_LABELS, DEFAULT_PRESET, preset_choices

WEIGHT_PREFIX = "w_"
MAX_WEIGHT = Decimal(1000)


def _weight_text(value: float) -> str:
    return f"{value:g}"


def priority_form_data(query: QueryDict) -> dict[str, Any]:
    """The GET parameters as form data. Weights typed for another preset (the hidden
    ``weights_for`` names it) are dropped: changing the preset starts from its defaults."""
    data: dict[str, Any] = {k: query.get(k) for k in query}
    preset = data.get("preset") or DEFAULT_PRESET
    data["preset"] = preset
    if preset in PRESETS and data.get("weights_for") != preset:
        for component in PRESETS[preset].components:
            data[WEIGHT_PREFIX + component.key] = _weight_text(component.weight)
    data["weights_for"] = preset
    return data


class PriorityForm(forms.Form):
    preset = forms.ChoiceField(label=_("Preajuste"), choices=())
    department = forms.ChoiceField(label=_("Departamento"), required=False, choices=())
    weights_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = preset_choices()
        self.fields["department"].choices = [("", _("Todo el país")), *department_options()]
        first = next(iter(PRESETS.values()))
        for component in first.components:
            self.fields[WEIGHT_PREFIX + component.key] = forms.DecimalField(
                label=COMPONENT_LABELS.get(component.key, component.label),
                required=True,
                min_value=Decimal(0),
                max_value=MAX_WEIGHT,
                max_digits=8,
                decimal_places=3,
                localize=True,
                error_messages={
                    "required": _("Escriba un peso (0 si no debe contar)."),
                    "invalid": _("Escriba un número, por ejemplo 25 o 12,5."),
                    "min_value": _("El peso no puede ser negativo."),
                    "max_value": _("El peso no puede ser mayor que 1.000."),
                    "max_digits": _("Use como máximo 3 decimales."),
                    "max_decimal_places": _("Use como máximo 3 decimales."),
                    "max_whole_digits": _("El peso no puede ser mayor que 1.000."),
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(WEIGHT_PREFIX)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weights = [cleaned.get(n) for n in self.fields if n.startswith(WEIGHT_PREFIX)]
        if all(w is not None for w in weights) and not any(w > 0 for w in weights if w):
            raise forms.ValidationError(_("Al menos un peso debe ser mayor que cero."))
        return cleaned

    def weights(self) -> dict[str, float]:
        return {
            name[len(WEIGHT_PREFIX) :]: float(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(WEIGHT_PREFIX)
        }


class CapacityUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV"),
        help_text=_("Columnas: municipality_code, score (0–100) y, opcional, source."),
        error_messages={"required": _("Elija un archivo CSV.")},
    )
    source = forms.CharField(
        label=_("Fuente de los puntajes"),
        max_length=255,
        required=False,
        help_text=_("Por ejemplo: DNP, Medición del Desempeño Municipal 2022."),
    )
