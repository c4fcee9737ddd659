"""The OpenAPI schema is the contract: schemathesis's engine (what `schemathesis run --checks all`
runs: examples, coverage, fuzzing and stateful phases over the schema's OpenAPI links), in-process
over WSGI on the real PostgreSQL test database: our API as a customer and as a salon owner, and
allauth's account API as a signed-in user of both its clients.

Examples per operation are kept small (MAX_EXAMPLES) so both runs stay within a few minutes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
import schemathesis
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from booking.accounts.tests.factories import UserFactory
from booking.salons.tests.apis.conftest import make_world
from config.wsgi import application

MAX_EXAMPLES = 8
SEED = 16  # reproducible runs; change it to explore other examples
OURS = r"^/api/v1/"
ACCOUNTS = r"^/api/_allauth/"

pytestmark = pytest.mark.django_db(transaction=True)


def wsgi_app(opened: list[BaseDatabaseWrapper], cookie: str | None = None) -> Any:
    """The WSGI app, noting the database connections of the engine's threads in `opened`.

    They stay open from one call to the next (a new connection per call cost a fifth of the
    run) and are closed when the run ends, before the test's database is flushed.
    werkzeug's client sets no REMOTE_ADDR, which every server does (allauth's limits need it),
    and drops a Cookie header for its own empty cookie jar: the cookie is set here instead.
    """

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        try:
            return list(application(environ, start_response))
        finally:
            connection = connections["default"]
            if connection not in opened:
                opened.append(connection)

    return app


def close_connections(opened: list[BaseDatabaseWrapper]) -> None:
    """Close the connections of the engine's threads from this one (and this one's own)."""
    for connection in opened:
        if connection is not connections["default"]:
            connection.inc_thread_sharing()  # Django refuses another thread's otherwise
        connection.close()


def run_contract(
    headers: dict[str, str],
    paths: str = OURS,
    *,
    cookie: str | None = None,
    stateful: bool = True,
    skip: str | None = None,
) -> tuple[Counter[str], list[str]]:
    """Every check on every operation under `paths` (but `skip`, a "METHOD path-regex");
    returns counts and the failures found."""
    config = SchemathesisConfig.from_dict(
        {
            # identity: werkzeug's client does not decompress what the response cache gzipped
            "headers": {**headers, "Accept-Encoding": "identity"},
            "generation": {"max-examples": MAX_EXAMPLES},
            "continue-on-failure": True,
            # A schema cannot state every rule (a date range at most 31 days, an interval that
            # ends after it starts, a phone number that exists, a password not among the common
            # ones, a token that is still valid): schema-valid data may get a 400, which must
            # still be our error shape with its code (response_schema_conformance checks that).
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {
                    "expected-statuses": [
                        "2xx",
                        "3xx",
                        "400",
                        "401",
                        "403",
                        "404",
                        "409",
                        "422",
                        "429",
                    ]
                },
            },
            "phases": {"stateful": {"enabled": stateful}},
            "workers": 1,
            "cache": {"enabled": False},  # nothing left behind in the working tree
            "seed": SEED,
        }
    )
    opened: list[BaseDatabaseWrapper] = []
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app(opened, cookie), config=config)
    schema = schema.include(path_regex=paths)
    if skip:
        method, path = skip.split(" ", 1)
        schema = schema.exclude(method=method, path_regex=path)
    try:
        counts, failures = _tally(from_schema(schema).execute())
    finally:
        close_connections(opened)
    counts["operations"] = len(list(schema.get_all_operations()))
    return counts, failures


def _tally(run: Iterable[events.EngineEvent]) -> tuple[Counter[str], list[str]]:
    """Counts of scenarios, cases and phases, and the failures found, from the engine's events."""
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for event in run:
        if isinstance(event, events.ScenarioFinished):
            counts["scenarios"] += 1
            counts["cases"] += len(event.recorder.cases)
            failures += _failures(event)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"error: {getattr(event, 'label', '')}: {event.info.format()}")
        elif isinstance(event, events.PhaseFinished):
            counts[f"phase {event.phase.name.value}: {event.status.value}"] += 1
        elif isinstance(event, events.EngineFinished):
            failures += [f"after run: {f.title}" for f in event.failures]
    return counts, failures


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def _failures(event: events.ScenarioFinished) -> list[str]:
    if event.status != Status.FAILURE:
        return []
    found = []
    for case_id, checks in event.recorder.checks.items():
        interaction = event.recorder.interactions.get(case_id)
        response = interaction.response if interaction else None
        answer = f"{response.status_code} {response.content[:200]!r}" if response else ""
        if interaction:
            sent = interaction.request
            answer = f"{sent.method} {sent.uri} {(sent.body or b'')[:200]!r} -> {answer}"
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                failure = check.failure_info.failure
                found.append(f"{event.label}: {check.name}: {failure.title} -> {answer}")
    return sorted(set(found))


@pytest.fixture(autouse=True)
def _werkzeug_without_max_redirects(monkeypatch: pytest.MonkeyPatch) -> None:
    """schemathesis 4.32's auth probe passes requests' socket options on to werkzeug's client."""
    from werkzeug.test import Client

    original = Client.open

    def open_(self: Client, *args: Any, **kwargs: Any) -> Any:
        for name in ("max_redirects", "verify", "cert", "proxies", "timeout", "allow_redirects"):
            kwargs.pop(name, None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "open", open_)


def test_a_customer_gets_exactly_what_the_schema_promises() -> None:
    make_world()  # a salon to find and book, and to be refused to manage
    counts, failures = run_contract(bearer(UserFactory()))
    print("contract as a customer:", dict(counts))
    print("\n".join(failures))
    assert failures == []
    assert counts["phase stateful: success"] == 1  # the OpenAPI links were followed


def test_a_salon_owner_gets_exactly_what_the_schema_promises() -> None:
    counts, failures = run_contract(bearer(make_world().owner))
    print("contract as a salon owner:", dict(counts))
    print("\n".join(failures))
    assert failures == []
    assert counts["phase stateful: success"] == 1


def signed_in_to_both_account_clients() -> tuple[dict[str, str], str]:
    """A browser session (cookie, and the CSRF token its writes must echo) and an app client's
    access token carrying its own allauth session: the account endpoints that need one run."""
    user = UserFactory()
    credentials = {"email": user.email, "password": "correct-horse-battery"}
    browser = Client()
    browser.get("/api/_allauth/browser/v1/auth/session")
    csrf = browser.cookies["csrftoken"].value
    browser.post(
        "/api/_allauth/browser/v1/auth/login",
        credentials,
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    session, csrf = browser.cookies["sessionid"].value, browser.cookies["csrftoken"].value
    app_login = Client().post(
        "/api/_allauth/app/v1/auth/login", credentials, content_type="application/json"
    )
    access = app_login.json()["meta"]["access_token"]
    headers = {"Authorization": f"Bearer {access}", "X-CSRFToken": csrf}
    return headers, f"sessionid={session}; csrftoken={csrf}"


def test_the_account_api_gives_exactly_what_the_schema_promises(settings: Any) -> None:
    # Its limits are covered by the flow tests; here they would turn most cases into 429s.
    settings.ACCOUNT_RATE_LIMITS = False
    # Signing out ends the sessions every later case runs in (the flow tests cover it).
    headers, cookie = signed_in_to_both_account_clients()
    counts, failures = run_contract(
        headers, ACCOUNTS, cookie=cookie, stateful=False, skip="DELETE /auth/session$"
    )
    print("contract of the account API:", dict(counts))
    print("\n".join(failures))
    assert failures == []
    assert counts["operations"] == 18
