from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from booking.appointments.models import Appointment
from booking.core import db_routing
from booking.core.replica_middleware import ReplicaMiddleware


@pytest.fixture
def one_healthy_replica(monkeypatch):
    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica_test"])
    monkeypatch.setattr(db_routing, "_is_healthy", lambda alias: True)


@pytest.fixture
def cache_reads(monkeypatch) -> list[str]:
    keys: list[str] = []
    monkeypatch.setattr(db_routing.cache, "get", lambda key, *args, **kw: keys.append(key))
    return keys


def read_alias_seen_by_view(request) -> str:
    seen: list[str] = []

    def view(request):
        db_routing.bind_user("user-1")  # what authentication does
        seen.append(db_routing.PrimaryReplicaRouter().db_for_read(Appointment))
        return HttpResponse(status=200)

    ReplicaMiddleware(view)(request)
    return seen[0]


def test_a_write_request_reads_from_the_primary_without_asking_the_cache(
    one_healthy_replica, cache_reads
):
    assert read_alias_seen_by_view(RequestFactory().post("/anything")) == "default"
    assert cache_reads == []


def test_a_read_request_of_a_user_without_recent_writes_reads_from_a_replica(
    one_healthy_replica, cache_reads
):
    assert read_alias_seen_by_view(RequestFactory().get("/anything")) == "replica_test"
    assert cache_reads == ["ryw:user-1"]
