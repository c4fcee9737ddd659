"""A burst of booking changes reaches the broker as one publish."""

from __future__ import annotations

import threading
import uuid

from booking.notifications.bursts import Burst


class Published:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[uuid.UUID]] = []
        self.arrived = threading.Event()
        self.fail = fail

    def __call__(self, ids: list[uuid.UUID]) -> None:
        self.calls.append(ids)
        self.arrived.set()
        if self.fail:
            raise ConnectionError("broker down")


def ids(count: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(count)]


def test_changes_added_within_the_delay_are_published_together_once():
    published = Published()
    burst = Burst(published, lambda: 0.2)
    first, second, third = ids(2), ids(2), ids(1)

    adders = [threading.Thread(target=burst.add, args=(batch,)) for batch in (first, second)]
    for adder in adders:
        adder.start()
    burst.add(third)
    for adder in adders:
        adder.join()

    assert published.arrived.wait(timeout=5)
    assert len(published.calls) == 1
    assert sorted(published.calls[0]) == sorted(first + second + third)


def test_a_later_change_goes_out_in_the_next_publish():
    published = Published()
    burst = Burst(published, lambda: 0.05)
    burst.add(early := ids(1))
    assert published.arrived.wait(timeout=5)
    published.arrived.clear()

    burst.add(late := ids(1))

    assert published.arrived.wait(timeout=5)
    assert published.calls == [early, late]


def test_without_a_delay_each_change_is_published_at_once_in_the_caller():
    published = Published()
    burst = Burst(published, lambda: 0)

    burst.add(batch := ids(3))

    assert published.calls == [batch]


def test_flush_publishes_what_waits_at_once_and_nothing_twice():
    published = Published()
    burst = Burst(published, lambda: 60)  # the thread would wait a minute
    burst.add(batch := ids(2))

    burst.flush()
    burst.flush()

    assert published.calls == [batch]


def test_a_failed_publish_is_logged_and_later_changes_still_go_out(caplog):
    published = Published(fail=True)
    burst = Burst(published, lambda: 60)
    burst.add(ids(1))

    burst.flush()  # the broker is down: logged, left to the sweep
    burst.add(later := ids(1))
    burst.flush()

    assert published.calls[-1] == later
    assert "left to the sweep" in caplog.text


def test_the_delay_comes_from_settings_and_is_none_when_tasks_run_in_process(settings):
    from booking.notifications import services

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFICATION_PUBLISH_DELAY_MS = 150
    assert services._publish_delay() == 0.15
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert services._publish_delay() == 0.0
