from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "oferta.referrals"
    label = "referrals"
    verbose_name = _("Remisiones")
    default_auto_field = "django.db.models.BigAutoField"
