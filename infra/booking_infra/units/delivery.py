"""GitHub Actions -> AWS without stored keys: the OIDC provider and the roles CI assumes.

- ``GithubOidcProvider``: one per account (token.actions.githubusercontent.com, audience
  sts.amazonaws.com). Accounts that already have one import it by ARN instead.
- ``DeployRole``: what `.github/workflows/release.yml` assumes for one environment. Its trust
  is pinned to ``repo:<owner>/<repo>:environment:<env>``, so only a job of that repository
  running in that GitHub environment (prod: behind required reviewers) gets it. It may do
  exactly what the job does: push the image to this environment's repository, and what
  ``ops deploy`` calls (ops/booking_ops/aws/release.py), nothing else.
- ``DiffRole``: read-only, for `cdk diff` in ci.yml (GitHub environment ``infra-diff``).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

GITHUB_ISSUER = "token.actions.githubusercontent.com"
AUDIENCE = "sts.amazonaws.com"
REGISTRY_PUSH = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
)


class GithubOidcProvider(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # The native resource (no custom-resource Lambda); AWS validates GitHub's certificate
        # itself, so no thumbprint is pinned here.
        self.resource = iam.CfnOIDCProvider(
            self, "Provider", url=f"https://{GITHUB_ISSUER}", client_id_list=[AUDIENCE]
        )
        self.arn = self.resource.attr_arn


def github_principal(provider_arn: str, subject: str) -> iam.WebIdentityPrincipal:
    """Tokens of exactly SUBJECT (repo:<owner>/<repo>:environment:<env>) for STS."""
    return iam.WebIdentityPrincipal(
        provider_arn,
        conditions={
            "StringEquals": {f"{GITHUB_ISSUER}:aud": AUDIENCE, f"{GITHUB_ISSUER}:sub": subject},
        },
    )


@dataclass(frozen=True)
class DeployTarget:
    """What one environment's deploy touches (names fixed by the other units)."""

    env_name: str  # dev | staging | prod, also the GitHub environment's name
    repository_name: str  # the ECR repository (registry.REPOSITORY_NAME)

    @property
    def cluster(self) -> str:
        return f"booking-{self.env_name}"

    def family(self, role: str) -> str:
        return f"booking-{self.env_name}-{role}"


