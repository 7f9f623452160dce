from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oferta.core"
    label = "core"
    verbose_name = "oferta"
