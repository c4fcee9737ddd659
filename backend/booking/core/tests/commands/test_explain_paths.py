"""`manage.py explain_paths`: every bench path explained, nothing written, large scans flagged."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from booking.appointments.models import Appointment
from booking.core.management.commands.explain_paths import PATHS, request_host
from booking.demo.services import demo_data_seed
from booking.notifications.models import Notification

NEEDS_POSTGRES = pytest.mark.postgres_only(reason="EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)")


@pytest.fixture
def demo(db: None) -> None:
    demo_data_seed(salons=3, seed=1)


@NEEDS_POSTGRES
def test_it_reports_every_path_and_writes_nothing(demo: None, tmp_path: Path) -> None:
    before = (Appointment.objects.count(), Notification.objects.count())
    out = StringIO()
    call_command("explain_paths", "--json", str(tmp_path / "plans.json"), stdout=out)
    result = json.loads((tmp_path / "plans.json").read_text())
    assert set(result["paths"]) == set(PATHS)
    assert result["ok"] is True
    assert result["paths"]["booking_create"]["status"] == 201
    for name in PATHS:
        assert result["paths"][name]["statements"] > 0
        assert f"{name}: " in out.getvalue()
    inserted = result["paths"]["booking_create"]["plans"]
    assert any(p["sql"].startswith('INSERT INTO "appointments_appointment"') for p in inserted)
    assert (Appointment.objects.count(), Notification.objects.count()) == before


@NEEDS_POSTGRES
def test_it_fails_when_a_statement_reads_a_large_table_whole(demo: None, tmp_path: Path) -> None:
    # A tiny data set is read whole by every plan that can: with no table counted as small, the
    # salon list's own sequential reads are flagged, as a missing index would be on big data.
    with pytest.raises(CommandError, match="scan large tables"):
        call_command(
            "explain_paths",
            *("--max-seq-rows", "0", "--json", str(tmp_path / "p.json")),
            stdout=StringIO(),
        )
    result = json.loads((tmp_path / "p.json").read_text())
    assert result["ok"] is False
    assert any(path["large_seq_scans"] for path in result["paths"].values())


@pytest.mark.django_db
def test_it_stops_on_a_database_other_than_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(CommandError, match="this database is mysql"):
        call_command("explain_paths", stdout=StringIO())


def test_it_sends_a_host_the_configuration_allows() -> None:
    assert request_host(["api.example.com", "localhost"]) == "api.example.com"
    assert request_host([".example.com"]) == "explain.example.com"
    assert request_host(["*"]) == "localhost"
    assert request_host([]) == "testserver"
