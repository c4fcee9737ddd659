"""EKS: the cluster for deploy/k8s/, beside (or instead of) the ECS services.

A private-endpoint cluster with secrets envelope-encrypted, every control-plane log on, Graviton
managed nodes in the private subnets (IMDSv2, one hop: pods cannot borrow the node's role), the
VPC CNI with network policy enforcement, the IAM OIDC provider, and one IRSA role per
ServiceAccount of deploy/k8s/base/serviceaccounts.yaml, each trusting exactly
``system:serviceaccount:<namespace>:<name>``. ingress-nginx, External Secrets, cert-manager and
the Prometheus stack are installed by the platform team's GitOps (docs/kubernetes.md), not here.

Built from CloudFormation's own EKS resources (no kubectl Lambda). The one custom resource is
CfnJson: an IAM condition key has to contain the cluster's OIDC issuer, which exists only at
deploy time, and CloudFormation cannot compute a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import ArnFormat, CfnJson, Fn, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct
from environments import KubernetesConfig

from booking_infra.common import skip_checks
from booking_infra.units.network import POSTGRES_PORT, REDIS_PORT

CONTROL_PLANE_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")
MANAGED_ADDONS = ("coredns", "kube-proxy")


@dataclass(frozen=True)
class ClusterAccess:
    """What the pods reach: the data stores' security groups, buckets, secrets and their keys."""

    database_security_group: ec2.ISecurityGroup
    cache_security_group: ec2.ISecurityGroup
    static_bucket: s3.IBucket
    media_bucket: s3.IBucket
    secret_keys: tuple[kms.IKey, ...]
    default_from_email: str
    database_port: int = POSTGRES_PORT  # the engine's (engines.py)


