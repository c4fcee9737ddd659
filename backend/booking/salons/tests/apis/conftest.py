from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from booking.accounts.models import User
from booking.accounts.tests.factories import UserFactory
from booking.salons.models import Closure, Salon, SalonMember, Service, StaffMember, TimeOff
from booking.salons.tests.factories import (
    ClosureFactory,
    SalonFactory,
    SalonMemberFactory,
    ServiceFactory,
    StaffMemberFactory,
    TimeOffFactory,
)


@dataclass
class SalonWorld:
    salon: Salon
    owner: User
    staff_user: User
    service: Service
    staff_member: StaffMember
    time_off: TimeOff
    closure: Closure

    def ids(self) -> dict[str, Any]:
        return {
            "salon": self.salon.id,
            "service": self.service.id,
            "staff": self.staff_member.id,
            "time_off": self.time_off.id,
            "closure": self.closure.id,
        }


def make_world() -> SalonWorld:
    salon = SalonFactory()
    owner = UserFactory()
    staff_user = UserFactory()
    SalonMemberFactory(salon=salon, user=owner, role=SalonMember.Role.OWNER)
    SalonMemberFactory(salon=salon, user=staff_user, role=SalonMember.Role.STAFF)
    service = ServiceFactory(salon=salon)
    staff_member = StaffMemberFactory(salon=salon, user=staff_user, services=[service])
    time_off = TimeOffFactory(
        staff=staff_member,
        start=dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC),
        end=dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC),
    )
    return SalonWorld(
        salon=salon,
        owner=owner,
        staff_user=staff_user,
        service=service,
        staff_member=staff_member,
        time_off=time_off,
        closure=ClosureFactory(salon=salon),
    )


@pytest.fixture
def world(db: None) -> SalonWorld:
    return make_world()


@pytest.fixture
def other_world(db: None) -> SalonWorld:
    return make_world()


def url(template: str, **ids: Any) -> str:
    return "/api/v1/manage/" + template.format(**ids)
