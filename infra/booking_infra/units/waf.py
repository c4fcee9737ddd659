"""A WAF web ACL: AWS managed rule groups, a per-IP rate limit, and logging."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from booking_infra.common import log_group

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
)
Rule = wafv2.CfnWebACL.RuleProperty


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True,
        metric_name=metric.replace("-", ""),
        sampled_requests_enabled=True,
    )


def managed_rules(name: str) -> list[Rule]:
    """AWS's managed groups, in priority order, each counted under its own metric."""
    return [
        Rule(
            name=group,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=group
                ),
            ),
            visibility_config=_visibility(f"{name}-{group}"),
        )
        for priority, group in enumerate(MANAGED_RULE_GROUPS)
    ]


def rate_rule(name: str, limit: int, priority: int) -> Rule:
    """Block one IP above LIMIT requests in five minutes."""
    return Rule(
        name="RateLimitPerIp",
        priority=priority,
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=limit, aggregate_key_type="IP"
            ),
        ),
        visibility_config=_visibility(f"{name}-rate-limit"),
    )


class WebAcl(Construct):
    """A web ACL of SCOPE_NAME ("REGIONAL" or "CLOUDFRONT") that logs to CloudWatch Logs."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        scope_name: str,
        name: str,
        rate_limit: int,
        log_days: int,
    ) -> None:
        super().__init__(scope, id)
        rules = managed_rules(name)
        rules.append(rate_rule(name, rate_limit, priority=len(rules)))
        self.acl = wafv2.CfnWebACL(
            self,
            "Acl",
            name=name,
            scope=scope_name,
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(name),
            rules=rules,
        )
        logs = log_group(self, "Logs", name=f"aws-waf-logs-{name}", days=log_days)
        destination = Stack.of(self).format_arn(
            service="logs",
            resource="log-group",
            resource_name=logs.log_group_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        wafv2.CfnLoggingConfiguration(
            self, "Logging", resource_arn=self.acl.attr_arn, log_destination_configs=[destination]
        )
