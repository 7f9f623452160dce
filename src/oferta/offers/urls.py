from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views
from .feeds import TerritoryNewsFeed

app_name = "offers"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("municipios/", views.municipality_options, name="municipality_options"),
    path("nueva/", views.create, name="create"),
    path("<uuid:service_id>/", views.detail, name="detail"),
    path("<uuid:service_id>/ficha.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("<uuid:service_id>/mapa/", views.map_view, name="map"),
    path("<uuid:service_id>/editar/", views.edit, name="edit"),
    path("<uuid:service_id>/historial/", views.history, name="history"),
    path("territorio/<str:code>/novedades/", views.territory_news, name="territory_news"),
    path(
        "territorio/<str:code>/novedades.atom",
        login_required(TerritoryNewsFeed()),
        name="territory_news_feed",
    ),
]
