from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.search, name="search"),
    path("importar/", views.import_upload, name="import_upload"),
    path("importar/<uuid:import_id>/", views.import_status, name="import_status"),
    path("importar/<uuid:import_id>/rechazos.csv", views.import_rejects, name="import_rejects"),
    path("<uuid:household_id>/", views.detail, name="detail"),
]
