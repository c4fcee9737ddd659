"""Admin edits of what availability is computed from move the salon's schedule version."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from booking.accounts.models import User
from booking.core.versioned_cache import LocalValues, versioned_get
from booking.salons.availability_cache import schedule_version_key
from booking.salons.models import Closure, TimeOff
from booking.salons.tests.factories import ClosureFactory, TimeOffFactory, open_salon

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def admin_user_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("admin@example.com", "admin-pass-123"))
    return client


def schedule_version(salon_id: UUID) -> int:
    return versioned_get("test:entry", schedule_version_key(salon_id), LocalValues(0))[1]


def test_changing_a_closure_moves_its_salons_schedule_version(
    admin_user_client, django_capture_on_commit_callbacks
):
    salon, _, _ = open_salon()
    closure = ClosureFactory(salon=salon)
    before = schedule_version(salon.id)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_user_client.post(
            reverse("admin:salons_closure_change", args=[closure.pk]),
            {"salon": salon.pk, "start_date": "2030-02-01", "end_date": "2030-02-02"},
        )
    assert response.status_code == 302, response.content
    assert Closure.objects.get(pk=closure.pk).start_date == dt.date(2030, 2, 1)
    assert schedule_version(salon.id) > before


def test_deleting_time_off_in_bulk_moves_each_salons_schedule_version(
    admin_user_client, django_capture_on_commit_callbacks
):
    (salon_a, _, (staff_a,)), (salon_b, _, (staff_b,)) = open_salon(), open_salon()
    start = dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC)
    times_off = [
        TimeOffFactory(staff=staff, start=start, end=start + dt.timedelta(hours=2))
        for staff in (staff_a, staff_b)
    ]
    before = {salon.id: schedule_version(salon.id) for salon in (salon_a, salon_b)}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_user_client.post(
            reverse("admin:salons_timeoff_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [time_off.pk for time_off in times_off],
                "post": "yes",
            },
        )
    assert response.status_code == 302, response.content
    assert not TimeOff.objects.exists()
    assert all(schedule_version(salon_id) > version for salon_id, version in before.items())
