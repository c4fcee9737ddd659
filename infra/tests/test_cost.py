"""The cost model prices what environments.py deploys, and reacts to the traffic assumption."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ops" / "cost"))

import estimate  # noqa: E402
import prices  # noqa: E402

from environments import DEV, ENVIRONMENTS, PROD  # noqa: E402


def _lines(env, traffic=None) -> dict[str, float]:
    traffic = traffic or estimate.TRAFFIC[env.name]
    return {line.item: line.usd for line in estimate.estimate(env, traffic)}


def test_prod_pays_for_a_nat_gateway_in_every_az() -> None:
    nat = _lines(PROD)["NAT gateways"]
    assert nat == pytest.approx(3 * prices.HOURS_PER_MONTH * prices.NAT_GATEWAY_HOUR)
    assert _lines(DEV)["NAT gateways"] == pytest.approx(nat / 3)


def test_multi_az_doubles_the_database_instance() -> None:
    single = replace(PROD, database=replace(PROD.database, multi_az=False))
    assert _lines(PROD)["RDS primary"] == pytest.approx(2 * _lines(single)["RDS primary"])


def test_a_replica_and_a_broker_group_appear_only_where_configured() -> None:
    assert "RDS read replicas" in _lines(PROD)
    assert "ElastiCache broker group" in _lines(PROD)
    assert "RDS read replicas" not in _lines(DEV)
    assert "ElastiCache broker group" not in _lines(DEV)


def test_more_traffic_costs_more() -> None:
    base = estimate.TRAFFIC["prod"]
    busier = replace(base, requests_per_month=base.requests_per_month * 10,
                     gb_out=base.gb_out * 10)
    low = estimate.total(estimate.estimate(PROD, base))
    high = estimate.total(estimate.estimate(PROD, busier))
    assert high > low
    assert _lines(PROD, busier)["data transfer out (ALB)"] == pytest.approx(
        busier.gb_out * prices.DATA_TRANSFER_OUT_GB)


def test_environments_cost_in_the_order_of_their_size() -> None:
    totals = {name: estimate.total(estimate.estimate(env, estimate.TRAFFIC[name]))
              for name, env in ENVIRONMENTS.items()}
    assert totals["dev"] < totals["staging"] < totals["prod"]


def test_the_cli_prints_every_line_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert estimate.main(["--env", "prod", "--requests-per-month", "2e7", "--gb-out", "300"]) == 0
    out = capsys.readouterr().out
    assert "20 M requests, 300 GB out" in out
    assert prices.PRICES_AS_OF in out
    assert "total" in out and "NAT gateways" in out
    assert "$100-$400" in out
