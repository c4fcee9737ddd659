"""Finds secret values written literally into a rendered compose configuration."""

from __future__ import annotations

import re
from typing import Any

SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|AUTH)", re.I
)
# Names that look secret but hold a path to a secret, or a non-secret setting.
ALLOWED_NAME = re.compile(r"(_FILE|_PATH|_DIR|AUTH_METHOD|_BACKEND)$", re.I)
URL_WITH_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.I)
# `--requirepass x`, `--password=x`: a literal value after a password flag.
COMMAND_SECRET = re.compile(r"--?(requirepass|password|secret)[ =]['\"]?\w", re.I)


def is_secret_name(key: str) -> bool:
    return bool(SECRET_NAME.search(key)) and not ALLOWED_NAME.search(key)


def literal_secrets(config: dict[str, Any]) -> list[str]:
    """`service: NAME` for every environment entry that carries a secret in plain text."""
    found = []
    for service_name, service in config.get("services", {}).items():
        for key, value in (service.get("environment") or {}).items():
            text = "" if value is None else str(value)
            if is_secret_name(key) and text:
                found.append(f"{service_name}: {key}")
            elif URL_WITH_PASSWORD.search(text):
                found.append(f"{service_name}: {key} (password in URL)")
        line = " ".join(_strings(service.get("entrypoint")) + _strings(service.get("command")))
        if URL_WITH_PASSWORD.search(line) or COMMAND_SECRET.search(line):
            found.append(f"{service_name}: command line")
    return found


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]
