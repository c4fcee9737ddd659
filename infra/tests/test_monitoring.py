"""Alarms and their thresholds, the dashboard, governance and cost allocation tags."""

from __future__ import annotations

import json
from typing import Any

from conftest import UNITS, Synthesized


def _alarms(env: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        a["Properties"]["AlarmName"].removeprefix(f"booking-{env.config.name}-"): a["Properties"]
        for a in env.resources("AWS::CloudWatch::Alarm").values()
    }


def _metric_name(alarm: dict[str, Any]) -> str:
    if "MetricName" in alarm:
        return alarm["MetricName"]
    return alarm["Metrics"][0]["MetricStat"]["Metric"]["MetricName"]


def _period(alarm: dict[str, Any]) -> int:
    """The period of the alarm's metric, whichever of the three forms CloudFormation uses."""
    if "Period" in alarm:
        return alarm["Period"]
    returned = next(m for m in alarm["Metrics"] if m.get("ReturnData", True))
    if "MetricStat" in returned:
        return returned["MetricStat"]["Period"]
    # a math expression: its inputs carry the period
    return returned.get("Period") or next(
        m["MetricStat"]["Period"] for m in alarm["Metrics"] if "MetricStat" in m
    )


def test_cpu_alarms_fire_above_80_percent_for_five_minutes(each_env: Synthesized) -> None:
    alarms = _alarms(each_env)
    beat = () if each_env.config.compute.beat_in_worker else ("ecs-beat-cpu",)
    for name in (
        "ecs-web-cpu",
        "ecs-worker-cpu",
        *beat,
        "rds-primary-cpu",
        f"booking-{each_env.config.name}-cache-cpu",
    ):
        alarm = alarms[name]
        assert alarm["Threshold"] == 80
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
        assert alarm["EvaluationPeriods"] * _period(alarm) == 300, name
        assert alarm["DatapointsToAlarm"] == alarm["EvaluationPeriods"], name


def test_memory_alarms_fire_above_90_percent(each_env: Synthesized) -> None:
    alarms = _alarms(each_env)
    for name in (
        "ecs-web-memory",
        "ecs-worker-memory",
        f"booking-{each_env.config.name}-cache-memory",
    ):
        assert alarms[name]["Threshold"] == 90, name
        assert alarms[name]["ComparisonOperator"] == "GreaterThanThreshold"


def test_error_rate_alarm_is_a_share_of_requests(alb_env: Synthesized) -> None:
    alarm = _alarms(alb_env)["alb-5xx-rate"]
    assert alarm["Threshold"] == 1
    expression = next(m["Expression"] for m in alarm["Metrics"] if "Expression" in m)
    assert "requests" in expression and "target5xx" in expression and "elb5xx" in expression


def test_latency_alarm_watches_p95_above_two_seconds(alb_env: Synthesized) -> None:
    alarm = _alarms(alb_env)["alb-p95-latency"]
    assert alarm["ExtendedStatistic"] == "p95"
    assert _metric_name(alarm) == "TargetResponseTime"
    assert alarm["Threshold"] == 2


def test_database_alarms_cover_storage_and_connection_saturation(each_env: Synthesized) -> None:
    alarms = _alarms(each_env)
    config = each_env.config.database
    storage = alarms["rds-primary-free-storage"]
    assert storage["ComparisonOperator"] == "LessThanThreshold"
    assert storage["Threshold"] == config.allocated_storage_gb * 0.1 * 1024**3
    assert alarms["rds-primary-connections"]["Threshold"] == config.max_connections * 0.8


def test_prod_alarms_on_replica_lag(prod: Synthesized, dev: Synthesized) -> None:
    lag = _alarms(prod)["rds-replica1-replica-lag"]
    assert _metric_name(lag) == "ReplicaLag"
    assert lag["Threshold"] == 30
    assert not any("replica-lag" in name for name in _alarms(dev))


def test_every_alarm_notifies_the_topic(each_env: Synthesized) -> None:
    for name, alarm in _alarms(each_env).items():
        assert alarm.get("AlarmActions"), name


