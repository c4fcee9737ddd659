"""Replica health on either server: the lag probe speaks PostgreSQL and MySQL."""

from __future__ import annotations

import pytest

from booking.core import db_routing


@pytest.mark.django_db
def test_a_server_that_replicates_from_nothing_reports_no_lag():
    assert db_routing.replica_lag_seconds("default") == 0


class StoppedReplica:
    description = (("Slave_IO_State",), ("Seconds_Behind_Master",))

    def execute(self, sql: str) -> None:
        assert sql == "SHOW REPLICA STATUS"

    def fetchone(self) -> tuple:
        return ("", None)


def test_a_mysql_replica_whose_replication_stopped_lags_without_bound():
    assert db_routing._mysql_lag_seconds(StoppedReplica()) == float("inf")
