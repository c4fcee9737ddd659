from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from booking.accounts.address_backfill import verify_addressless_users
from booking.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_without_an_address_row_gets_it_verified_and_primary():
    user = UserFactory(email="Seeded@Example.com")
    EmailAddress.objects.filter(user=user).delete()  # as the seed and the admin leave them
    verify_addressless_users(apps, None)
    [address] = EmailAddress.objects.filter(user=user)
    assert (address.email, address.verified, address.primary) == ("seeded@example.com", True, True)


def test_a_user_with_an_unverified_address_keeps_it_unverified():
    user = UserFactory(email_verified=False)
    verify_addressless_users(apps, None)
    assert list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True)) == [
        False
    ]