def test_the_topic_emails_operators_and_is_encrypted(each_env: Synthesized) -> None:
    topic = each_env.one("AWS::SNS::Topic", "monitoring")["Properties"]
    # CloudWatch cannot publish to a topic under aws/sns: unencrypted where keys are AWS-managed
    assert ("KmsMasterKeyId" in topic) is (each_env.config.keys == "customer")
    subscription = each_env.one("AWS::SNS::Subscription", "monitoring")["Properties"]
    assert subscription["Protocol"] == "email"
    assert subscription["Endpoint"] == each_env.config.observability.alarm_email


def test_billing_alarm_watches_estimated_charges(each_env: Synthesized) -> None:
    billing = _alarms(each_env)["billing"]
    assert billing["Namespace"] == "AWS/Billing"
    assert billing["Threshold"] == each_env.config.observability.billing_alarm_usd


def test_dashboard_shows_what_operators_watch(each_env: Synthesized) -> None:
    if not each_env.config.observability.dashboard:
        assert not each_env.resources("AWS::CloudWatch::Dashboard")
        return
    dashboard = each_env.one("AWS::CloudWatch::Dashboard", "monitoring")
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for metric in (
        "HTTPCode_Target_5XX_Count",
        "TargetResponseTime",
        "p95",
        "p99",
        "CPUUtilization",
        "MemoryUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
        "EngineCPUUtilization",
        "DatabaseMemoryUsagePercentage",
        "Evictions",
    ):
        assert metric in body, metric


def test_prod_dashboard_shows_replica_lag(prod: Synthesized) -> None:
    body = json.dumps(prod.one("AWS::CloudWatch::Dashboard", "monitoring")["Properties"])
    assert "ReplicaLag" in body


def test_cloudtrail_is_multi_region_validated_and_encrypted(each_env: Synthesized) -> None:
    trail = each_env.one("AWS::CloudTrail::Trail", "monitoring")["Properties"]
    assert trail["IsMultiRegionTrail"] is True
    assert trail["EnableLogFileValidation"] is True
    # customer-managed key, or the bucket's SSE-S3 where the environment uses AWS-managed keys
    assert ("KMSKeyId" in trail) is (each_env.config.keys == "customer")
    assert "CloudWatchLogsLogGroupArn" in trail


def test_guardduty_is_on_where_configured(each_env: Synthesized) -> None:
    detectors = each_env.resources("AWS::GuardDuty::Detector", "monitoring")
    if not each_env.config.observability.enable_guardduty:
        assert not detectors
        return
    detector = each_env.one("AWS::GuardDuty::Detector", "monitoring")["Properties"]
    assert detector["Enable"] is True


def test_dev_goes_without_dashboard_guardduty_and_customer_keys(
    dev: Synthesized, staging: Synthesized, prod: Synthesized
) -> None:
    assert not dev.resources("AWS::CloudWatch::Dashboard")
    assert not dev.resources("AWS::GuardDuty::Detector")
    assert not dev.resources("AWS::KMS::Key")
    topic = dev.one("AWS::SNS::Topic", "monitoring")["Properties"]
    assert "KmsMasterKeyId" not in topic
    for env in (staging, prod):
        assert env.resources("AWS::CloudWatch::Dashboard")
        assert env.resources("AWS::GuardDuty::Detector")
        assert len(env.resources("AWS::KMS::Key")) == 5


def test_everything_taggable_carries_cost_allocation_tags(each_env: Synthesized) -> None:
    expected = {"Project": "booking", "Environment": each_env.config.name}
    checked = 0
    for unit in UNITS:
        for logical_id, resource in each_env.raw[unit]["Resources"].items():
            tags = resource.get("Properties", {}).get("Tags")
            if not isinstance(tags, list):
                continue
            pairs = {t["Key"]: t["Value"] for t in tags if "Key" in t}
            assert expected.items() <= pairs.items(), f"{unit}/{logical_id}"
            checked += 1
    assert checked > 0


def test_prod_stacks_are_protected_from_deletion(prod: Synthesized) -> None:
    manifest = json.loads((prod.outdir / "manifest.json").read_text())
    for unit in UNITS:
        artifact = manifest["artifacts"][f"booking-prod-{unit}"]
        assert artifact["properties"]["terminationProtection"] is True
