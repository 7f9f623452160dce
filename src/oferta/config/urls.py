"""URL map: staff pages per app, the JSON API (Django Ninja) and the admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from oferta.config.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="offers:catalogue", permanent=False), name="home"),
    path("cuentas/", include("oferta.accounts.urls")),
    path("oferta/", include("oferta.offers.urls")),
    path("territorios/", include("oferta.insights.urls")),
    path("territorios/", include("oferta.territories.urls")),
    path("hogares/", include("oferta.households.urls")),
    path("remisiones/", include("oferta.referrals.urls")),
    path("informes/", include("oferta.reports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=static("oferta/favicon.svg"), permanent=True)),
]
