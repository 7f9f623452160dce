"""Forms of the household pages: the search box and the registry upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oferta.engine.diagnostics.methods import METHODS, parse_k

from .explanations import method_name
from .services import DEFAULT_K, DEFAULT_METHOD

ALLOWED_SUFFIXES = (".csv", ".parquet", ".xlsx")


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Número de documento o nombre"),
        max_length=120,
        required=False,
        help_text=_(
            "Documento: el número exacto. Nombre: el comienzo de cada palabra, sin importar "
            "tildes ni mayúsculas (por ejemplo «ana gom»)."
        ),
    )


def _check_suffix(upload) -> None:
    if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise forms.ValidationError(
            _("Formato no admitido: use CSV, Parquet o XLSX (archivo «%(name)s»).")
            % {"name": Path(upload.name).name}
        )


class RegistryUploadForm(forms.Form):
    households_file = forms.FileField(
        label=_("Archivo de hogares"), help_text=_("CSV, Parquet o XLSX (contrato v1).")
    )
    persons_file = forms.FileField(
        label=_("Archivo de personas"), help_text=_("CSV, Parquet o XLSX (contrato v1).")
    )
    as_of = forms.DateField(
        label=_("Fecha de referencia"),
        help_text=_("Las edades se calculan a esta fecha."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    method = forms.ChoiceField(label=_("Método IPM"), initial=DEFAULT_METHOD)
    k = forms.CharField(
        label=_("Umbral k"), initial=DEFAULT_K, max_length=16, help_text=_("0.33, 1/3 o 33%")
    )
    strict = forms.BooleanField(
        label=_("Modo estricto: si alguna fila tiene errores, no cargar nada"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(code, method_name(code)) for code in METHODS]
        self.fields["as_of"].initial = timezone.localdate()

    def clean_households_file(self):
        upload = self.cleaned_data["households_file"]
        _check_suffix(upload)
        return upload

    def clean_persons_file(self):
        upload = self.cleaned_data["persons_file"]
        _check_suffix(upload)
        return upload

    def clean_k(self) -> str:
        k = self.cleaned_data["k"].strip()
        try:
            parse_k(k)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return k
