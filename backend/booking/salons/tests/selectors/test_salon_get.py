from __future__ import annotations

import datetime as dt

import pytest

from booking.core.errors import NotFound
from booking.salons.selectors import MAX_UPCOMING_CLOSURES, StaffCard, salon_get
from booking.salons.tests.factories import (
    ClosureFactory,
    SalonFactory,
    ServiceFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 March 2026: already 00:30 on 2 March in Berlin (UTC+1).
NOW = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


def closures_on_page(salon_id: object) -> list[tuple[dt.date, dt.date]]:
    return [(c.start_date, c.end_date) for c in salon_get(salon_id=salon_id, now=NOW).closures]


def test_a_closure_that_ended_yesterday_in_the_salons_zone_is_left_out():
    salon = SalonFactory(timezone="Europe/Berlin")
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 1))
    assert closures_on_page(salon.id) == []


def test_a_closure_ending_today_in_a_zone_behind_utc_is_kept():
    salon = SalonFactory(timezone="America/Los_Angeles")  # 15:30 on 1 March there
    ClosureFactory(salon=salon, start_date=dt.date(2026, 2, 28), end_date=dt.date(2026, 3, 1))
    assert closures_on_page(salon.id) == [(dt.date(2026, 2, 28), dt.date(2026, 3, 1))]


def test_closures_beginning_more_than_eight_weeks_ahead_are_left_out():
    salon = SalonFactory(timezone="Europe/Berlin")  # today 2 March; the last day is 27 April
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 27), end_date=dt.date(2026, 4, 27))
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 28), end_date=dt.date(2026, 4, 28))
    assert closures_on_page(salon.id) == [(dt.date(2026, 4, 27), dt.date(2026, 4, 27))]


def test_at_most_a_bounded_number_of_closures_is_listed_soonest_first():
    salon = SalonFactory(timezone="Europe/Berlin")
    for day in reversed(range(MAX_UPCOMING_CLOSURES + 5)):
        date = dt.date(2026, 3, 2) + dt.timedelta(days=day)
        ClosureFactory(salon=salon, start_date=date, end_date=date)
    listed = closures_on_page(salon.id)
    assert len(listed) == MAX_UPCOMING_CLOSURES
    assert listed[0][0] == dt.date(2026, 3, 2) and listed == sorted(listed)


@pytest.mark.parametrize("salon_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_malformed_or_unknown_id_is_not_found(salon_id):
    with pytest.raises(NotFound) as raised:
        salon_get(salon_id=salon_id, now=NOW)
    assert raised.value.code == "salon_not_found"


def test_an_inactive_salon_is_not_found():
    salon = SalonFactory(is_active=False)
    with pytest.raises(NotFound):
        salon_get(salon_id=salon.id, now=NOW)


def test_the_page_holds_active_services_and_staff_with_every_service_they_offer_by_name():
    salon = SalonFactory()
    cut, colour = (
        ServiceFactory(salon=salon, name="Cut"),
        ServiceFactory(salon=salon, name="Colour"),
    )
    retired = ServiceFactory(salon=salon, name="Afro", is_active=False)
    bea = StaffMemberFactory(salon=salon, display_name="Bea", services=[cut, retired, colour])
    ada = StaffMemberFactory(salon=salon, display_name="Ada")
    StaffMemberFactory(salon=salon, display_name="Gone", is_active=False, services=[cut])
    StaffMemberFactory(display_name="Elsewhere", services=[ServiceFactory()])

    page = salon_get(salon_id=str(salon.id), now=NOW)

    assert (page.id, page.name, page.address.city) == (salon.id, salon.name, salon.address.city)
    assert [s.name for s in page.services] == ["Colour", "Cut"]
    assert page.staff == [
        StaffCard(ada.id, "Ada", []),
        StaffCard(bea.id, "Bea", [retired.id, colour.id, cut.id]),
    ]
