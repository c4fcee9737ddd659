"""The query plans phase: the command's JSON summarised, and its lines in the report."""

from __future__ import annotations

from bench.plans import last_line, plan_lines, summary


def command_result(ok: bool = True) -> dict:
    scans = [] if ok else ["salons_salon (10000 rows)"]
    return {
        "database": "booking",
        "salons": 10000,
        "appointments": 532731,
        "max_seq_rows": 1000,
        "ok": ok,
        "missing_paths": [],
        "paths": {
            "salon_list": {
                "request": "GET /api/v1/salons?page_size=20&page=1",
                "status": 200,
                "ok": ok,
                "statements": 2,
                "execution_ms": 1.25,
                "worst_node": "Index Scan on salons_salon using salon_active_by_name (20 rows read)",
                "most_buffers": 173,
                "large_seq_scans": scans,
                "plans": [{"sql": "SELECT ..."}],
            }
        },
    }


def test_the_result_keeps_each_paths_figures_but_not_its_plans():
    kept = summary(command_result(), None)
    assert kept["ok"] is True
    assert kept["paths"]["salon_list"]["statements"] == 2
    assert "plans" not in kept["paths"]["salon_list"]


def test_a_failed_command_makes_the_phase_not_ok_and_says_why():
    kept = summary(command_result(ok=False), "CommandError: explain_paths: salon_list failed")
    assert kept["ok"] is False
    assert kept["error"].startswith("CommandError")
    assert kept["paths"]["salon_list"]["large_seq_scans"] == ["salons_salon (10000 rows)"]


def test_the_report_has_a_line_per_path():
    lines = plan_lines(summary(command_result(), None))
    assert lines[0].endswith(": ok")
    assert len(lines) == 2
    assert "salon_list" in lines[1] and "2 statements" in lines[1] and "1.25 ms" in lines[1]
    assert "at most 173 pages" in lines[1]


def test_a_flagged_path_names_the_table_it_reads_whole():
    lines = plan_lines(summary(command_result(ok=False), "CommandError: boom"))
    assert "FLAGGED CommandError: boom" in lines[0]
    assert "SEQ SCAN salons_salon (10000 rows)" in lines[1]


def test_the_error_is_the_last_line_django_printed():
    assert last_line("stack: manage.py failed:\n{...}\nCommandError: x\n\n") == "CommandError: x"
