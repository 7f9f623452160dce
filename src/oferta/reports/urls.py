from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("territorios/", views.territory_options, name="territory_options"),
    path("<uuid:report_id>/", views.status, name="status"),
    path("<uuid:report_id>/descargar/", views.download, name="download"),
]
