"""Data migrations' shared step: users without any EmailAddress get theirs, verified and primary."""

from __future__ import annotations

from typing import Any


def verify_addressless_users(apps: Any, schema_editor: Any) -> None:
    """RunPython forwards: every user with an e-mail and no EmailAddress row gets one.

    Their address was given by the user before allauth (0003), or by the seed or an operator
    (0004); asking them to verify it would stop their reminders until they did. Users with an
    address row, verified or not, keep it as it is.
    """
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True)
            for user_id, email in User.objects.values_list("id", "email").iterator()
            if user_id not in have and email
        ],
        batch_size=1000,
    )
