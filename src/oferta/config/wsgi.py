"""WSGI entry point (served by waitress through `oferta serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oferta.config.settings.dev")
application = get_wsgi_application()
