"""WSGI entry point for gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")

application = get_wsgi_application()

# The URL map (and with it the admin) now, in each web process, rather than on its first request.
import revenge.urls  # noqa: E402, F401
