"""What a preloading master has imported before it forks (config/wsgi.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3]
POSTGRES = "postgres://postgres@127.0.0.1:5432/booking"  # nothing connects: imports only
POOLED = {"TEST_DATABASE_URL": POSTGRES, "DATABASE_CONNECTIONS": "pool"}
# Imported by simplejwt and Django's PostgreSQL pool on first use, not by the URLconf.
ON_FIRST_USE = ("jwt", "rest_framework_simplejwt.state", "psycopg_pool")


def _loaded_after(statement: str, **environ: str) -> set[str]:
    names = repr(ON_FIRST_USE)
    probe = f"import sys; {statement}; print(' '.join(m for m in {names} if m in sys.modules))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **environ}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=BACKEND, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_loading_the_wsgi_app_imports_what_the_first_api_request_would():
    assert _loaded_after("import config.wsgi", **POOLED) == set(ON_FIRST_USE)


def test_the_pool_is_imported_only_where_a_database_uses_it():
    persistent = {"TEST_DATABASE_URL": POSTGRES, "DATABASE_CONNECTIONS": "persistent"}
    assert "psycopg_pool" not in _loaded_after("import config.wsgi", **persistent)


def test_the_urlconf_alone_leaves_them_to_the_first_request():
    # The control: without the preload a new worker imports them while a request waits.
    urlconf = "import django; django.setup(); import config.urls"
    assert _loaded_after(urlconf, **POOLED) == set()


def test_the_bare_baseline_loads_with_none_of_them():
    # The bench's plain-Django baseline serves config.wsgi with no apps and no database.
    bare = {"DJANGO_SETTINGS_MODULE": "config.settings.bare", "DJANGO_SECRET_KEY": "bare"}
    assert _loaded_after("import config.wsgi", **bare) == set()
