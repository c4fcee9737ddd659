"""Finding a bookable service and a free slot in the API's own answers, as the bench does."""

from __future__ import annotations

import datetime as dt

from booking.core.path_plans import availability_path, bookable_service, first_slot

DETAIL = {
    "services": [{"id": "nobody-offers-it"}, {"id": "cut"}, {"id": "colour"}],
    "staff": [{"id": "ann", "service_ids": ["colour", "cut"]}],
}


def test_it_books_the_first_service_a_staff_member_offers() -> None:
    assert bookable_service(DETAIL) == "cut"


def test_a_salon_without_staff_has_no_bookable_service() -> None:
    assert bookable_service({"services": DETAIL["services"], "staff": []}) is None


def test_it_takes_the_first_slot_that_has_a_staff_member() -> None:
    answer = {
        "slots": [
            {"start": "2026-12-04T09:00:00+01:00", "staff_ids": []},
            {"start": "2026-12-04T09:15:00+01:00", "staff_ids": ["ann", "bob"]},
        ]
    }
    assert first_slot(answer, "cut") == {
        "service": "cut",
        "start": "2026-12-04T09:15:00+01:00",
        "staff": "ann",
    }


def test_no_answer_or_no_slots_means_no_booking() -> None:
    assert first_slot(None, "cut") is None
    assert first_slot({"slots": []}, "cut") is None


def test_availability_is_asked_for_a_whole_week() -> None:
    path = availability_path("s1", "cut", dt.date(2026, 12, 4))
    assert path == "/api/v1/salons/s1/availability?service=cut&from=2026-12-04&to=2026-12-10"
