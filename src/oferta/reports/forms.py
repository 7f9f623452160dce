"""The report request form: a territory code (chosen from a search) and a format."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportFormat


class ReportRequestForm(forms.Form):
    code = forms.CharField(
        label=_("Territorio"),
        max_length=5,
        error_messages={"required": _("Elija un territorio de la lista.")},
    )
    fmt = forms.ChoiceField(
        label=_("Formato"),
        choices=ReportFormat.choices,
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )


class TerritorySearchForm(forms.Form):
    q = forms.CharField(label=_("Buscar territorio"), max_length=80, required=False)
