"""The MySQL driver: PyMySQL standing in for mysqlclient, installed in this one place.

PyMySQL is pure Python, so neither a machine nor the image needs a C compiler or the MySQL
client library to speak MySQL; Django's MySQL backend imports it under mysqlclient's name.
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

import pymysql
from pymysql.connections import Connection

_contexts: dict[str, ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def install() -> None:
    """Make `import MySQLdb` give PyMySQL (idempotent); called when a MySQL URL is configured,
    before Django loads its MySQL backend."""
    pymysql.install_as_MySQLdb()
    _share_tls_contexts()


def _share_tls_contexts() -> None:
    """One TLS context per set of TLS options, shared by every connection of the process.

    PyMySQL builds a new context for each connection, loading the system's CA store even in
    its default mode, which encrypts when the server offers TLS and verifies nothing: about
    30 ms of CPU per connection on our machines, most of a per-request connection's cost. A
    context may be shared by any number of sockets; a CA file changed on disk is read again
    when the process restarts.
    """
    build = getattr(Connection, "_create_ssl_ctx", None)
    if build is None:
        raise RuntimeError("PyMySQL no longer builds TLS contexts in _create_ssl_ctx: see here")
    if getattr(build, "shared", False):
        return

    def shared_context(connection: Connection, options: Any) -> ssl.SSLContext:
        if isinstance(options, ssl.SSLContext):
            return options
        key = repr(sorted(options.items()))
        with _contexts_lock:
            if key not in _contexts:
                _contexts[key] = build(connection, options)
            return _contexts[key]

    shared_context.shared = True  # type: ignore[attr-defined]
    Connection._create_ssl_ctx = shared_context  # type: ignore[method-assign]
