"""OpenAPI fuzzing: generated requests for every operation never produce a 5xx."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken

from booking.accounts.tests.factories import UserFactory
from booking.salons.models import SalonMember
from booking.salons.tests.factories import SalonMemberFactory, open_salon

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def owner_token(transactional_db) -> str:
    salon, _, _ = open_salon()
    owner = SalonMemberFactory(salon=salon, role=SalonMember.Role.OWNER, user=UserFactory()).user
    return str(RefreshToken.for_user(owner).access_token)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, owner_token):
    response = case.call(headers={"Authorization": f"Bearer {owner_token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    )
    if response.text and case.formatted_path != "/api/v1/schema/":
        json.loads(response.text)  # every body is JSON, errors included: never an HTML page
