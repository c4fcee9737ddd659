from __future__ import annotations

import datetime as dt
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from booking.accounts.models import User
from booking.appointments.availability import availability_for
from booking.appointments.models import OCCUPYING_STATUSES, Appointment
from booking.demo.planner import demo_data_plan
from booking.demo.services import demo_data_seed
from booking.demo.tables import DEMO_PASSWORD
from booking.salons.models import Salon, Service, WorkingHours
from booking.salons.tests.factories import SalonFactory


@pytest.mark.django_db
def test_it_writes_exactly_the_planned_rows() -> None:
    demo_data_seed(salons=4, seed=2)
    plan = demo_data_plan(salons=4, seed=2, today=timezone.localdate())
    assert set(Salon.objects.values_list("id", flat=True)) == {s.id for s in plan.salons}
    assert Appointment.objects.count() == len(plan.appointments) > 0


@pytest.mark.django_db
def test_it_adds_nothing_when_run_twice() -> None:
    first = demo_data_seed(salons=4, seed=1)
    counts = (User.objects.count(), Salon.objects.count(), Appointment.objects.count())
    second = demo_data_seed(salons=4, seed=1)
    assert first.created["salons"] == 4
    assert set(second.created.values()) == {0}
    assert (User.objects.count(), Salon.objects.count(), Appointment.objects.count()) == counts


@pytest.mark.django_db
def test_it_does_nothing_with_if_empty_when_a_salon_exists() -> None:
    SalonFactory()
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Salon.objects.count() == 1
    assert "no demo data" in out.getvalue()


@pytest.mark.django_db
def test_it_prints_demo_logins_that_work() -> None:
    out = StringIO()
    call_command("seed_demo", "--salons", "3", stdout=out)
    for email in ("owner@example.com", "customer@example.com"):
        assert email in out.getvalue()
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert Salon.objects.filter(members__user__email="owner@example.com").count() == 3


@pytest.mark.django_db
def test_its_logins_sign_in_through_allauths_browser_client() -> None:
    demo_data_seed(salons=3, seed=1)
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/_allauth/browser/v1/auth/session")  # hands out the CSRF cookie
    response = browser.post(
        "/api/_allauth/browser/v1/auth/login",
        {"email": "customer@example.com", "password": DEMO_PASSWORD},
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert response.status_code == 200  # not 401 "verify your e-mail first"
    assert response.json()["data"]["user"]["email"] == "customer@example.com"


@pytest.mark.django_db
def test_it_never_overlaps_appointments_of_one_staff_member() -> None:
    demo_data_seed(salons=6, seed=5)
    rows = Appointment.objects.filter(status__in=OCCUPYING_STATUSES).order_by("staff", "start")
    for earlier, later in pairwise(rows.values_list("staff_id", "start", "occupied_until")):
        if earlier[0] == later[0]:
            assert earlier[2] <= later[1]


@pytest.mark.django_db
def test_it_keeps_staff_hours_inside_opening_hours() -> None:
    demo_data_seed(salons=6, seed=5)
    for hours in WorkingHours.objects.select_related("staff__salon"):
        assert hours.staff.salon.opening_hours.filter(
            weekday=hours.weekday, opens__lte=hours.starts, closes__gte=hours.ends
        ).exists()


@pytest.mark.django_db
def test_it_leaves_free_slots_in_the_coming_weeks() -> None:
    demo_data_seed(salons=6, seed=7)
    today = timezone.localdate()
    for service in Service.objects.select_related("salon"):
        slots = availability_for(
            salon=service.salon,
            service=service,
            date_from=today + dt.timedelta(days=2),
            date_to=today + dt.timedelta(days=15),
        )
        assert len(slots) > 20, service


@pytest.mark.django_db
def test_a_run_of_another_size_adds_its_salons_without_colliding() -> None:
    demo_data_seed(salons=2, seed=1)
    users = User.objects.count()
    other = demo_data_seed(
        salons=5, seed=1
    )  # another size is another data set; customers are shared
    assert other.created["salons"] == 5
    assert Salon.objects.count() == 7
    assert User.objects.count() > users
