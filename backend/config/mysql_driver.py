"""The MySQL driver: PyMySQL standing in for mysqlclient, installed in this one place.

PyMySQL is pure Python, so neither a machine nor the image needs a C compiler or the MySQL
client library to speak MySQL; Django's MySQL backend imports it under mysqlclient's name.
"""

from __future__ import annotations

import pymysql


def install() -> None:
    """Make `import MySQLdb` give PyMySQL (idempotent); called when a MySQL URL is configured,
    before Django loads its MySQL backend."""
    pymysql.install_as_MySQLdb()
