"""The user read that authenticates every request also tells whether the address is verified."""

from __future__ import annotations

import uuid

import pytest
from allauth.account.models import EmailAddress

from booking.accounts.selectors import user_email_verified, user_get_by_id
from booking.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_read_by_id_knows_their_address_is_verified(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        loaded = user_get_by_id(user_id=user.pk)
        assert loaded is not None
        assert (loaded.pk, loaded.email) == (user.pk, user.email)
        assert user_email_verified(user=loaded) is True


def test_an_unverified_address_is_known_as_such(django_assert_num_queries):
    user = UserFactory(email_verified=False)
    with django_assert_num_queries(1):
        loaded = user_get_by_id(user_id=user.pk)
        assert loaded is not None
        assert user_email_verified(user=loaded) is False


def test_only_the_current_address_counts_and_in_any_case():
    user = UserFactory(email="Ada@Example.com")
    loaded = user_get_by_id(user_id=user.pk)
    assert loaded is not None
    assert user_email_verified(user=loaded) is True  # stored as typed, compared in any case

    user.email = "ada@elsewhere.example"  # changed, the new one not yet confirmed
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    loaded = user_get_by_id(user_id=user.pk)
    assert loaded is not None
    assert user_email_verified(user=loaded) is False


def test_a_user_not_read_by_id_is_asked_about_with_a_statement(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert user_email_verified(user=user) is True


@pytest.mark.parametrize("user_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_or_malformed_id_finds_nobody(user_id):
    UserFactory()
    assert user_get_by_id(user_id=user_id) is None
