"""`manage.py explain_paths`: EXPLAIN ANALYZE of every statement of the bench's request paths.

Against the configured database (PostgreSQL only), inside one transaction that is rolled back,
so nothing is written, the booking included. Answers are cached in a private in-process cache
for the run, so every path reaches the database and the shared cache is neither read nor
written. Exits non-zero when a path fails or a statement scans a large table sequentially.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client, override_settings
from rest_framework_simplejwt.tokens import AccessToken

from booking.core.path_plans import Driver, PathReport, drive, summary_lines
from booking.core.query_plans import DEFAULT_MAX_BUFFERS, DEFAULT_MAX_SEQ_ROWS, PlanRecorder

DEMO_CUSTOMER = "customer@example.com"  # seed_demo's customer (booking.demo.tables)
THROWAWAY_CUSTOMER = "explain-paths@example.invalid"  # created when absent, rolled back
TABLE_ROWS_SQL = (
    "SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'm')"
)


class Command(BaseCommand):
    help = (
        "EXPLAIN (ANALYZE, BUFFERS) every SQL statement of the benchmark's request paths (salon "
        "list, salon page, availability miss, booking) in a transaction that is rolled back; "
        "fails when a statement reads a large table sequentially. PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", type=Path, help="also write the plans to this JSON file")
        parser.add_argument("--deep-page", type=int, default=50, help="the deep list page (50)")
        parser.add_argument("--salon", help="the salon for the detail, availability and booking")
        parser.add_argument(
            "--customer", default=DEMO_CUSTOMER, help=f"who books (default {DEMO_CUSTOMER})"
        )
        parser.add_argument(
            "--max-seq-rows",
            type=int,
            default=DEFAULT_MAX_SEQ_ROWS,
            help=f"largest table a sequential scan may read (default {DEFAULT_MAX_SEQ_ROWS})",
        )
        parser.add_argument(
            "--max-buffers",
            type=int,
            default=DEFAULT_MAX_BUFFERS,
            help=f"most pages one statement may touch (default {DEFAULT_MAX_BUFFERS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"explain_paths reads PostgreSQL's EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON); "
                f"this database is {connection.vendor}. Point DATABASE_URL at PostgreSQL."
            )
        reports, tables = self.explain(options)
        result = report_json(reports, tables, connection.settings_dict["NAME"], options)
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=2) + "\n")
        lines = header(result) + summary_lines(reports, result["max_seq_rows"])
        self.stdout.write("\n".join(lines))
        failed = [r.name for r in reports if not r.ok] + result["missing_paths"]
        if failed:
            raise CommandError(
                f"explain_paths: {', '.join(failed)} failed, scan large tables or read too much"
            )

    def explain(self, options: dict[str, Any]) -> tuple[list[PathReport], dict[str, float]]:
        connection = connections[DEFAULT_DB_ALIAS]
        with override_settings(CACHES=private_cache()), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(TABLE_ROWS_SQL)
                tables = {name: float(rows) for name, rows in cursor.fetchall()}
            recorder = PlanRecorder(tables, options["max_seq_rows"], options["max_buffers"])
            token = str(AccessToken.for_user(customer(options["customer"])))
            client = Client(HTTP_HOST=request_host(settings.ALLOWED_HOSTS))
            with connection.execute_wrapper(recorder):
                reports = drive(
                    Driver(client, recorder, forget=caches["default"].clear),
                    deep_page=options["deep_page"],
                    salon=options["salon"],
                    token=token,
                    today=dt.datetime.now(dt.UTC).date(),
                )
            transaction.set_rollback(True)  # nothing of this run stays, the booking included
        return reports, tables


def private_cache() -> dict[str, Any]:
    """A cache of this run's own (a fresh name: in-process caches of one name share entries)."""
    backend = "django.core.cache.backends.locmem.LocMemCache"
    return {"default": {"BACKEND": backend, "LOCATION": f"explain-paths-{uuid.uuid4()}"}}


def customer(email: str) -> Any:
    """The customer who books: the one named, else a throwaway one (rolled back with the rest)."""
    users = get_user_model().objects
    found = users.filter(email__iexact=email).first()
    return found or users.create_user(email=THROWAWAY_CUSTOMER, password=None)  # type: ignore[attr-defined]


def request_host(allowed: list[str]) -> str:
    """A Host header this configuration accepts (production allows only its own names)."""
    for host in allowed:
        if host == "*":
            return "localhost"
        return f"explain{host}" if host.startswith(".") else host
    return "testserver"


PATHS = ("salon_list", "salon_list_deep", "salon_detail", "availability_miss", "booking_create")


def report_json(
    reports: list[PathReport], tables: dict[str, float], database: str, options: dict[str, Any]
) -> dict[str, Any]:
    ran = {report.name for report in reports}
    return {
        "database": database,
        "salons": int(tables.get("salons_salon", 0)),
        "appointments": int(tables.get("appointments_appointment", 0)),
        "max_seq_rows": options["max_seq_rows"],
        "max_buffers": options["max_buffers"],
        "ok": all(r.ok for r in reports) and ran >= set(PATHS),
        "missing_paths": [name for name in PATHS if name not in ran],
        "paths": {report.name: report.as_json() for report in reports},
    }


def header(result: dict[str, Any]) -> list[str]:
    return [
        f"Query plans on {result['database']} (about {result['salons']} salons, "
        f"{result['appointments']} appointments; pg_class estimates). A sequential scan of a "
        f"table over {result['max_seq_rows']} rows is flagged, and so is a statement touching "
        f"over {result['max_buffers']} pages; the transaction was rolled back."
    ]
