"""The merged OpenAPI schema is the same on every export: clients are generated from it."""

from __future__ import annotations

import re

from drf_spectacular.generators import SchemaGenerator

from booking.core.schema_hooks import EXAMPLE_USER_ID


def exported() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_two_exports_of_the_schema_are_identical():
    assert exported() == exported()


def test_allauths_user_examples_carry_one_fixed_id():
    user = exported()["components"]["schemas"]["AllauthUser"]["properties"]["id"]
    assert user["example"] == EXAMPLE_USER_ID


def allauth_operations() -> list[tuple[str, str, dict]]:
    paths = exported()["paths"]
    return [
        (path, method, operation)
        for path, item in paths.items()
        if path.startswith("/api/_allauth/")
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_account_operation_lists_the_answers_every_one_of_them_can_give():
    operations = allauth_operations()
    assert len(operations) == 19
    for path, method, operation in operations:
        assert {"404", "410", "429"} <= operation["responses"].keys(), (method, path)


def test_account_writes_list_the_csrf_refusal_and_bodies_the_invalid_json_answer():
    for path, method, operation in allauth_operations():
        statuses = operation["responses"].keys()
        assert ("403" in statuses) or method == "get", (method, path)
        assert ("400" in statuses) or "requestBody" not in operation, (method, path)


def test_account_operations_that_need_a_session_list_the_signed_out_answer():
    for path, method, operation in allauth_operations():
        if "security" in operation:
            assert "401" in operation["responses"], (method, path)


def test_every_enum_value_gets_its_own_identifier_in_a_generated_client():
    """What generators do: punctuation dropped, upper case; or x-enum-varnames where given."""
    for name, schema in exported()["components"]["schemas"].items():
        if schema.get("type") != "string" or "enum" not in schema:
            continue
        names = schema.get("x-enum-varnames") or [
            re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper() for value in schema["enum"]
        ]
        assert len(set(names)) == len(schema["enum"]), name


def test_time_zones_spell_out_their_signs():
    zones = exported()["components"]["schemas"]["TimezoneEnum"]
    names = dict(zip(zones["enum"], zones["x-enum-varnames"], strict=True))
    assert names["Etc/GMT+1"] == "ETC_GMT_PLUS_1"
    assert names["Etc/GMT-1"] == "ETC_GMT_MINUS_1"
    assert names["America/Port-au-Prince"] == "AMERICA_PORT_AU_PRINCE"
    assert len({names["GMT+0"], names["GMT-0"], names["GMT0"]}) == 3
