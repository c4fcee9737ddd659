"""The links in account e-mails land on pages the web app has."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ACCOUNT_FLOWS = (
    Path(__file__).resolve().parents[4] / "frontend/src/features/account/accountFlows.ts"
)


def web_app_account_paths() -> set[str]:
    return set(re.findall(r'^\s+\w+: "(/account/[^"]*)",$', ACCOUNT_FLOWS.read_text(), re.M))


def test_every_account_email_link_is_a_page_of_the_web_app():
    pages = web_app_account_paths()
    assert "/account/sign-in" in pages  # the file is read as intended
    for name, url in settings.HEADLESS_FRONTEND_URLS.items():
        path = url.removeprefix(settings.FRONTEND_URL).replace("{key}", ":key")
        assert path in pages, name
