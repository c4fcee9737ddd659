import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()
# The URLconf imports every view: done here, the preloading master (gunicorn's, or
# deploy/granian_server.py) does it once for all workers instead of each on its first request.
import_module(settings.ROOT_URLCONF)
# Keep what was loaded out of every later garbage collection: a full collection walked the
# ~124k objects of the app each time (63 ms during which no thread of the worker serves). In a
# preloading master this also keeps the forked workers from writing to the pages holding them
# (the copy-on-write sharing the preload is for).
gc.collect()
gc.freeze()
