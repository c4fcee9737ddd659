"""The web app on the embedded default: its routes answer index.html; the API stays JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from booking.core.web_app import NOT_THE_APP, web_app_index, web_app_urls


def test_an_app_route_answers_the_apps_index_never_cached(tmp_path: Path, settings, rf):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    settings.WEB_APP_DIR = str(tmp_path)

    response = web_app_index(rf.get("/salons/8d7f/book"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
    assert b"id=root" in response.content


def test_without_a_built_app_it_says_how_to_build_it(tmp_path: Path, settings, rf):
    settings.WEB_APP_DIR = str(tmp_path / "missing")

    response = web_app_index(rf.get("/"))

    assert response.status_code == 503
    assert json.loads(response.content)["error"]["code"] == "web_app_not_built"


def test_api_admin_and_platform_paths_are_never_the_apps():
    app_route = re.compile(NOT_THE_APP + r".*$")

    for path in ("api/v1/salons", "api/unknown", "admin/", "static/x.css", "health/live"):
        assert not app_route.match(path), path
    for path in ("", "salons/8d7f", "me/appointments", "manage/today", "apiary"):
        assert app_route.match(path), path


def test_the_catch_all_exists_only_where_settings_serve_the_app(settings, tmp_path: Path):
    settings.WEB_APP_DIR = None
    assert web_app_urls() == []

    settings.WEB_APP_DIR = str(tmp_path)
    assert [pattern.name for pattern in web_app_urls()] == ["web-app"]
