"""The reading of PostgreSQL's JSON plans: which scans a statement does and which are flagged."""

from __future__ import annotations

from typing import Any

from booking.core.query_plans import EXPLAINABLE, judge, plan_nodes, worst_node


def explained(plan: dict[str, Any], execution_ms: float = 0.5) -> list[dict[str, Any]]:
    """What EXPLAIN (ANALYZE, FORMAT JSON) returns: a list holding one top-level object."""
    return [{"Plan": plan, "Planning Time": 0.1, "Execution Time": execution_ms, "Triggers": []}]


def seq_scan(relation: str, rows: int, removed: int = 0) -> dict[str, Any]:
    return {
        "Node Type": "Seq Scan",
        "Relation Name": relation,
        "Actual Rows": rows,
        "Rows Removed by Filter": removed,
        "Actual Loops": 1,
    }


def index_scan(relation: str, index: str, rows: int, loops: int = 1) -> dict[str, Any]:
    return {
        "Node Type": "Index Scan",
        "Relation Name": relation,
        "Index Name": index,
        "Actual Rows": rows,
        "Actual Loops": loops,
    }


# The salon list's count before salon_active_ids: the whole table read for one number.
COUNT_WITHOUT_INDEX = {
    "Node Type": "Aggregate",
    "Actual Rows": 1,
    "Actual Loops": 1,
    "Plans": [seq_scan("salons_salon", 10000)],
}


def test_it_flags_a_sequential_scan_of_a_large_table() -> None:
    plan = judge("SELECT COUNT(*) ...", [], explained(COUNT_WITHOUT_INDEX), {"salons_salon": 1e4})
    assert not plan.ok
    assert [(s.relation, s.table_rows) for s in plan.large_seq_scans] == [("salons_salon", 10000)]


def test_it_flags_an_index_scan_that_touches_too_many_pages() -> None:
    # The busy-time query on the exclusion constraint's GiST index at 10000 salons: four rows
    # found by staff id, the whole index read to find them.
    gist = {
        "Node Type": "Bitmap Heap Scan",
        "Relation Name": "appointments_appointment",
        "Actual Rows": 6,
        "Rows Removed by Filter": 70,
        "Actual Loops": 1,
        "Shared Hit Blocks": 3562,
        "Shared Read Blocks": 0,
    }
    tables = {"appointments_appointment": 5.8e5}
    plan = judge("SELECT ...", [], explained(gist), tables, max_buffers=1000)
    assert not plan.ok and plan.too_many_buffers and not plan.large_seq_scans
    assert judge("SELECT ...", [], explained({**gist, "Shared Hit Blocks": 10}), tables).ok


def test_it_lets_a_small_table_be_read_whole() -> None:
    small = explained(seq_scan("django_content_type", 1, removed=40))
    plan = judge("SELECT ...", [], small, {"django_content_type": 41.0}, max_seq_rows=1000)
    assert plan.ok
    assert [s.relation for s in plan.small_seq_scans] == ["django_content_type"]


def test_it_counts_the_rows_a_scan_read_when_the_table_was_never_analyzed() -> None:
    # reltuples is -1 before the first ANALYZE: the filter's discarded rows still show the size.
    filtered = explained(seq_scan("appointments_appointment", 8, removed=52000))
    plan = judge("SELECT ...", [], filtered, {"appointments_appointment": -1.0})
    assert [s.table_rows for s in plan.large_seq_scans] == [52008]


def test_an_index_scan_of_a_large_table_is_fine() -> None:
    nested = {
        "Node Type": "Nested Loop",
        "Plans": [
            index_scan("salons_salon", "salon_active_by_name", 20),
            index_scan("addresses_address", "addresses_address_pkey", 1, loops=20),
        ],
    }
    plan = judge("SELECT ...", [], explained(nested), {"salons_salon": 1e4})
    assert plan.ok
    assert plan.node_types == ["Nested Loop", "Index Scan", "Index Scan"]
    assert [s.rows_read for s in plan.scans] == [20, 20]


def test_its_times_come_from_the_plan() -> None:
    plan = judge("SELECT 1", [1], explained(COUNT_WITHOUT_INDEX, execution_ms=2.7), {})
    assert (plan.planning_ms, plan.execution_ms, plan.params) == (0.1, 2.7, ["1"])


def test_the_worst_node_is_a_sequential_scan_before_any_index_scan() -> None:
    plan = judge(
        "SELECT ...",
        [],
        explained(
            {
                "Node Type": "Hash Join",
                "Plans": [
                    index_scan("appointments_appointment", "appointment_staff_start", 500),
                    seq_scan("salons_timeoff", 3),
                ],
            }
        ),
        {},
    )
    assert worst_node(plan.scans) == "Seq Scan on salons_timeoff (3 rows read)"
    assert worst_node([]) is None


def test_it_walks_every_node_depth_first() -> None:
    tree = {
        "Node Type": "A",
        "Plans": [{"Node Type": "B", "Plans": [{"Node Type": "C"}]}, {"Node Type": "D"}],
    }
    assert [node["Node Type"] for node in plan_nodes(tree)] == ["A", "B", "C", "D"]


def test_it_explains_queries_and_writes_but_not_transaction_control() -> None:
    assert EXPLAINABLE.match('SELECT "salons_salon"."id" FROM "salons_salon"')
    assert EXPLAINABLE.match('INSERT INTO "appointments_appointment" ...')
    assert EXPLAINABLE.match("(SELECT 1) UNION (SELECT 2)")
    assert not EXPLAINABLE.match('SAVEPOINT "s1"')
    assert not EXPLAINABLE.match("SET TIME ZONE 'UTC'")
