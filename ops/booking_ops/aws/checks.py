"""Python run inside the app image (``python -c``) to verify a restored database.

They run as one-off tasks of the migrate task definition (same image, secrets, network) with
DATABASE_HOST pointed at the restored instance; only the exit code comes back to ops, the
details go to the task's log group.
"""

from __future__ import annotations

# Row count and an order-independent checksum of every table, on the restored instance
# (the app's login) and on the source (VERIFY_SOURCE_HOST [and VERIFY_SOURCE_NAME]), each read in
# one REPEATABLE READ snapshot. Exit 0: equal; 1: contents differ; 2: a table is missing.
# VERIFY_ALLOW_DRIFT=1 reports differences (the source kept taking writes) without failing.
TABLES = """
import json, os, sys
import django
django.setup()
import psycopg
from django.db import connection

# plain connections with the app's login: Django's own may come from a pool and ignore a host
KEYS = ("dbname", "user", "password", "host", "port", "sslmode", "sslrootcert", "connect_timeout")
SQL = ("select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '')"
       " from {} t")

def connect(**override):
    params = connection.get_connection_params()
    base = {key: params[key] for key in KEYS if params.get(key)}
    return psycopg.connect(**{**base, **{k: v for k, v in override.items() if v}})

def manifest(conn):
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("select quote_ident(tablename) from pg_tables where schemaname = 'public'")
        return {name: list(cur.execute(SQL.format(name)).fetchone())
                for (name,) in cur.fetchall()}

restored = manifest(connect())
source = manifest(connect(host=os.environ["VERIFY_SOURCE_HOST"],
                          dbname=os.environ.get("VERIFY_SOURCE_NAME")))
missing = sorted(set(source) - set(restored))
differ = sorted(t for t in source if t in restored and source[t] != restored[t])
print(json.dumps({"tables": len(source), "missing": missing, "differ": differ,
                  "source": source, "restored": restored}))
if missing:
    sys.exit(2)
sys.exit(1 if differ and os.environ.get("VERIFY_ALLOW_DRIFT") != "1" else 0)
"""

# /health/ready through Django's full stack (middleware, checks) against the restored database.
READY = """
import os, sys
import django
django.setup()
from django.test import Client
host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0]
response = Client().get("/health/ready", secure=True, HTTP_HOST=host)
print(response.status_code, response.content[:500])
sys.exit(0 if response.status_code == 200 else 1)
"""
