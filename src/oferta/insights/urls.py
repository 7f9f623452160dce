"""URLs of the territorial reading, under /territorios/ (before the territories app's)."""

from django.urls import path

from . import views_gaps, views_maps, views_priorities

app_name = "insights"

urlpatterns = [
    path("mapa/", views_maps.national_map, name="map"),
    path("prioridades/", views_priorities.priorities, name="priorities"),
    path("prioridades/xlsx/", views_priorities.priorities_xlsx, name="priorities_xlsx"),
    path("prioridades/capacidad/", views_priorities.capacity_upload, name="capacity_upload"),
    path("<str:code>/brechas/", views_gaps.gaps, name="gaps"),
    path("<str:code>/brechas.xlsx", views_gaps.gaps_xlsx, name="gaps_xlsx"),
]