class DeployRole(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        provider_arn: str,
        github_repository: str,
        target: DeployTarget,
    ) -> None:
        super().__init__(scope, id)
        self._stack = Stack.of(self)
        self._target = target
        self.role = iam.Role(
            self,
            "Role",
            role_name=f"booking-{target.env_name}-github-deploy",
            description=f"GitHub Actions release to {target.env_name} (ops deploy)",
            assumed_by=github_principal(
                provider_arn, f"repo:{github_repository}:environment:{target.env_name}"
            ),
        )
        for statement in self.statements():
            self.role.add_to_policy(statement)

    def _arn(self, service: str, resource: str, name: str) -> str:
        region = "" if service == "iam" else None  # IAM ARNs have no region
        return self._stack.format_arn(
            service=service, region=region, resource=resource, resource_name=name
        )

    def statements(self) -> list[iam.PolicyStatement]:
        return [*self._registry(), *self._ecs(), *self._web_app(), *self._reads()]

    def _registry(self) -> list[iam.PolicyStatement]:
        return [
            # GetAuthorizationToken has no resource-level permission
            iam.PolicyStatement(
                sid="RegistryLogin", actions=["ecr:GetAuthorizationToken"], resources=["*"]
            ),
            iam.PolicyStatement(
                sid="RegistryPush",
                actions=list(REGISTRY_PUSH),
                resources=[self._arn("ecr", "repository", self._target.repository_name)],
            ),
        ]

    def _ecs(self) -> list[iam.PolicyStatement]:
        target = self._target
        cluster_arn = self._arn("ecs", "cluster", target.cluster)
        on_cluster = {"ArnEquals": {"ecs:cluster": cluster_arn}}
        return [
            # Register/DescribeTaskDefinition have no resource-level permission. (No
            # ListTaskDefinitions: only `ops rollback` lists, and CI never rolls back by hand.)
            iam.PolicyStatement(
                sid="TaskDefinitions",
                actions=["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="TagNewRevisions",
                actions=["ecs:TagResource"],
                resources=[self._arn("ecs", "task-definition", f"{target.family('*')}:*")],
                conditions={"StringEquals": {"ecs:CreateAction": "RegisterTaskDefinition"}},
            ),
            iam.PolicyStatement(
                sid="RunMigrate",
                actions=["ecs:RunTask"],
                resources=[self._arn("ecs", "task-definition", f"{target.family('migrate')}:*")],
                conditions=on_cluster,
            ),
            iam.PolicyStatement(
                sid="WatchTasks",
                actions=["ecs:DescribeTasks"],
                resources=[self._arn("ecs", "task", f"{target.cluster}/*")],
                conditions=on_cluster,
            ),
            iam.PolicyStatement(
                sid="RollServices",
                actions=["ecs:DescribeServices", "ecs:UpdateService"],
                resources=[
                    self._arn("ecs", "service", f"{target.cluster}/{name}")
                    for name in ("web", "worker", "beat")
                ],
            ),
            iam.PolicyStatement(
                sid="PassTaskRoles",
                actions=["iam:PassRole"],
                resources=[self._arn("iam", "role", f"booking-{target.env_name}-app-*")],
                conditions={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
            ),
        ]

    def _web_app(self) -> list[iam.PolicyStatement]:
        """`ops deploy --web-app`: objects into the app's bucket (named by the storage unit's
        convention), an invalidation on a distribution of this environment's account."""
        target = self._target
        bucket = f"booking-{target.env_name}-{self._stack.account}-web"
        return [
            iam.PolicyStatement(
                sid="PublishWebApp",
                actions=["s3:PutObject"],
                resources=[f"arn:{self._stack.partition}:s3:::{bucket}/*"],
            ),
            iam.PolicyStatement(
                sid="InvalidateWebAppIndex",
                actions=["cloudfront:CreateInvalidation"],
                # CloudFront ARNs have no region; the distribution id is the app stack's
                # (this stack depends on no other)
                resources=[
                    self._stack.format_arn(
                        service="cloudfront",
                        region="",
                        resource="distribution",
                        resource_name="*",
                    )
                ],
            ),
        ]

    def _reads(self) -> list[iam.PolicyStatement]:
        env = self._target.env_name
        return [
            iam.PolicyStatement(
                sid="StackOutputs",
                actions=["cloudformation:DescribeStacks"],
                resources=[self._arn("cloudformation", "stack", f"booking-{env}-*/*")],
            ),
            iam.PolicyStatement(
                sid="OutputOverrides",
                actions=["ssm:GetParameter"],
                resources=[self._arn("ssm", "parameter", f"booking/{env}/outputs/*")],
            ),
            # DescribeAlarms has no resource-level permission
            iam.PolicyStatement(
                sid="RolloutAlarms", actions=["cloudwatch:DescribeAlarms"], resources=["*"]
            ),
        ]


class DiffRole(Construct):
    """`cdk diff` in CI: may read the deployed templates through the CDK lookup role only."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        provider_arn: str,
        github_repository: str,
        github_environment: str = "infra-diff",
    ) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.role = iam.Role(
            self,
            "Role",
            description="GitHub Actions cdk diff (read-only)",
            assumed_by=github_principal(
                provider_arn, f"repo:{github_repository}:environment:{github_environment}"
            ),
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="CdkLookupRole",
                actions=["sts:AssumeRole"],
                resources=[
                    stack.format_arn(
                        service="iam",
                        region="",
                        resource="role",
                        resource_name="cdk-*-lookup-role-*",
                    )
                ],
            )
        )
