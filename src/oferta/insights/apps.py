from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "oferta.insights"
    label = "insights"
    verbose_name = _("Lectura territorial")
    default_auto_field = "django.db.models.BigAutoField"
