"""The web app through the stack's nginx: its files and routes, then the browser tests
(Playwright driving Debian's chromium) — customer, owner, race, keyboard, accounts, axe —
against it.
Last before the stack goes down: the browser tests change the demo salons' hours."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import ROOT, STACK_DIR

APP_CSP = "default-src 'none'; script-src 'self'"


def test_app_routes_answer_the_index_never_cached_and_assets_are_kept_a_year(stack):
    session = stack.session()
    for path in ("/", "/salons/some-salon", "/me/appointments"):
        page = session.get(stack.url(path), timeout=10)
        assert page.status_code == 200, path
        assert page.headers["Content-Type"].startswith("text/html")
        assert page.headers["Cache-Control"] == "no-cache"
        assert page.headers["Content-Security-Policy"].startswith(APP_CSP)
        assert "Strict-Transport-Security" in page.headers
    script = re.search(r'src="(/assets/[^"]+\.js)"', session.get(stack.url("/"), timeout=10).text)
    assert script, "index.html loads no hashed script"
    asset = session.get(stack.url(script.group(1)), timeout=10)
    assert asset.status_code == 200
    assert "immutable" in asset.headers["Cache-Control"]
    assert "max-age=31536000" in asset.headers["Cache-Control"]


def test_the_api_keeps_its_json_errors_beside_the_app(stack):
    answer = stack.session().get(stack.url("/api/v1/no-such-thing"), timeout=10)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_the_browser_tests_pass_against_the_stack(stack):
    run = subprocess.run(
        ["npx", "playwright", "test"],
        cwd=ROOT / "frontend",
        env={
            **os.environ,
            "BASE_URL": stack.url(""),
            "CHROMIUM_PATH": "/usr/bin/chromium",
            # The account specs follow the links in the e-mails the stack "sent" (its mail sink).
            "MAIL_SINK_FILE": str(STACK_DIR / "outbox" / "email.jsonl"),
        },
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    summary = [line for line in run.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    print(f"\n[playwright] {' / '.join(line.strip() for line in summary)}")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert any("passed" in line for line in summary)
