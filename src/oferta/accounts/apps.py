from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "oferta.accounts"
    label = "accounts"
    verbose_name = _("Cuentas y auditoría")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit receivers)
