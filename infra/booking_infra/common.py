"""Small helpers the units share: checkov suppressions with reasons, log groups."""

from __future__ import annotations

from aws_cdk import CfnResource, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct


def skip_checks(target: IConstruct, reasons: dict[str, str]) -> None:
    """Record on the CloudFormation resource behind TARGET that checkov must skip these checks.

    Each check id maps to the reason it does not apply; checkov prints the reason in its report.
    """
    resource = target if isinstance(target, CfnResource) else target.node.default_child
    if not isinstance(resource, CfnResource):
        raise TypeError(f"{target.node.path} has no CloudFormation resource to annotate")
    current = resource.get_metadata("checkov") or {"skip": []}
    known = {entry["id"] for entry in current["skip"]}
    current["skip"].extend(
        {"id": check, "comment": reason} for check, reason in reasons.items() if check not in known
    )
    resource.add_metadata("checkov", current)


def cfn_children(scope: Construct, cfn_type: str) -> list[CfnResource]:
    """The CloudFormation resources of CFN_TYPE anywhere under SCOPE."""
    return [
        child
        for child in scope.node.find_all()
        if isinstance(child, CfnResource) and child.cfn_resource_type == cfn_type
    ]


_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
}


def retention(days: int) -> logs.RetentionDays:
    """CloudWatch Logs accepts only some retention periods; refuse the others loudly."""
    try:
        return _RETENTION[days]
    except KeyError:
        raise ValueError(
            f"{days} days is not a retention we use; pick one of {sorted(_RETENTION)}"
        ) from None


def log_group(scope: Construct, id: str, *, name: str, days: int) -> logs.LogGroup:
    """A log group with an explicit name and retention (no CDK log-retention Lambda)."""
    group = logs.LogGroup(
        scope,
        id,
        log_group_name=name,
        retention=retention(days),
        removal_policy=RemovalPolicy.DESTROY,
    )
    skip_checks(
        group,
        {
            "CKV_AWS_158": "CloudWatch Logs encrypts at rest with AWS-owned keys; secrets are "
            "never logged",
            "CKV_AWS_338": "retention is an environment prop (environments.py), shorter outside "
            "prod to bound cost",
        },
    )
    return group


def unit_key(
    scope: Construct, id: str, *, customer: bool, description: str, retain: bool
) -> kms.Key | None:
    """A rotated customer-managed key, or None where the environment uses the AWS-managed
    aws/* keys (environments.py ``keys``): each caller then leaves its encryption key unset."""
    if not customer:
        return None
    return kms.Key(
        scope,
        id,
        enable_key_rotation=True,
        description=description,
        removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
    )


AWS_MANAGED_KEY = (
    "keys='aws_managed' is an environment prop (environments.py): dev holds no customer data, "
    "the AWS-managed aws/* key still encrypts at rest and saves $1/month a key"
)
