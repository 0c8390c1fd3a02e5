"""WSGI entry point (``kansrijk.web.wsgi:application``) for any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.web.settings")
application = get_wsgi_application()
