import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()
# The URLconf imports every view: done here, gunicorn's preloading master does it once for all
# workers instead of each worker on its first request.
import_module(settings.ROOT_URLCONF)
