from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.review, name="review"),
    path("acciones/", views.bulk_action, name="bulk_action"),
    path("bandeja/", views.inbox, name="inbox"),
    path("bandeja.csv", views.inbox_csv, name="inbox_csv"),
    path("bandeja/cargar/", views.inbox_upload, name="inbox_upload"),
    path("seguimiento/", views.dashboard, name="dashboard"),
    path("seguimiento.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("enrutamiento/", views.routing_runs, name="routing_runs"),
    path("enrutamiento/<uuid:run_id>/", views.routing_run, name="routing_run"),
    path(
        "enrutamiento/<uuid:run_id>/abierto.xlsx",
        views.routing_run_outputs_xlsx,
        name="routing_run_outputs_xlsx",
    ),
    path(
        "enrutamiento/<uuid:run_id>/hogares/",
        views.routing_run_household_search,
        name="routing_run_household_search",
    ),
    path(
        "enrutamiento/<uuid:run_id>/hogares/<uuid:household_id>/",
        views.routing_run_household,
        name="routing_run_household",
    ),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/accion/", views.act, name="act"),
]
