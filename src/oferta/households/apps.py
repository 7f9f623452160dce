from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "oferta.households"
    label = "households"
    verbose_name = _("Hogares")
    default_auto_field = "django.db.models.BigAutoField"
