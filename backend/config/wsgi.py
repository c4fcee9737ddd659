import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from booking.core.preload import freeze_loaded_app, import_on_first_use_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()
# The URLconf imports every view: done here, the preloading master (uWSGI's, gunicorn's
# or deploy/granian_server.py's) does it once for all workers instead of each on its first request.
import_module(settings.ROOT_URLCONF)
import_on_first_use_modules()
freeze_loaded_app()
