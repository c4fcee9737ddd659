from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


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
