"""The benchmark's baseline: a bare Django view with no apps, no middleware and no database.

Served by gunicorn gthread (deploy/gunicorn.conf.py, whatever server the real app runs) behind
the same nginx as the real app (deploy/stack with STACK_BENCH=1), so that every benchmark
figure is a ratio to what Django itself costs as most teams serve it.
"""

from __future__ import annotations

from config import env

DEBUG = False
SECRET_KEY = env.required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
ROOT_URLCONF = "config.bare_urls"
USE_TZ = True
