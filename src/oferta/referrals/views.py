"""Referral pages (thin: they call access, selectors, services and the partner CSV).

Reviewers (national, regional, municipal) work on ``/remisiones/``; partner users on their
inbox ``/remisiones/bandeja/``. Lists for reviewers show no names; partner pages show the
minimised fields and log each household shown (Ley 1581 de 2012).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oferta.core.errors import ObjectNotFound, ValidationFailed
from oferta.core.errors import PermissionDenied as ActionDenied
from oferta.core.http import htmx_template, not_found_as_404
from oferta.households.access import household_read_log

from .access import (
    access_referral_by_id,
    access_routing_run_by_id,
    user_can_review_referrals,
    user_is_partner,
)
from .forms import (
    ACTION_LABELS,
    ActionForm,
    BulkActionForm,
    DashboardFilterForm,
    PartnerCsvUploadForm,
    ReviewFilterForm,
    RoutingRunForm,
    RunHouseholdSearchForm,
)
from .models import Referral, RoutingRun
from .partner import PARTNER_REFERRAL_FIELDS, display_row, partner_referral_rows
from .partner_csv import FILL_COLUMNS, partner_csv_text, referrals_partner_csv_apply
from .policies import ADJUSTED_SUFFIX, policy_of_run, policy_rows
from .selectors import (
    referral_is_overdue,
    referral_review_summary,
    referral_timeline,
    referrals_overdue,
    referrals_search,
    routing_run_households_find,
    run_scope_filter,
)
from .services import (
    actions_available,
    referral_act,
    referrals_approve,
    referrals_approve_matching,
    referrals_record_consent,
    referrals_record_consent_matching,
)
from .states import ClosureReason, ConsentMethod, ReferralState, state_label

PAGE_SIZE = 50
PURPOSE_INBOX = "referral_inbox"
PURPOSE_CSV = "referral_csv"
PURPOSE_DETAIL = "referral_page"


def _errors_text(exc: ValidationFailed) -> str:
    return " ".join(m for ms in exc.errors.values() for m in ms)


def _require_reviewer(request: HttpRequest) -> None:
    if not user_can_review_referrals(user=request.user):
        raise PermissionDenied(_("Su rol no revisa remisiones."))


def _require_partner(request: HttpRequest) -> None:
    if not user_is_partner(request.user) or request.user.organization_id is None:
        raise PermissionDenied(_("La bandeja es para los usuarios de las entidades aliadas."))


def _referral_for(request: HttpRequest, referral_id: Any) -> Referral:
    with not_found_as_404():
        return access_referral_by_id(user=request.user, referral_id=referral_id)


def _run_filter(request: HttpRequest, run_id: Any) -> RoutingRun | None:
    """The routing run a list is filtered to, if any."""
    if not run_id:
        return None
    with not_found_as_404():
        return access_routing_run_by_id(user=request.user, run_id=run_id)


# --------------------------------------------------------------------------- review


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    if user_is_partner(request.user):
        return redirect("referrals:inbox")
    _require_reviewer(request)
    form = ReviewFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_bound else {}
    run = _run_filter(request, filters.get("run_id"))
    search = {k: v for k, v in filters.items() if k != "run_id"}
    queryset = referrals_search(user=request.user, run=run, **search)
    summary = referral_review_summary(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {"referral": r, "overdue": referral_is_overdue(r), "state_label": state_label(r.state)}
        for r in page.object_list
    ]
    return render(
        request,
        "referrals/review.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "summary": summary,
            "by_state": [
                (state_label(s), summary.by_state.get(s, 0))
                for s in ReferralState.values
                if summary.by_state.get(s)
            ],
            "run": run,
            "filters": filters,
            "query": query.urlencode(),
            "consent_methods": ConsentMethod.choices,
        },
    )


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = BulkActionForm(request.POST)
    back = reverse("referrals:review")
    if not form.is_valid():
        messages.error(request, _("La acción no es válida."))
        return redirect(back)
    data = form.cleaned_data
    if data["query"]:
        back = f"{back}?{data['query']}"
    action = data["action"]
    try:
        if action.endswith("_matching"):
            if not data["run"]:
                raise ValidationFailed(
                    {"run": [_("Elija una corrida para actuar sobre todas las que coinciden.")]}
                )
            run = access_routing_run_by_id(user=request.user, run_id=data["run"])
            matching = {
                "actor": request.user,
                "run": run,
                "municipality_code": data["municipality"] or None,
                "offer_id": data["offer"],
                "organization_id": data["organization"],
            }
            if action == "consent_matching":
                count = referrals_record_consent_matching(method=data["method"], **matching)
            else:
                count = referrals_approve_matching(**matching)
        else:
            ids = request.POST.getlist("referrals")
            if not ids:
                raise ValidationFailed({"referrals": [_("Seleccione al menos una remisión.")]})
            selected = [
                access_referral_by_id(user=request.user, referral_id=pk) for pk in ids[:PAGE_SIZE]
            ]
            if action == "consent_selected":
                count = referrals_record_consent(
                    actor=request.user, referrals=selected, method=data["method"]
                )
            else:
                count = referrals_approve(actor=request.user, referrals=selected)
    except ValidationFailed as exc:
        messages.error(request, _errors_text(exc))
    except (ObjectNotFound, ActionDenied) as exc:
        messages.error(request, str(exc))
    else:
        if action.startswith("consent"):
            text = _("Consentimiento registrado en %(n)s remisiones.") % {"n": count}
        else:
            text = _("%(n)s remisiones aprobadas y enviadas a las entidades.") % {"n": count}
        messages.success(request, text)
    return redirect(back)


# --------------------------------------------------------------------------- one referral


@login_required
@require_GET
def detail(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _referral_for(request, referral_id)
    partner = user_is_partner(request.user)
    context: dict[str, Any] = {
        "referral": referral,
        "state_label": state_label(referral.state),
        "overdue": referral_is_overdue(referral),
        "timeline": [
            {
                "event": e,
                "from_label": state_label(e.from_state) if e.from_state else "",
                "to_label": state_label(e.to_state),
                "action_label": ACTION_LABELS.get(e.action, _("Propuesta por la corrida")),
            }
            for e in referral_timeline(referral=referral)
        ],
        "actions": [
            (a, ACTION_LABELS[a]) for a in actions_available(referral=referral, user=request.user)
        ],
        "action_form": ActionForm(),
        "partner": partner,
        "can_see_household": not partner,
        "reason_label": (
            ClosureReason(referral.closure_reason).label if referral.closure_reason else ""
        ),
    }
    if partner:
        household_read_log(
            user=request.user, household_uuids=[referral.household.uuid], purpose=PURPOSE_DETAIL
        )
        row = display_row(partner_referral_rows([referral])[0])
        context["partner_fields"] = [(f.label, row[f.key]) for f in PARTNER_REFERRAL_FIELDS]
    return render(request, "referrals/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = _referral_for(request, referral_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise los datos de la acción."))
        return redirect("referrals:detail", referral_id=referral.uuid)
    data = form.cleaned_data
    try:
        referral_act(
            referral=referral,
            actor=request.user,
            action=data["action"],
            reason=data["reason"],
            note=data["note"],
            enrolled_on=data["enrolled_on"],
            served_on=data["served_on"],
            method=data["method"],
        )
    except ValidationFailed as exc:
        messages.error(request, _errors_text(exc))
    except (ActionDenied, ObjectNotFound) as exc:
        messages.error(request, str(exc))
    else:
        text = _("Remisión actualizada: %(s)s.") % {"s": state_label(referral.state)}
        messages.success(request, text)
    return redirect("referrals:detail", referral_id=referral.uuid)


# --------------------------------------------------------------------------- partner inbox


def _partner_queryset(request: HttpRequest):
    state = request.GET.get("estado") or None
    if state not in ReferralState.values:
        state = None
    overdue = request.GET.get("vencidas") == "1"
    return referrals_search(user=request.user, state=state, overdue=overdue), state, overdue


def _inbox(request: HttpRequest, *, upload_form=None, upload_errors=(), status: int = 200):
    queryset, state, overdue = _partner_queryset(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    household_read_log(
        user=request.user,
        household_uuids=list(dict.fromkeys(r.household.uuid for r in referrals)),
        purpose=PURPOSE_INBOX,
    )
    rows = [
        {
            "cells": [(key, value) for key, value in display_row(row).items() if key != "remision"],
            "overdue": referral_is_overdue(r),
            "uuid": r.uuid,
        }
        for r, row in zip(referrals, partner_referral_rows(referrals), strict=True)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    overdue_count = referrals_overdue(user=request.user).count()
    return render(
        request,
        "referrals/inbox.html",
        {
            "fields": PARTNER_REFERRAL_FIELDS,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "states": [(s, state_label(s)) for s in ReferralState.values if s != "proposed"],
            "state": state,
            "overdue": overdue,
            "overdue_count": overdue_count,
            "upload_form": upload_form or PartnerCsvUploadForm(),
            "upload_errors": list(upload_errors),
            "fill_columns": FILL_COLUMNS,
            "reasons": ClosureReason.choices,
            "csv_query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        },
        status=status,
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    return _inbox(request)


@login_required
@require_GET
def inbox_csv(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    queryset, _state, _overdue = _partner_queryset(request)
    referrals = list(queryset)
    household_read_log(
        user=request.user,
        household_uuids=list(dict.fromkeys(r.household.uuid for r in referrals)),
        purpose=PURPOSE_CSV,
    )
    response = HttpResponse(
        partner_csv_text(referrals=referrals), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="remisiones-{stamp}.csv"'
    return response


@login_required
@require_http_methods(["POST"])
def inbox_upload(request: HttpRequest) -> HttpResponse:
    _require_partner(request)
    form = PartnerCsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _inbox(request, upload_form=form, status=400)
    try:
        outcome = referrals_partner_csv_apply(
            actor=request.user, content=form.cleaned_data["file"].read()
        )
    except ValidationFailed as exc:
        errors = [m for ms in exc.errors.values() for m in ms]
        return _inbox(request, upload_form=form, upload_errors=errors, status=400)
    messages.success(
        request,
        _("Archivo aplicado: %(c)s remisiones actualizadas, %(u)s sin cambios.")
        % {"c": outcome.changed, "u": outcome.unchanged},
    )
    return redirect("referrals:inbox")


# --------------------------------------------------------------------------- routing runs


def _require_router(request: HttpRequest) -> None:
    from .routing import user_can_route

    if not user_can_route(user=request.user):
        raise PermissionDenied(
            _("Solo los analistas nacionales y regionales pueden ejecutar la focalización.")
        )


@login_required
@require_http_methods(["GET", "POST"])
def routing_runs(request: HttpRequest) -> HttpResponse:
    """The routing runs the user may see, and the form to start one."""
    from .routing import routing_run_create, routing_runs_for
    from .tasks import routing_run_task

    _require_router(request)
    form = RoutingRunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = routing_run_create(
            actor=request.user,
            scope=[data["territory"]],
            k_max=data["k_max"],
            name=data["name"],
            policy=form.policy(),
        )
        routing_run_task.enqueue(str(run.uuid), request.user.pk)
        return redirect("referrals:routing_run", run_id=run.uuid)
    runs = routing_runs_for(user=request.user).select_related("created_by")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/routing_runs.html",
        {"form": form, "page": page},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def routing_run(request: HttpRequest, run_id: Any) -> HttpResponse:
    """A run's status and figures; htmx re-requests the status fragment every 2 s until it ends."""
    from .models import RunStatus

    run = _routing_run_for(request, run_id)
    finished = run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)
    gain = None
    if run.objective is not None and run.greedy_objective:
        gain = (run.objective / run.greedy_objective - 1) * 100
    template = htmx_template(
        request, fragment="referrals/_routing_run_status.html", page="referrals/routing_run.html"
    )
    policy = policy_of_run(run.parameters)
    return render(
        request,
        template,
        {
            "run": run,
            "finished": finished,
            "gain": gain,
            "referrals_count": run.referrals.count() if finished else 0,
            "violations": (run.verifier_result or {}).get("violations", []),
            "policy": policy,
            "policy_rows": policy_rows(policy) if policy else [],
            "policy_adjusted": bool(policy and policy.code.endswith(ADJUSTED_SUFFIX)),
            "search_form": RunHouseholdSearchForm(),
            **_run_outputs_context(run),
        },
    )


