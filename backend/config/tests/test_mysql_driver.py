from __future__ import annotations

import ssl

import pymysql
from pymysql.connections import Connection

from config import mysql_driver

SYSTEM_CA = ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt"


def deferred(**options: object) -> Connection:
    """A connection that is configured but never opened: its TLS context is already built."""
    return pymysql.connect(host="127.0.0.1", defer_connect=True, **options)


def test_connections_with_the_same_tls_options_share_one_context():
    mysql_driver.install()
    first, second = deferred(), deferred()
    assert first.ctx is second.ctx


def test_the_default_mode_still_encrypts_when_offered_and_verifies_nothing():
    mysql_driver.install()
    connection = deferred()
    assert connection.ssl is True
    assert connection._ssl_required is False
    assert connection.ctx.verify_mode == ssl.CERT_NONE


def test_a_connection_given_a_ca_gets_its_own_verifying_context():
    mysql_driver.install()
    verifying = deferred(ssl_ca=SYSTEM_CA, ssl_verify_cert=True)
    assert verifying.ctx is not deferred().ctx
    assert verifying.ctx.verify_mode == ssl.CERT_REQUIRED
    assert verifying._ssl_required is True
    assert deferred(ssl_ca=SYSTEM_CA, ssl_verify_cert=True).ctx is verifying.ctx


def test_installing_twice_wraps_the_driver_once():
    mysql_driver.install()
    wrapped = Connection._create_ssl_ctx
    mysql_driver.install()
    assert Connection._create_ssl_ctx is wrapped
