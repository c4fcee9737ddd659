"""Who may do what on every management endpoint that is scoped to a salon."""

from __future__ import annotations

from typing import Any

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.salons.tests.apis.conftest import SalonWorld, url

S = "salons/{salon}"
ST = "salons/{salon}/staff/{staff}"
TIME_OFF = {"start": "2031-02-01T10:00:00+01:00", "end": "2031-02-01T12:00:00+01:00"}
SERVICE = {"name": "Cut", "duration_minutes": 30, "price": "30.00", "currency": "EUR"}
POLICY = {
    "min_notice_minutes": 60,
    "horizon_days": 30,
    "cancellation_cutoff_minutes": 120,
    "slot_step_minutes": 15,
}

READS = [
    S,
    f"{S}/policy",
    f"{S}/hours",
    f"{S}/closures",
    f"{S}/services",
    f"{S}/services/{{service}}",
    f"{S}/staff",
    ST,
    f"{ST}/hours",
    f"{ST}/time-off",
]
WRITES: list[tuple[str, str, Any, int]] = [
    ("patch", S, {"name": "Renamed"}, 200),
    ("put", f"{S}/policy", POLICY, 200),
    ("put", f"{S}/hours", [{"weekday": 0, "opens": "09:00", "closes": "17:00"}], 200),
    ("post", f"{S}/closures", {"start_date": "2031-01-01", "end_date": "2031-01-02"}, 201),
    ("delete", f"{S}/closures/{{closure}}", None, 204),
    ("post", f"{S}/services", SERVICE, 201),
    ("patch", f"{S}/services/{{service}}", {"name": "Trim"}, 200),
    ("patch", f"{S}/services/{{service}}", {"is_active": False}, 200),
    ("post", f"{S}/staff", {"display_name": "Kim"}, 201),
    ("patch", ST, {"display_name": "Kim"}, 200),
    ("patch", ST, {"is_active": False}, 200),
    ("put", f"{ST}/hours", [{"weekday": 0, "starts": "09:00", "ends": "12:00"}], 200),
    ("post", f"{ST}/time-off", TIME_OFF, 201),
    ("delete", f"{ST}/time-off/{{time_off}}", None, 204),
]
ALL = [("get", path, None, 200) for path in READS] + WRITES


def call(client: Any, method: str, path: str, body: Any, world: SalonWorld) -> Any:
    return getattr(client, method)(url(path, **world.ids()), body, format="json")


@pytest.mark.parametrize(("method", "path", "body", "ok"), ALL)
def test_it_asks_anonymous_callers_to_authenticate(
    api_client: Any, world: SalonWorld, method: str, path: str, body: Any, ok: int
) -> None:
    response = call(api_client, method, path, body, world)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path", "body", "ok"), ALL)
def test_it_hides_the_salon_from_customers_without_membership(
    client_for: Any, world: SalonWorld, method: str, path: str, body: Any, ok: int
) -> None:
    response = call(client_for(UserFactory()), method, path, body, world)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "salon_not_found"


@pytest.mark.parametrize(("method", "path", "body", "ok"), ALL)
def test_it_hides_the_salon_from_owners_of_other_salons(
    client_for: Any,
    world: SalonWorld,
    other_world: SalonWorld,
    method: str,
    path: str,
    body: Any,
    ok: int,
) -> None:
    response = call(client_for(other_world.owner), method, path, body, world)
    assert response.status_code == 404


@pytest.mark.parametrize("path", READS)
def test_it_lets_staff_read(client_for: Any, world: SalonWorld, path: str) -> None:
    response = call(client_for(world.staff_user), "get", path, None, world)
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path", "body", "ok"), WRITES)
def test_it_forbids_staff_to_write(
    client_for: Any, world: SalonWorld, method: str, path: str, body: Any, ok: int
) -> None:
    response = call(client_for(world.staff_user), method, path, body, world)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "path", "body", "ok"), ALL)
def test_it_lets_the_owner_do_everything(
    client_for: Any, world: SalonWorld, method: str, path: str, body: Any, ok: int
) -> None:
    response = call(client_for(world.owner), method, path, body, world)
    assert response.status_code == ok, response.content


OTHER_SALON_OBJECTS = [
    ("get", f"{S}/services/{{service}}"),
    ("patch", f"{S}/services/{{service}}"),
    ("get", ST),
    ("patch", ST),
    ("get", f"{ST}/hours"),
    ("put", f"{ST}/hours"),
    ("get", f"{ST}/time-off"),
    ("post", f"{ST}/time-off"),
    ("delete", f"{ST}/time-off/{{time_off}}"),
    ("delete", f"{S}/closures/{{closure}}"),
]


@pytest.mark.parametrize(("method", "path"), OTHER_SALON_OBJECTS)
def test_it_does_not_reach_objects_of_another_salon_through_an_owned_salon(
    client_for: Any, world: SalonWorld, other_world: SalonWorld, method: str, path: str
) -> None:
    ids = {**other_world.ids(), "salon": world.salon.id}
    body = {"display_name": "X", "name": "X"} if method == "patch" else None
    if path.endswith("hours"):
        body = []
    if method == "post":
        body = TIME_OFF
    response = getattr(client_for(world.owner), method)(url(path, **ids), body, format="json")
    assert response.status_code == 404


def test_it_asks_anonymous_callers_to_authenticate_for_the_salon_list(api_client: Any) -> None:
    assert api_client.get(url("salons")).status_code == 401
    assert api_client.post(url("salons"), {}, format="json").status_code == 401
