"""The only module that reads the process environment.

Every setting that varies between topologies comes through here, so that what a deployment must
provide is listed in one place and a missing secret stops the process with its name.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote


class MissingVariableError(RuntimeError):
    """A variable the current settings require is not set."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Environment variable {name} (or {name}_FILE) is required by these settings "
            "and is not set."
        )
        self.name = name


class InvalidVariableError(ValueError):
    """A variable is set to something its reader cannot understand."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"Environment variable {name}={value!r} is not {expected}.")
        self.name = name


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _raw(name: str) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return None


def string(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def required(name: str) -> str:
    value = _raw(name)
    if value is None:
        raise MissingVariableError(name)
    return value


def boolean(name: str, default: bool = False) -> bool:
    """true/false, 1/0, yes/no or on/off in any case; anything else stops the process, since
    a typo read as "off" could silently switch off a safety setting."""
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        raise InvalidVariableError(name, value, "a boolean (true/false, 1/0, yes/no, on/off)")
    return word in _TRUE


def integer(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidVariableError(name, value, "an integer") from None


def csv(name: str, default: str = "") -> list[str]:
    value = _raw(name)
    text = default if value is None else value
    return [item.strip() for item in text.split(",") if item.strip()]


def choices(name: str, allowed: Collection[str]) -> list[str]:
    """A comma list whose items (any case) must all be among `allowed`; lower-cased."""
    items = [item.lower() for item in csv(name)]
    if any(item not in allowed for item in items):
        raise InvalidVariableError(
            name, _raw(name) or "", f"a comma list of {', '.join(sorted(allowed))}"
        )
    return items


# "postgresql" too: the name RDS and the CDK app give the engine.
_DATABASE_ENGINES = {
    "postgres": ("postgres", "5432"),
    "postgresql": ("postgres", "5432"),
    "mysql": ("mysql", "3306"),
}


def database_url() -> str | None:
    """DATABASE_URL, or one built from DATABASE_HOST/..._PASSWORD (how RDS secrets arrive), for
    DATABASE_ENGINE (postgres, the default, or mysql)."""
    url = string("DATABASE_URL")
    if url or not string("DATABASE_HOST"):
        return url
    port = string("DATABASE_PORT") or _database_engine()[1]
    return _database_url_for(required("DATABASE_HOST"), port)


def database_replica_urls() -> list[str]:
    """DATABASE_REPLICA_URLS, or DATABASE_REPLICA_HOSTS (host:port,...) with the primary's login."""
    urls = csv("DATABASE_REPLICA_URLS")
    if urls:
        return urls
    default_port = _database_engine()[1]
    return [
        _database_url_for(*host.split(":", 1))
        if ":" in host
        else _database_url_for(host, default_port)
        for host in csv("DATABASE_REPLICA_HOSTS")
    ]


def _database_engine() -> tuple[str, str]:
    """(URL scheme, default port) of DATABASE_ENGINE; a typo stops the process."""
    engine = (string("DATABASE_ENGINE", "postgres") or "postgres").strip().lower()
    if engine not in _DATABASE_ENGINES:
        raise InvalidVariableError("DATABASE_ENGINE", engine, "postgres, postgresql or mysql")
    return _DATABASE_ENGINES[engine]


def _database_url_for(host: str, port: str) -> str:
    scheme = _database_engine()[0]
    user = quote(required("DATABASE_USER"), safe="")
    password = quote(required("DATABASE_PASSWORD"), safe="")
    name = string("DATABASE_NAME", "booking")
    return f"{scheme}://{user}:{password}@{host}:{port}/{name}"


def redis_url(name: str) -> str | None:
    """A Redis URL with REDIS_AUTH_TOKEN inserted when it arrives separately (ElastiCache)."""
    url = string(name)
    token = string("REDIS_AUTH_TOKEN")
    if not url or not token or "@" in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://:{quote(token, safe='')}@{rest}"
