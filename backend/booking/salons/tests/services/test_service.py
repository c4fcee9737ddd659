from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from booking.core.errors import ValidationFailed
from booking.salons.services import service_create, service_update
from booking.salons.tests.factories import SalonFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_service_and_signals_availability_change(
    django_capture_on_commit_callbacks: Any,
) -> None:
    salon = SalonFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        service = service_create(
            salon=salon, name="Cut", duration_minutes=45, price=Decimal("40"), currency="EUR"
        )
    assert service.salon == salon
    assert len(callbacks) == 1


def test_it_rejects_a_lowercase_currency() -> None:
    with pytest.raises(ValidationFailed) as error:
        service_create(
            salon=SalonFactory(), name="Cut", duration_minutes=30, price=Decimal(1), currency="eur"
        )
    assert "currency" in error.value.details


def test_it_updates_only_the_given_fields() -> None:
    service = ServiceFactory(duration_minutes=30)
    service_update(service=service, data={"price": Decimal("12.50")})
    service.refresh_from_db()
    assert (service.price, service.duration_minutes) == (Decimal("12.50"), 30)


def test_it_deactivates_instead_of_deleting() -> None:
    service = ServiceFactory()
    service_update(service=service, data={"is_active": False})
    service.refresh_from_db()
    assert service.is_active is False
