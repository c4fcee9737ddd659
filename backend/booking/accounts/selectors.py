from __future__ import annotations

from allauth.account.models import EmailAddress

from booking.accounts.models import User


def user_email_verified(*, user: User) -> bool:
    """Whether the user proved they read mail at their current address."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