RUN_OUTPUT_ROWS = 30
"""Rows of each open-ends table shown on the run page; the XLSX has them all."""


def _run_outputs_context(run: RoutingRun) -> dict[str, Any]:
    from .models import RunStatus
    from .run_outputs import run_unfilled_places, run_unmet_need

    if run.status != RunStatus.SUCCEEDED:
        return {}
    unmet = run_unmet_need(run)
    unfilled = run_unfilled_places(run)
    return {
        "unmet": unmet[:RUN_OUTPUT_ROWS],
        "unmet_more": max(len(unmet) - RUN_OUTPUT_ROWS, 0),
        "unfilled": unfilled[:RUN_OUTPUT_ROWS],
        "unfilled_more": max(len(unfilled) - RUN_OUTPUT_ROWS, 0),
    }


@login_required
@require_GET
def routing_run_outputs_xlsx(request: HttpRequest, run_id: Any) -> HttpResponse:
    """The run's unfilled places and unmet need (totals only: no household is named)."""
    from .run_outputs import run_outputs_xlsx

    run = _routing_run_for(request, run_id)
    response = HttpResponse(
        run_outputs_xlsx(run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="corrida-{run.uuid}-abierto.xlsx"'
    return response


PURPOSE_RUN_SEARCH = "routing_run_search"

PURPOSE_RUN_HOUSEHOLD = "routing_run_household"


def _routing_run_for(request: HttpRequest, run_id: Any) -> RoutingRun:
    from .routing import access_routing_run_for_routing

    _require_router(request)
    with not_found_as_404():
        return access_routing_run_for_routing(user=request.user, run_id=run_id)


@login_required
@require_http_methods(["GET", "POST"])
def routing_run_household_search(request: HttpRequest, run_id: Any) -> HttpResponse:
    """Search-first entry to the explanations of a run: a document number of a member or the
    household's registry id; one match goes straight to its page. The query is POSTed, never
    put in the URL (access logs)."""
    run = _routing_run_for(request, run_id)
    form = RunHouseholdSearchForm(request.POST if request.method == "POST" else None)
    households = []
    if form.is_valid():
        households = routing_run_households_find(
            user=request.user, run=run, query=form.cleaned_data["q"]
        )
        if len(households) == 1:
            return redirect(
                "referrals:routing_run_household", run_id=run.uuid, household_id=households[0].uuid
            )
        household_read_log(
            user=request.user,
            household_uuids=[h.uuid for h in households],
            purpose=PURPOSE_RUN_SEARCH,
        )
    return render(
        request,
        "referrals/routing_run_household_search.html",
        {"run": run, "form": form, "households": households, "searched": form.is_valid()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def routing_run_household(request: HttpRequest, run_id: Any, household_id: Any) -> HttpResponse:
    """The offers a household got in a run and why it did not get each other one."""
    from oferta.households.access import access_household_by_id
    from oferta.households.models import Household

    from .models import RunStatus
    from .run_explanations import routing_run_household_explain

    run = _routing_run_for(request, run_id)
    with not_found_as_404():
        household = access_household_by_id(user=request.user, household_id=household_id)
    if not Household.objects.filter(pk=household.pk).filter(run_scope_filter(run)).exists():
        raise Http404(_("El hogar no existe o no tiene acceso a él."))
    household_read_log(
        user=request.user, household_uuids=[household.uuid], purpose=PURPOSE_RUN_HOUSEHOLD
    )
    explanation = None
    if run.status == RunStatus.SUCCEEDED:
        explanation = routing_run_household_explain(run=run, household=household)
    from oferta.territories.models import Municipality

    municipality = Municipality.objects.filter(code=household.municipality_code).first()
    return render(
        request,
        "referrals/routing_run_household.html",
        {
            "run": run,
            "household": household,
            "municipality": municipality,
            "explanation": explanation,
            "search_form": RunHouseholdSearchForm(),
        },
    )


# --------------------------------------------------------------------------- follow-up dashboard


def _dashboard(request: HttpRequest) -> tuple[DashboardFilterForm, Any]:
    from .dashboards import dashboard_build, user_can_see_dashboard

    if not user_can_see_dashboard(user=request.user):
        raise PermissionDenied(_("Su rol no tiene acceso al seguimiento de las remisiones."))
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    filters = form.filters()
    run = _run_filter(request, filters["run_id"])
    dashboard = dashboard_build(
        user=request.user, by=filters["by"], territory_code=filters["territory_code"], run=run
    )
    return form, dashboard


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The linkage funnel by offer, entity, department or municipality: national for national
    users, the user's territory otherwise, and any department or municipality via
    ``?territorio=<DIVIPOLA>``."""
    from .dashboards import STAGE_HELP, STAGES

    form, board = _dashboard(request)
    query = request.GET.copy()
    return render(
        request,
        "referrals/dashboard.html",
        {
            "form": form,
            "dashboard": board,
            "stages": [(key, label, STAGE_HELP[key]) for key, label in STAGES],
            "query": query.urlencode(),
        },
        status=200 if board is not None else 400,
    )


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The dashboard, with the same filters, as an XLSX workbook."""
    from .exports import dashboard_xlsx as workbook

    form, board = _dashboard(request)
    if board is None:
        errors = " ".join(str(m) for ms in form.errors.values() for m in ms)
        return HttpResponse(
            _("Revise los filtros: %(e)s") % {"e": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    content = workbook(dashboard=board, generated_by=request.user.get_username())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    where = board.territory_code or ("nacional" if board.national else "alcance")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="seguimiento-vinculacion-{where}-{board.by}-{stamp}.xlsx"'
    )
    return response
