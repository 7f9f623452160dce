"""Account pages: a person's own API tokens; user management for national administrators.

Thin: the access functions decide who may touch what, the services write and audit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from oferta.core.errors import ObjectNotFound, PermissionDenied, ValidationFailed

from . import selectors, services
from .access import access_api_token_for_owner, access_user_for_admin, user_is_account_admin
from .forms import ApiTokenCreateForm, RoleScopeForm, UserCreateForm

# Service field names that the forms call differently.
_FORM_FIELD = {"password": "password1"}


def _add_service_errors(form, error: ValidationFailed) -> None:
    for field, field_messages in error.errors.items():
        name = _FORM_FIELD.get(field, field)
        form.add_error(name if name in form.fields else None, field_messages)


def _require_account_admin(request) -> None:
    if not user_is_account_admin(user=request.user):
        raise DjangoPermissionDenied


@never_cache  # the page may carry a freshly created key
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_key = None
    new_token = None
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.api_token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationFailed as error:
            _add_service_errors(form, error)
        else:
            form = ApiTokenCreateForm()
    context = {
        "form": form,
        "tokens": selectors.api_tokens_of(user=request.user),
        "new_key": new_key,
        "new_token": new_token,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, token_uuid):
    try:
        token = access_api_token_for_owner(user=request.user, token_uuid=token_uuid)
    except ObjectNotFound as error:
        raise Http404(str(error)) from None
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token «%(name)s» revocado.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
def users(request):
    _require_account_admin(request)
    return render(request, "accounts/users.html", {"users": selectors.users_list()})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_account_admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                role=data["role"],
                password=data["password1"],
                departments=data["departments"],
                organization=data["organization"],
                municipality=data["municipality"],
            )
        except ValidationFailed as error:
            _add_service_errors(form, error)
        except PermissionDenied:
            raise DjangoPermissionDenied from None
        else:
            messages.success(request, _("Cuenta «%(u)s» creada.") % {"u": created.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, user_uuid):
    try:
        target = access_user_for_admin(user=request.user, user_uuid=user_uuid)
    except ObjectNotFound as error:
        raise Http404(str(error)) from None
    if request.method == "POST":
        form = RoleScopeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update_role_scope(
                    actor=request.user,
                    user=target,
                    role=data["role"],
                    departments=data["departments"],
                    organization=data["organization"],
                    municipality=data["municipality"],
                )
            except ValidationFailed as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Rol y alcance actualizados."))
                return redirect("accounts:user_detail", user_uuid=target.uuid)
    else:
        form = RoleScopeForm(
            initial={
                "role": target.role,
                "departments": list(target.departments.all()),
                "organization": target.organization,
                "municipality": target.municipality_id,
            }
        )
    context = {
        "target": target,
        "form": form,
        "events": selectors.audit_events_for(object_type="user", object_id=target.username)[:20],
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def user_deactivate(request, user_uuid):
    try:
        target = access_user_for_admin(user=request.user, user_uuid=user_uuid)
    except ObjectNotFound as error:
        raise Http404(str(error)) from None
    try:
        services.user_deactivate(actor=request.user, user=target)
    except ValidationFailed as error:
        for field_messages in error.errors.values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(request, _("Cuenta «%(u)s» desactivada.") % {"u": target.username})
    return redirect("accounts:user_detail", user_uuid=target.uuid)
