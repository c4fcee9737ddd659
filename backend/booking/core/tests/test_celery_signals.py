from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import worker_init, worker_process_init

from booking.core import celery_signals
from config.celery import app


def test_celery_does_not_close_the_database_connections_around_every_task(monkeypatch):
    fixup = DjangoWorkerFixup(app)
    closed: list[int] = []
    monkeypatch.setattr(fixup, "_close_database", lambda: closed.append(1))
    for _ in range(50):  # before and after each of 50 tasks
        fixup.close_database()
        fixup.close_database()
    assert closed == []


def released_after(monkeypatch, *, is_eager: bool) -> bool:
    released: list[int] = []
    monkeypatch.setattr(celery_signals, "close_old_connections", lambda: released.append(1))
    task = SimpleNamespace(request=SimpleNamespace(is_eager=is_eager))
    celery_signals.release_database_connections(task=task)
    return bool(released)


def test_a_worker_task_hands_its_database_connection_back_like_a_request(monkeypatch):
    assert released_after(monkeypatch, is_eager=False)


def test_an_eager_task_leaves_its_callers_connection_alone(monkeypatch):
    assert not released_after(monkeypatch, is_eager=True)


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize(
    ("signal", "handler"),
    [
        (worker_init, celery_signals.freeze_before_forking),  # the pool's parent, before forking
        (worker_process_init, celery_signals.freeze_in_the_child),  # each child, after
    ],
)
def test_a_worker_keeps_the_loaded_app_out_of_garbage_collections(unfrozen, signal, handler):
    assert gc.get_freeze_count() == 0

    handler()

    assert gc.get_freeze_count() > 50_000
    assert handler in [receiver() for _, receiver in signal.receivers]
