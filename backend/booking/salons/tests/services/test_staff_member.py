from __future__ import annotations

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.core.errors import Conflict, ValidationFailed
from booking.salons.models import SalonMember
from booking.salons.services import (
    staff_member_create,
    staff_member_update,
)
from booking.salons.tests.factories import (
    SalonFactory,
    SalonMemberFactory,
    ServiceFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db


def test_it_creates_a_staff_member_performing_the_given_services() -> None:
    salon = SalonFactory()
    services = [ServiceFactory(salon=salon), ServiceFactory(salon=salon)]
    member = staff_member_create(
        salon=salon, display_name="Kim", service_ids=[s.id for s in services]
    )
    assert set(member.services.all()) == set(services)


def test_it_rejects_services_of_another_salon() -> None:
    salon = SalonFactory()
    foreign = ServiceFactory()
    with pytest.raises(ValidationFailed) as error:
        staff_member_create(salon=salon, display_name="Kim", service_ids=[foreign.id])
    assert error.value.code == "unknown_service"


def test_it_gives_a_login_by_email_as_a_staff_membership() -> None:
    salon = SalonFactory()
    user = UserFactory(email="kim@example.com")
    member = staff_member_create(salon=salon, display_name="Kim", user_email="KIM@example.com")
    assert member.user == user
    assert SalonMember.objects.get(salon=salon, user=user).role == SalonMember.Role.STAFF


def test_it_keeps_the_owner_role_when_an_owner_is_also_staff() -> None:
    salon = SalonFactory()
    owner = SalonMemberFactory(salon=salon).user
    staff_member_create(salon=salon, display_name="Boss", user_email=owner.email)
    assert SalonMember.objects.get(salon=salon, user=owner).role == SalonMember.Role.OWNER


def test_it_rejects_an_email_without_an_account() -> None:
    with pytest.raises(ValidationFailed) as error:
        staff_member_create(salon=SalonFactory(), display_name="Kim", user_email="no@example.com")
    assert error.value.code == "unknown_user"


def test_it_rejects_one_login_for_two_staff_members_of_a_salon() -> None:
    salon = SalonFactory()
    user = UserFactory()
    staff_member_create(salon=salon, display_name="A", user_email=user.email)
    with pytest.raises(Conflict) as error:
        staff_member_create(salon=salon, display_name="B", user_email=user.email)
    assert error.value.code == "staff_user_taken"


def test_it_removes_the_login_and_staff_membership_when_the_email_is_cleared() -> None:
    salon = SalonFactory()
    user = UserFactory()
    member = staff_member_create(salon=salon, display_name="A", user_email=user.email)
    staff_member_update(staff_member=member, data={"user_email": None})
    member.refresh_from_db()
    assert member.user is None
    assert not SalonMember.objects.filter(salon=salon, user=user).exists()


def test_it_replaces_the_services_on_update() -> None:
    salon = SalonFactory()
    old, new = ServiceFactory(salon=salon), ServiceFactory(salon=salon)
    member = StaffMemberFactory(salon=salon, services=[old])
    staff_member_update(staff_member=member, data={"service_ids": [new.id]})
    assert list(member.services.all()) == [new]


def test_it_deactivates_instead_of_deleting() -> None:
    member = StaffMemberFactory()
    staff_member_update(staff_member=member, data={"is_active": False})
    member.refresh_from_db()
    assert member.is_active is False
