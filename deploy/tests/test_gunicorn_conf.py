from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1]
CONF = DEPLOY / "gunicorn.conf.py"
GRANIAN = DEPLOY / "granian_server.py"
NGINX = DEPLOY / "nginx" / "booking.conf.template"


def test_it_reads_its_settings_through_the_projects_environment_reader(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_PRELOAD", "off")
    monkeypatch.setenv("PORT", "8123")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["preload_app"], conf["bind"]) == (3, False, "0.0.0.0:8123")


def test_it_refuses_a_value_it_cannot_read_naming_the_variable(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "four")
    with pytest.raises(ValueError, match="GUNICORN_THREADS='four'"):
        runpy.run_path(str(CONF))


def test_it_reads_the_names_both_servers_share_before_its_own(monkeypatch):
    # The deployments set WEB_THREADS (Kubernetes' settings.env); Granian reads the same names.
    monkeypatch.setenv("GUNICORN_THREADS", "6")
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "20")
    conf = runpy.run_path(str(CONF))
    assert (conf["threads"], conf["graceful_timeout"]) == (6, 20)
    monkeypatch.setenv("WEB_THREADS", "8")
    monkeypatch.setenv("WEB_GRACEFUL_TIMEOUT", "12")
    conf = runpy.run_path(str(CONF))
    assert (conf["threads"], conf["graceful_timeout"]) == (8, 12)


def test_nginx_closes_an_idle_upstream_connection_before_either_web_server_does():
    """Otherwise nginx may send a request on a connection the server is closing (a 502)."""
    from config import env

    upstream = re.search(r"^upstream booking_web \{$(.*?)^\}$", NGINX.read_text(), re.S | re.M)
    assert upstream is not None
    idle = re.search(r"^\s*keepalive_timeout (\d+)s;$", upstream.group(1), re.M)
    assert idle is not None
    nginx_idle = int(idle.group(1))
    gunicorn_idle = runpy.run_path(str(CONF))["keepalive"]  # the default server: 75 s
    # WEB_SERVER=granian: its header-read timeout (60 s, its maximum) ends an idle connection
    granian_ms = runpy.run_path(str(GRANIAN))["granian_options"](env)["http1_header_read_timeout"]
    assert nginx_idle < gunicorn_idle
    assert nginx_idle * 1000 < granian_ms
