"""Every AWS name ops needs, from the CDK app's stack outputs (or SSM parameters).

The CDK app (infra/) exports outputs per stack ``booking-<env>-<stack>``; an SSM parameter
``/booking/<env>/outputs/<Name>`` takes precedence when present, so an operator can point ops
elsewhere (a restored database, say) without a stack update. Nothing else in ops knows where
a name comes from.
"""

from __future__ import annotations

from functools import cached_property

from botocore.exceptions import ClientError

from booking_ops.aws.clients import Client, Clients
from booking_ops.errors import OpsError

# output name -> the stack that exports it
OUTPUTS: dict[str, str] = {
    "TaskSubnets": "network",
    "TaskSecurityGroup": "network",
    "RepositoryUri": "registry",
    "DatabaseInstanceId": "data",
    "DatabaseSubnetGroup": "data",
    "DatabaseSecurityGroup": "data",
    "DatabaseParameterGroup": "data",
    "DatabaseSecretArn": "data",
    "ClusterName": "app",
    "MigrateTaskDefinition": "app",
    "DbToolsTaskDefinition": "app",
    "ApiUrl": "app",
    "BackupsBucket": "app",
    "ServiceNames": "app",
    "WebAppBucket": "app",
    "DistributionId": "app",
}
# rolled in this order after migrate; an environment whose worker runs beat (dev) exports
# "ServiceNames": "web,worker"
SERVICES = ("web", "worker", "beat")
ROLES = ("migrate", *SERVICES)


class Resolver:
    def __init__(self, env: str, clients: Clients) -> None:
        self.env = env
        self._cloudformation: Client = clients.cloudformation
        self._ssm: Client = clients.ssm
        self._stacks: dict[str, dict[str, str]] = {}

    def stack_name(self, stack: str) -> str:
        return f"booking-{self.env}-{stack}"

    def output(self, name: str) -> str:
        override = self._parameter(name)
        if override is not None:
            return override
        stack = OUTPUTS[name]
        outputs = self._outputs(stack)
        if name not in outputs:
            raise OpsError(
                f"stack {self.stack_name(stack)} has no output {name}",
                "deploy the current infra/ (cdk deploy) so that it exports it",
            )
        return outputs[name]

    @cached_property
    def services(self) -> tuple[str, ...]:
        """The ECS services to roll: the app stack's ServiceNames output, else all three."""
        listed = self._parameter("ServiceNames") or self._outputs("app").get("ServiceNames")
        if not listed:
            return SERVICES
        return tuple(name for name in SERVICES if name in listed.split(","))

    def _parameter(self, name: str) -> str | None:
        try:
            found = self._ssm.get_parameter(Name=f"/booking/{self.env}/outputs/{name}")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ParameterNotFound":
                return None
            raise
        value: str = found["Parameter"]["Value"]
        return value

    def _outputs(self, stack: str) -> dict[str, str]:
        if stack not in self._stacks:
            name = self.stack_name(stack)
            try:
                described = self._cloudformation.describe_stacks(StackName=name)["Stacks"][0]
            except ClientError as error:
                raise OpsError(
                    f"stack {name} not found ({error.response['Error']['Code']})",
                    f"run `uv run ops bootstrap --env {self.env}` first",
                ) from None
            self._stacks[stack] = {
                o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])
            }
        return self._stacks[stack]

    # Names by convention of the CDK app (infra/booking_infra/units/services.py,
    # observability.py); they are not outputs because the app fixes them.
    def family(self, role: str) -> str:
        return f"booking-{self.env}-{role}"

    def log_group(self, role: str) -> str:
        return f"/booking/{self.env}/{role}"

    @property
    def alarm_prefix(self) -> str:
        return f"booking-{self.env}-"

    @cached_property
    def cluster(self) -> str:
        return self.output("ClusterName")

    @cached_property
    def subnets(self) -> list[str]:
        return [s for s in self.output("TaskSubnets").split(",") if s]

    @cached_property
    def task_security_group(self) -> str:
        return self.output("TaskSecurityGroup")

    @cached_property
    def ready_url(self) -> str:
        return self.output("ApiUrl").rstrip("/") + "/health/ready"

    def network_configuration(self) -> dict[str, object]:
        return {
            "awsvpcConfiguration": {
                "subnets": self.subnets,
                "securityGroups": [self.task_security_group],
                "assignPublicIp": "DISABLED",
            }
        }
