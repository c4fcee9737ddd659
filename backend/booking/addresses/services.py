from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from booking.addresses.models import Address
from booking.core.errors import ValidationFailed

ADDRESS_FIELDS = (
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "latitude",
    "longitude",
)


def address_create(
    *,
    line1: str,
    city: str,
    country: str,
    line2: str = "",
    region: str = "",
    postal_code: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Address:
    address = Address(
        line1=line1,
        line2=line2,
        city=city,
        region=region,
        postal_code=postal_code,
        country=country,
        latitude=latitude,
        longitude=longitude,
    )
    _validate(address)
    address.save()
    return address


def address_update(*, address: Address, data: dict[str, Any]) -> Address:
    """Change the given fields (a subset of ADDRESS_FIELDS) of an address."""
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValidationFailed(details={field: ["Unknown field."] for field in sorted(unknown)})
    for field, value in data.items():
        setattr(address, field, value)
    _validate(address)
    address.save(update_fields=[*data, "updated_at"])
    return address


def _validate(address: Address) -> None:
    try:
        address.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationFailed("The address is invalid.", details=exc.message_dict) from exc
    if (address.latitude is None) != (address.longitude is None):
        raise ValidationFailed(
            "Give both latitude and longitude, or neither.",
            code="incomplete_coordinates",
            details={"latitude": ["Give both latitude and longitude, or neither."]},
        )
