from __future__ import annotations

import uuid

import pytest

from booking.core.errors import NotFound
from booking.salons.selectors import service_get_bookable
from booking.salons.tests.factories import SalonFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_it_returns_an_active_service_with_its_salon():
    service = ServiceFactory()
    assert service_get_bookable(service_id=service.id).salon == service.salon


@pytest.mark.parametrize(
    "make",
    [
        lambda: ServiceFactory(is_active=False).id,
        lambda: ServiceFactory(salon=SalonFactory(is_active=False)).id,
        lambda: uuid.uuid4(),
    ],
    ids=["inactive service", "inactive salon", "unknown"],
)
def test_it_hides_a_service_that_cannot_be_booked(make):
    with pytest.raises(NotFound) as raised:
        service_get_bookable(service_id=make())
    assert raised.value.code == "service_not_found"
