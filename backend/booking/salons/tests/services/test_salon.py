from __future__ import annotations

from typing import Any

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.core.errors import ValidationFailed
from booking.salons.models import SalonMember
from booking.salons.services import salon_create, salon_policy_update, salon_update
from booking.salons.tests.factories import SalonFactory
from booking.salons.tests.services.test_availability_cache import availability_version

pytestmark = pytest.mark.django_db
ADDRESS = {"line1": "1 Unter den Linden", "city": "Berlin", "country": "DE"}


def test_it_makes_the_creator_the_owner_of_a_new_salon() -> None:
    owner = UserFactory()
    salon = salon_create(owner=owner, name="Cut & Go", timezone="Europe/Berlin", address=ADDRESS)
    assert salon.slug == "cut-go"
    assert salon.address.city == "Berlin"
    assert SalonMember.objects.get(salon=salon, user=owner).role == SalonMember.Role.OWNER


def test_it_gives_salons_with_the_same_name_distinct_slugs() -> None:
    first = salon_create(owner=UserFactory(), name="Kim", timezone="UTC", address=ADDRESS)
    second = salon_create(owner=UserFactory(), name="Kim", timezone="UTC", address=ADDRESS)
    assert first.slug != second.slug
    assert second.slug.startswith("kim-")


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"phone": "030 1234"}, "phone"),
        ({"address": {**ADDRESS, "country": "XX"}}, "country"),
    ],
)
def test_it_rejects_invalid_salon_details(fields: dict[str, Any], bad_field: str) -> None:
    data = {"name": "A", "timezone": "Europe/Berlin", "address": ADDRESS, **fields}
    with pytest.raises(ValidationFailed) as error:
        salon_create(owner=UserFactory(), **data)
    assert error.value.code == "invalid"
    assert bad_field in error.value.details


def test_it_updates_details_and_address_fields() -> None:
    salon = SalonFactory()
    salon_update(salon=salon, data={"name": "New", "address": {"city": "Hamburg"}})
    salon.refresh_from_db()
    salon.address.refresh_from_db()
    assert (salon.name, salon.address.city) == ("New", "Hamburg")


def test_it_rejects_half_given_coordinates() -> None:
    salon = SalonFactory()
    with pytest.raises(ValidationFailed) as error:
        salon_update(salon=salon, data={"address": {"latitude": "52.5"}})
    assert error.value.code == "incomplete_coordinates"


def test_it_signals_availability_change_after_commit_when_the_timezone_changes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    salon = SalonFactory()
    before = availability_version(salon.id)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        salon_update(salon=salon, data={"timezone": "Europe/London"})
    assert len(callbacks) == 1
    assert availability_version(salon.id) > before


def test_any_change_bumps_the_salon_version_its_cached_page_is_keyed_by(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        salon_update(salon=SalonFactory(), data={"description": "Friendly"})
    assert len(callbacks) == 1


def test_an_empty_update_bumps_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        salon_update(salon=SalonFactory(), data={})
    assert callbacks == []


def test_it_updates_the_booking_policy(django_capture_on_commit_callbacks: Any) -> None:
    salon = SalonFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        salon_policy_update(
            salon=salon,
            min_notice_minutes=0,
            horizon_days=14,
            cancellation_cutoff_minutes=60,
            slot_step_minutes=10,
        )
    salon.refresh_from_db()
    assert (salon.horizon_days, salon.slot_step_minutes) == (14, 10)
    assert len(callbacks) == 1


def test_it_rejects_a_slot_step_under_five_minutes() -> None:
    with pytest.raises(ValidationFailed) as error:
        salon_update(salon=SalonFactory(), data={"slot_step_minutes": 1})
    assert "slot_step_minutes" in error.value.details
