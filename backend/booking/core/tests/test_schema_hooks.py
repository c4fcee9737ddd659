"""The merged OpenAPI schema is the same on every export: clients are generated from it."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from booking.core.schema_hooks import EXAMPLE_USER_ID


def exported() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_two_exports_of_the_schema_are_identical():
    assert exported() == exported()


def test_allauths_user_examples_carry_one_fixed_id():
    user = exported()["components"]["schemas"]["AllauthUser"]["properties"]["id"]
    assert user["example"] == EXAMPLE_USER_ID
