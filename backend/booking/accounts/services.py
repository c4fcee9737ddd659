from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from booking.accounts.models import User
from booking.accounts.validators import validate_e164
from booking.core.errors import ValidationFailed


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, phone: str = ""
) -> User | None:
    """A new account with an unverified address and a link to verify it, sent by e-mail.

    A known address gets no account and no error: its owner is told by e-mail instead, and the
    caller sees the same answer either way (no enumeration). Returns the new user, or None.
    """
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
            user = User.objects.create_user(
                email, password, first_name=first_name, last_name=last_name, phone=phone
            )
            address = EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=False
            )
            address.send_confirmation(signup=True)
    except IntegrityError:
        make_password(password)  # the time a new account's hashing takes
        _send_account_exists_mail(email)
        return None
    return user


def _send_account_exists_mail(email: str) -> None:
    url = settings.HEADLESS_FRONTEND_URLS["account_reset_password"]
    get_adapter().send_mail(
        "account/email/account_already_exists", email, {"password_reset_url": url}
    )


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
