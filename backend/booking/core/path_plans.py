"""The bench's request paths driven in-process, with the query plan of every statement.

The paths are those `make bench` measures (bench/README.md): the salon list (page 1 and a deep
page), a salon's page, an availability miss for a salon/service/week, and a booking by a
customer of a free slot taken from that answer, the way bench/data.py finds slots. Each goes
through Django's test client and the whole middleware stack; salons, services and slots are
found through the API's own answers, so this module knows URLs, not the apps' models.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from booking.core.query_plans import PlanRecorder, StatementPlan, worst_node

PAGE_SIZE = 20
DAYS_AHEAD = 2  # the bench's first bookable day (bench/data.py)
WEEK = 7
EXPECTED = {"GET": 200, "POST": 201}


@dataclass
class PathReport:
    name: str
    request: str
    status: int
    statements: list[StatementPlan] = field(default_factory=list)

    @property
    def expected_status(self) -> bool:
        return self.status == EXPECTED[self.request.split()[0]]

    @property
    def ok(self) -> bool:
        return self.expected_status and all(s.ok for s in self.statements)

    @property
    def execution_ms(self) -> float:
        return round(sum(s.execution_ms for s in self.statements), 3)

    def worst(self) -> str | None:
        return worst_node([scan for s in self.statements for scan in s.scans])

    def as_json(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "status": self.status,
            "ok": self.ok,
            "statements": len(self.statements),
            "execution_ms": self.execution_ms,
            "planning_ms": round(sum(s.planning_ms for s in self.statements), 3),
            "worst_node": self.worst(),
            "large_seq_scans": sorted(
                {
                    f"{scan.relation} ({scan.table_rows} rows)"
                    for s in self.statements
                    for scan in s.large_seq_scans
                }
            ),
            "most_buffers": max(
                (s.buffers_hit + s.buffers_read for s in self.statements), default=0
            ),
            "plans": [s.as_json() for s in self.statements],
        }


class Driver:
    """Requests through the test client, each with the plans of the SQL it ran."""

    def __init__(
        self, client: Client, recorder: PlanRecorder, forget: Callable[[], None] = lambda: None
    ) -> None:
        # `forget` empties the cache before each GET, so each read is measured uncached. A POST
        # is not cached, and the booking then finds the salon's schedule snapshot that the
        # availability request before it loaded, as a bench booking does.
        self.client, self.recorder, self.forget = client, recorder, forget
        self.reports: dict[str, PathReport] = {}

    def call(
        self,
        name: str,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        token: str | None = None,
    ) -> Any:
        """The decoded JSON answer; the path's report is kept under `name` (last call wins)."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        # As if through the proxy's TLS: production redirects plain HTTP.
        if method == "GET":
            self.forget()
        plans: list[StatementPlan] = []
        self.recorder.recording = plans
        try:
            if method == "POST":
                response = self.client.post(
                    path,
                    json.dumps(body),
                    content_type="application/json",
                    headers=headers,
                    secure=True,
                )
            else:
                response = self.client.get(path, headers=headers, secure=True)
        finally:
            self.recorder.recording = None
        self.reports[name] = PathReport(name, f"{method} {path}", response.status_code, plans)
        is_json = response.get("Content-Type", "").startswith("application/json")
        return response.json() if is_json else None


def availability_path(salon: str, service: str, first: dt.date) -> str:
    last = first + dt.timedelta(days=WEEK - 1)
    return f"/api/v1/salons/{salon}/availability?service={service}&from={first}&to={last}"


def bookable_service(detail: Mapping[str, Any]) -> str | None:
    """The first of a salon's services that one of its staff members offers."""
    offered = {service for staff in detail.get("staff", ()) for service in staff["service_ids"]}
    return next((s["id"] for s in detail.get("services", ()) if s["id"] in offered), None)


def first_slot(answer: Mapping[str, Any] | None, service: str) -> dict[str, str] | None:
    """A booking body for the first free slot of an availability answer (bench/data.py)."""
    for slot in (answer or {}).get("slots", ()):
        if slot["staff_ids"]:
            return {"service": service, "start": slot["start"], "staff": slot["staff_ids"][0]}
    return None


def drive(
    driver: Driver, *, deep_page: int, salon: str | None, token: str, today: dt.date
) -> list[PathReport]:
    """Every path, in the order a visitor takes them; a path that cannot run is left out."""
    listing = driver.call("salon_list", "GET", f"/api/v1/salons?page_size={PAGE_SIZE}&page=1")
    pages = max(1, -(-int((listing or {}).get("count", 0)) // PAGE_SIZE))
    deep = min(deep_page, pages)
    page = driver.call(
        "salon_list_deep", "GET", f"/api/v1/salons?page_size={PAGE_SIZE}&page={deep}"
    )
    candidates = [salon] if salon else [s["id"] for s in (page or {}).get("results", ())]
    body = None
    for salon_id in candidates:  # the first salon on the deep page with a free slot
        detail = driver.call("salon_detail", "GET", f"/api/v1/salons/{salon_id}") or {}
        service = bookable_service(detail)
        if service is None:
            continue
        first = today + dt.timedelta(days=DAYS_AHEAD)
        path = availability_path(salon_id, service, first)
        answer = driver.call("availability_miss", "GET", path)
        body = first_slot(answer, service)
        if body is not None:
            break
    if body is not None:
        driver.call("booking_create", "POST", "/api/v1/appointments", body, token)
    return list(driver.reports.values())


def summary_lines(reports: list[PathReport], max_seq_rows: int) -> list[str]:
    """Per path: its statements, the worst node and the time; then what each statement did."""
    out = []
    for report in reports:
        verdict = "ok" if report.ok else "FLAGGED"
        out.append(
            f"{report.name}: {report.request} -> {report.status}; {len(report.statements)} "
            f"statements, {report.execution_ms:.2f} ms executing; worst: {report.worst()} "
            f"[{verdict}]"
        )
        for number, statement in enumerate(report.statements, 1):
            out.append(f"  {number}. {statement_line(statement)}")
    small = sorted(
        {
            f"{scan.relation} ({scan.table_rows} rows)"
            for report in reports
            for s in report.statements
            for scan in s.small_seq_scans
        }
    )
    if small:
        out.append(
            f"read whole, at most {max_seq_rows} rows each (cheaper than an index, fine): "
            + ", ".join(small)
        )
    return out


def statement_line(statement: StatementPlan, width: int = 90) -> str:
    sql = " ".join(statement.sql.split())
    sql = sql if len(sql) <= width else sql[: width - 1] + "…"
    if statement.error:
        return f"ERROR {statement.error.strip()} — {sql}"
    nodes = " > ".join(dict.fromkeys(statement.node_types))
    flag = "".join(f"  SEQ SCAN {s.describe()}" for s in statement.large_seq_scans)
    if statement.too_many_buffers:
        flag += f"  READS {statement.buffers_hit + statement.buffers_read} PAGES"
    return f"{statement.execution_ms:7.3f} ms  {nodes}{flag}\n       {sql}"
