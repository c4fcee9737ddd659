"""Query plans of a request's SQL: captured while it runs, read, and judged (PostgreSQL).

`PlanRecorder` is a `connection.execute_wrapper`: before each statement runs it runs
`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` of it inside a savepoint that it rolls back, so a
write is measured against the rows as they are at that moment and then really executed once.
The rest are pure functions over PostgreSQL's JSON plans: which nodes a plan has, which scans
it does, whether a sequential scan reads a table too large to scan on every request, and
whether a statement touches more pages than a request's statement should (an index scan can
read a whole index: a GiST index searched by its second column did, 3560 pages).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# Statements EXPLAIN accepts that our paths run; SAVEPOINT, SET and the like are not plans.
EXPLAINABLE = re.compile(r"^\s*(\(\s*)*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b", re.I)
SCAN_NODES = (
    "Seq Scan",
    "Index Scan",
    "Index Only Scan",
    "Bitmap Heap Scan",
    "Bitmap Index Scan",
)
# A table this small (about 30 pages) is read whole in well under a millisecond, and the
# planner rightly prefers that to an index: content types, a few config rows, and at the
# 1000-salon bench size the last list page (OFFSET 980 of 1000 reads every salon whatever the
# plan). A table that grows with the data set is 10000 rows and more on the 10x data set
# (seed_demo --salons 10000), where a sequential scan of it is what this check catches.
DEFAULT_MAX_SEQ_ROWS = 1000
# Pages (8 kB) one statement may touch. The bench paths' statements touch at most about 200 at
# 10000 salons (the deep list page 173, a booking's INSERT 86).
DEFAULT_MAX_BUFFERS = 1000
_explain_ids = itertools.count(1)


@dataclass(frozen=True)
class Scan:
    node_type: str
    relation: str | None
    index: str | None
    rows_read: int  # (rows returned + rows removed by its filter) × loops
    table_rows: int  # the larger of pg_class.reltuples and rows_read

    def describe(self) -> str:
        where = f" using {self.index}" if self.index else ""
        return f"{self.node_type} on {self.relation}{where} ({self.rows_read} rows read)"


@dataclass
class StatementPlan:
    sql: str
    params: list[str]
    node_types: list[str] = field(default_factory=list)
    scans: list[Scan] = field(default_factory=list)
    large_seq_scans: list[Scan] = field(default_factory=list)
    small_seq_scans: list[Scan] = field(default_factory=list)
    planning_ms: float = 0.0
    execution_ms: float = 0.0
    triggers_ms: float = 0.0  # triggers fired by a write (Django defers its FK checks to commit)
    buffers_hit: int = 0
    buffers_read: int = 0  # pages not in shared buffers: a cold run reads these
    too_many_buffers: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.large_seq_scans and not self.too_many_buffers

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "worst_node": worst_node(self.scans)}


def plan_nodes(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """A plan node and every node under it, depth first."""
    yield node
    for child in node.get("Plans", ()):
        yield from plan_nodes(child)


def scans_of(root: Mapping[str, Any], table_rows: Mapping[str, float]) -> list[Scan]:
    """The scans of a plan (its "Plan" node), with what each read and its table's size."""
    scans = []
    for node in plan_nodes(root):
        if node.get("Node Type") not in SCAN_NODES:
            continue
        loops = int(node.get("Actual Loops", 1) or 0)
        returned, removed = node.get("Actual Rows", 0), node.get("Rows Removed by Filter", 0)
        read = (int(returned) + int(removed)) * loops
        relation = node.get("Relation Name")
        known = table_rows.get(relation or "", -1)
        scans.append(
            Scan(
                node_type=str(node["Node Type"]),
                relation=relation,
                index=node.get("Index Name"),
                rows_read=read,
                table_rows=max(int(known), read),
            )
        )
    return scans


def judge(
    sql: str,
    params: Sequence[Any],
    explained: Sequence[Mapping[str, Any]],
    table_rows: Mapping[str, float],
    max_seq_rows: int = DEFAULT_MAX_SEQ_ROWS,
    max_buffers: int = DEFAULT_MAX_BUFFERS,
) -> StatementPlan:
    """One statement's EXPLAIN (FORMAT JSON) output read: its nodes, scans and verdict."""
    top = explained[0]
    root = top["Plan"]
    scans = scans_of(root, table_rows)
    seq = [scan for scan in scans if scan.node_type == "Seq Scan"]
    hit, read = int(root.get("Shared Hit Blocks", 0)), int(root.get("Shared Read Blocks", 0))
    return StatementPlan(
        sql=sql,
        params=[repr(value) for value in params],
        node_types=[str(node["Node Type"]) for node in plan_nodes(root)],
        scans=scans,
        large_seq_scans=[scan for scan in seq if scan.table_rows > max_seq_rows],
        small_seq_scans=[scan for scan in seq if scan.table_rows <= max_seq_rows],
        planning_ms=float(top.get("Planning Time", 0.0)),
        execution_ms=float(top.get("Execution Time", 0.0)),
        triggers_ms=round(sum(float(t.get("Time", 0.0)) for t in top.get("Triggers", ())), 3),
        buffers_hit=hit,
        buffers_read=read,
        too_many_buffers=hit + read > max_buffers,
    )


_RANK = {"Seq Scan": 4, "Bitmap Heap Scan": 3, "Index Scan": 2, "Bitmap Index Scan": 1}


def worst_node(scans: Sequence[Scan]) -> str | None:
    """The scan that costs most as the data grows: sequential first, then by rows read."""
    if not scans:
        return None
    worst = max(scans, key=lambda s: (_RANK.get(s.node_type, 0), s.rows_read))
    return worst.describe()


Explain = Callable[[str, Sequence[Any]], list[dict[str, Any]]]


class PlanRecorder:
    """An execute wrapper that plans every statement while `recording` is a list."""

    def __init__(
        self,
        table_rows: Mapping[str, float],
        max_seq_rows: int,
        max_buffers: int = DEFAULT_MAX_BUFFERS,
    ) -> None:
        self.table_rows, self.max_seq_rows, self.max_buffers = table_rows, max_seq_rows, max_buffers
        self.recording: list[StatementPlan] | None = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.recording is not None and EXPLAINABLE.match(sql):
            self.recording.append(self.plan(context["cursor"].cursor, sql, params, many))
        return execute(sql, params, many, context)

    def plan(self, cursor: Any, sql: str, params: Any, many: bool) -> StatementPlan:
        shown = list(params or ()) if not isinstance(params, Mapping) else list(params.values())
        if many:  # executemany: the paths measured here never use it
            return StatementPlan(sql=sql, params=[], error="executemany: not explained")
        savepoint = f"explain_{next(_explain_ids)}"
        cursor.execute(f"SAVEPOINT {savepoint}")
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            explained = cursor.fetchone()[0]
        except Exception as exc:  # the statement itself fails: reported, and it runs anyway
            error: str | None = str(exc)
        else:
            error = None
        # Undo what EXPLAIN ANALYZE did (an INSERT inserted): the statement runs for real next.
        cursor.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
        cursor.execute(f"RELEASE SAVEPOINT {savepoint}")
        if error is not None:
            return StatementPlan(sql=sql, params=[repr(v) for v in shown], error=error)
        # Django has psycopg hand json back as text (JSONField decodes it itself).
        plan = json.loads(explained) if isinstance(explained, str) else explained
        return judge(sql, shown, plan, self.table_rows, self.max_seq_rows, self.max_buffers)
