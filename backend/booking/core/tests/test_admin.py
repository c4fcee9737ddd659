"""Platform staff can open every model's pages in the admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from booking.accounts.models import User
from booking.appointments.tests.factories import AppointmentFactory
from booking.core.models import IdempotencyRecord
from booking.salons.tests.factories import (
    ClosureFactory,
    SalonMemberFactory,
    TimeOffFactory,
    open_salon,
)

pytestmark = pytest.mark.django_db
OUR_APPS = {"core", "accounts", "addresses", "salons", "appointments"}
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in OUR_APPS
)


@pytest.fixture
def staff_client(client: Client) -> Client:
    user = User.objects.create_superuser("admin@example.com", "admin-pass-123", first_name="A")
    client.force_login(user)
    return client


@pytest.fixture
def some_data() -> None:
    salon, service, staff = open_salon(staff_count=2)
    SalonMemberFactory(salon=salon)
    ClosureFactory(salon=salon)
    AppointmentFactory(service=service, staff=staff[0])
    appointment = AppointmentFactory(service=service, staff=staff[1])
    TimeOffFactory(
        staff=staff[0], start=appointment.end, end=appointment.end + dt.timedelta(hours=1)
    )
    IdempotencyRecord.objects.create(
        user=appointment.customer,
        key="k",
        scope="appointment_book",
        request_fingerprint="f",
        response_status=201,
        response_body={},
        expires_at=appointment.start,
    )


def test_every_domain_model_is_registered() -> None:
    registered = {label for label, _ in MODELS}
    assert registered == OUR_APPS


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_it_shows_the_changelist(
    staff_client: Client, some_data: None, django_assert_max_num_queries: Any, app: str, model: str
) -> None:
    with django_assert_max_num_queries(30):
        response = staff_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_it_searches_the_changelist(
    staff_client: Client, some_data: None, app: str, model: str
) -> None:
    response = staff_client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "salon"})
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_it_shows_the_add_page(staff_client: Client, app: str, model: str) -> None:
    assert staff_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_it_shows_the_change_page(
    staff_client: Client, some_data: None, app: str, model: str
) -> None:
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class._default_manager.first()
    assert obj is not None
    response = staff_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


def test_it_creates_a_user_with_email_and_no_username(staff_client: Client) -> None:
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.com",
            "first_name": "New",
            "last_name": "Person",
            "password1": "a-long-enough-pw-123",
            "password2": "a-long-enough-pw-123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.get(email="new@example.com").check_password("a-long-enough-pw-123")
