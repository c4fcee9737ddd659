from __future__ import annotations

import uuid

import pytest

from booking.salons.selectors import salons_in_order
from booking.salons.tests.factories import SalonFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_the_order_of_the_page_and_carries_the_address() -> None:
    first, second, third = SalonFactory.create_batch(3)
    found = salons_in_order(ids=[third.id, first.id, second.id])
    assert found == [third, first, second]
    assert found[0].address.city == third.address.city


def test_a_salon_gone_since_its_id_was_listed_is_left_out() -> None:
    salon = SalonFactory()
    assert salons_in_order(ids=[uuid.uuid4(), salon.id]) == [salon]
