"""The API docs work offline: Swagger UI and ReDoc come from our own static files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

NGINX = Path(__file__).resolve().parents[4] / "deploy/nginx/booking.conf.template"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/docs/redoc/"])
def test_the_docs_load_their_assets_from_our_static_files(url):
    page = Client().get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn.jsdelivr.net" not in page
    assert "@latest" not in page


def test_the_sidecar_assets_are_served():
    response = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_the_docs_csp_at_nginx_names_no_cdn():
    docs = [line for line in NGINX.read_text().splitlines() if "Content-Security-Policy" in line]
    assert docs and not any("jsdelivr" in line for line in docs)
