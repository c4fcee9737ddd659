from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from booking.accounts.models import User
from booking.accounts.validators import validate_e164
from booking.core.errors import Conflict, ValidationFailed


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, phone: str = ""
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    candidate = User(email=email, first_name=first_name, last_name=last_name, phone=phone)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationFailed(
            "The password is too weak.", code="weak_password", details={"password": exc.messages}
        ) from exc
    if phone:
        _validate_phone(phone)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email, password, first_name=first_name, last_name=last_name, phone=phone
            )
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.", code="email_taken") from exc


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "notify_by_email",
    "notify_by_sms",
    "language",
)


def user_update_profile(*, user: User, **changes: Any) -> User:
    """Update profile fields; SMS notifications need a valid E.164 phone number."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    if changes.get("phone"):
        _validate_phone(changes["phone"])
    for field, value in changes.items():
        setattr(user, field, value)
    if user.notify_by_sms and not user.phone:
        raise ValidationFailed(
            "Add a phone number to receive SMS notifications.", code="phone_required_for_sms"
        )
    user.save(update_fields=list(changes))
    return user


def _validate_phone(phone: str) -> None:
    try:
        validate_e164(phone)
    except ValidationError as exc:
        raise ValidationFailed(
            "The phone number is not a valid E.164 number.",
            code="invalid_phone",
            details={"phone": exc.messages},
        ) from exc
