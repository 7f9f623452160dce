from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "oferta.offers"
    label = "offers"
    verbose_name = _("Catálogo de oferta")
    default_auto_field = "django.db.models.BigAutoField"