class Kubernetes(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env_name: str,
        config: KubernetesConfig,
        vpc: ec2.IVpc,
        access: ClusterAccess,
    ) -> None:
        super().__init__(scope, id)
        self._env_name = env_name
        self._config = config
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description=f"booking {env_name}: EKS secrets envelope encryption",
            removal_policy=RemovalPolicy.DESTROY,
        )
        subnets = vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS).subnet_ids
        self.cluster = self._cluster(subnets)
        self.nodegroup = self._nodegroup(subnets)
        self._addons()
        self._data_access(access)
        self.oidc_provider = iam.CfnOIDCProvider(
            self,
            "OidcProvider",
            url=self.cluster.attr_open_id_connect_issuer_url,
            client_id_list=["sts.amazonaws.com"],
        )
        # the issuer without its scheme: the form IAM condition keys take
        self._issuer = Fn.select(1, Fn.split("//", self.cluster.attr_open_id_connect_issuer_url))
        self.roles = self._service_account_roles(access)
        self._annotate_cfn_json_provider()

    @property
    def name(self) -> str:
        return f"booking-{self._env_name}"

    def _cluster(self, subnets: list[str]) -> eks.CfnCluster:
        role = iam.Role(
            self,
            "ClusterRole",
            assumed_by=iam.ServicePrincipal("eks.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("AmazonEKSClusterPolicy")
            ],
        )
        return eks.CfnCluster(
            self,
            "Cluster",
            name=self.name,
            version=self._config.version,
            role_arn=role.role_arn,
            resources_vpc_config=eks.CfnCluster.ResourcesVpcConfigProperty(
                subnet_ids=subnets, endpoint_private_access=True, endpoint_public_access=False
            ),
            encryption_config=[
                eks.CfnCluster.EncryptionConfigProperty(
                    provider=eks.CfnCluster.ProviderProperty(key_arn=self.key.key_arn),
                    resources=["secrets"],
                )
            ],
            logging=eks.CfnCluster.LoggingProperty(
                cluster_logging=eks.CfnCluster.ClusterLoggingProperty(
                    enabled_types=[
                        eks.CfnCluster.LoggingTypeConfigProperty(type=t) for t in CONTROL_PLANE_LOGS
                    ]
                )
            ),
            access_config=eks.CfnCluster.AccessConfigProperty(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=True
            ),
            upgrade_policy=eks.CfnCluster.UpgradePolicyProperty(support_type="STANDARD"),
        )

    def _nodegroup(self, subnets: list[str]) -> eks.CfnNodegroup:
        role = iam.Role(
            self,
            "NodeRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(name)
                for name in (
                    "AmazonEKSWorkerNodePolicy",
                    "AmazonEKS_CNI_Policy",
                    "AmazonEC2ContainerRegistryReadOnly",
                    "AmazonSSMManagedInstanceCore",
                )
            ],
        )
        template = ec2.CfnLaunchTemplate(
            self,
            "NodeLaunchTemplate",
            launch_template_data=ec2.CfnLaunchTemplate.LaunchTemplateDataProperty(
                metadata_options=ec2.CfnLaunchTemplate.MetadataOptionsProperty(
                    http_tokens="required", http_put_response_hop_limit=1, http_endpoint="enabled"
                ),
                block_device_mappings=[
                    ec2.CfnLaunchTemplate.BlockDeviceMappingProperty(
                        device_name="/dev/xvda",
                        ebs=ec2.CfnLaunchTemplate.EbsProperty(
                            volume_size=self._config.node_disk_gb,
                            volume_type="gp3",
                            encrypted=True,
                        ),
                    )
                ],
            ),
        )
        config = self._config
        return eks.CfnNodegroup(
            self,
            "Nodes",
            cluster_name=self.cluster.ref,
            node_role=role.role_arn,
            subnets=subnets,
            ami_type="AL2023_ARM_64_STANDARD",
            capacity_type="ON_DEMAND",
            instance_types=list(config.instance_types),
            launch_template=eks.CfnNodegroup.LaunchTemplateSpecificationProperty(
                id=template.ref, version=template.attr_latest_version_number
            ),
            scaling_config=eks.CfnNodegroup.ScalingConfigProperty(
                min_size=config.nodes_min,
                desired_size=config.nodes_desired,
                max_size=config.nodes_max,
            ),
            update_config=eks.CfnNodegroup.UpdateConfigProperty(max_unavailable=1),
            labels={"booking.example.com/pool": "general"},
        )

    def _addons(self) -> None:
        # NetworkPolicies (deploy/k8s/base/networkpolicies.yaml) are enforced by the VPC CNI's
        # network policy agent only when it is switched on.
        eks.CfnAddon(
            self,
            "VpcCni",
            cluster_name=self.cluster.ref,
            addon_name="vpc-cni",
            resolve_conflicts="OVERWRITE",
            configuration_values='{"enableNetworkPolicy": "true"}',
        )
        for name in MANAGED_ADDONS:
            addon = eks.CfnAddon(
                self,
                name.title().replace("-", ""),
                cluster_name=self.cluster.ref,
                addon_name=name,
                resolve_conflicts="OVERWRITE",
            )
            addon.node.add_dependency(self.nodegroup)  # CoreDNS needs nodes to become active

    def _data_access(self, access: ClusterAccess) -> None:
        """Nodes (and so pods, with the VPC CNI) reach PostgreSQL and Redis; nothing else."""
        node_group = self.cluster.attr_cluster_security_group_id
        for id, group, port in (
            ("Database", access.database_security_group, access.database_port),
            ("Cache", access.cache_security_group, REDIS_PORT),
        ):
            ec2.CfnSecurityGroupIngress(
                self,
                f"{id}FromCluster",
                group_id=group.security_group_id,
                source_security_group_id=node_group,
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                description=f"from the EKS cluster {self.name}",
            )

    def _service_account_roles(self, access: ClusterAccess) -> dict[str, iam.Role]:
        roles = {
            name: self._irsa_role(name) for name in ("web", "worker", "migrate", "external-secrets")
        }
        for name in ("web", "worker"):
            self._grant_app(roles[name], access)
        access.static_bucket.grant_read_write(roles["migrate"])
        self._grant_secrets(roles["external-secrets"], access)
        return roles

    def _irsa_role(self, service_account: str) -> iam.Role:
        """A role only the named ServiceAccount of the app's namespace can assume."""
        conditions = CfnJson(
            self,
            f"{service_account.title().replace('-', '')}Trust",
            value={
                f"{self._issuer}:sub": (
                    f"system:serviceaccount:{self._config.namespace}:{service_account}"
                ),
                f"{self._issuer}:aud": "sts.amazonaws.com",
            },
        )
        return iam.Role(
            self,
            f"{service_account.title().replace('-', '')}Role",
            role_name=f"booking-{self._env_name}-{service_account}",
            description=f"IRSA: {self._config.namespace}/{service_account} on {self.name}",
            assumed_by=iam.FederatedPrincipal(
                self.oidc_provider.attr_arn,
                {"StringEquals": conditions},
                "sts:AssumeRoleWithWebIdentity",
            ),
        )

    def _annotate_cfn_json_provider(self) -> None:
        """CfnJson's resolver: one stack-wide Lambda that runs only while CloudFormation deploys."""
        provider = Stack.of(self).node.try_find_child(
            "AWSCDKCfnUtilsProviderCustomResourceProvider"
        )
        handler = provider.node.try_find_child("Handler") if provider else None
        if handler is None:
            return
        skip_checks(
            handler,
            {
                "CKV_AWS_115": "CDK's CfnJson resolver runs once per deploy; no concurrency to cap",
                "CKV_AWS_116": "invoked synchronously by CloudFormation, which reports failures",
                "CKV_AWS_117": "computes a JSON value, reaches no VPC resource",
            },
        )

    def _grant_app(self, role: iam.IRole, access: ClusterAccess) -> None:
        """As the ECS task role: static and media read/write, SES from the default address."""
        access.static_bucket.grant_read_write(role)
        access.media_bucket.grant_read_write(role)
        access.media_bucket.grant_delete(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail", "ses:SendRawEmail"],
                resources=[
                    Stack.of(self).format_arn(service="ses", resource="identity", resource_name="*")
                ],
                conditions={"StringEquals": {"ses:FromAddress": access.default_from_email}},
            )
        )

    def _grant_secrets(self, role: iam.IRole, access: ClusterAccess) -> None:
        """External Secrets reads this environment's secrets (booking/<env>/...) and no other."""
        stack = Stack.of(self)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                resources=[
                    stack.format_arn(
                        service="secretsmanager",
                        resource="secret",
                        resource_name=f"booking/{self._env_name}/*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        for key in access.secret_keys:
            key.grant_decrypt(role)
