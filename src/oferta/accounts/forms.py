"""Forms for the account pages: shape of the input only; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oferta.offers.models import Organization
from oferta.territories.models import Department, Municipality

from .models import Role
from .services import API_TOKEN_MAX_DAYS

TOKEN_VALIDITY_CHOICES = [
    (30, _("30 días")),
    (90, _("90 días")),
    (180, _("180 días")),
    (API_TOKEN_MAX_DAYS, _("1 año")),
]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=100,
        help_text=_("Para reconocerlo después, por ejemplo: «integración SISBEN»."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Vigencia"), choices=TOKEN_VALIDITY_CHOICES, coerce=int, initial=90
    )


class RoleScopeForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departamentos (analista regional)"),
        queryset=Department.objects.order_by("name"),
        required=False,
    )
    organization = forms.ModelChoiceField(
        label=_("Entidad (usuario de entidad aliada)"),
        queryset=Organization.objects.order_by("name"),
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipio (usuario municipal): código DIVIPOLA"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
        error_messages={"invalid_choice": _("No existe un municipio con ese código DIVIPOLA.")},
    )


class UserCreateForm(RoleScopeForm):
    username = forms.CharField(label=_("Usuario"), max_length=150)
    email = forms.EmailField(label=_("Correo"), required=False)
    password1 = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repita la contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "email",
        "password1",
        "password2",
        "role",
        "departments",
        "organization",
        "municipality",
    ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Las contraseñas no coinciden."))
        return cleaned
