from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_e164(value: str) -> None:
    """A phone number written in E.164 (+ and country code) that is a possible, valid number."""
    if not value.startswith("+"):
        raise ValidationError(_("Enter the number in E.164 form, e.g. +14155550123."), "e164")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), "e164") from exc
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value
    ):
        raise ValidationError(_("Enter a valid phone number in E.164 form."), "e164")
