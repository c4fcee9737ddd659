"""The VPC, its endpoints and flow logs, and every security group with its rules in one place."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct
from environments import Entry, NetworkConfig

from booking_infra.common import log_group, skip_checks
from booking_infra.units.nacl import NetworkAcls
from booking_infra.units.nat import NatInstances, nat_provider
from booking_infra.units.ports import APP_PORT, HTTPS_PORT, POSTGRES_PORT, REDIS_PORT

__all__ = ["APP_PORT", "POSTGRES_PORT", "REDIS_PORT", "Network"]

_ATTACHED_ELSEWHERE = (
    "attached in another stack of this environment (ALB, tasks, RDS, ElastiCache); "
    "checkov reads one template at a time"
)


class Network(Construct):
    """Public subnets for the load balancer, private ones for tasks, isolated ones for data."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: NetworkConfig,
        env_name: str,
        database: tuple[str, int] = ("PostgreSQL", POSTGRES_PORT),
        entry: Entry = "alb",
    ) -> None:
        """DATABASE: the engine's name and port (engines.py), for the rules that reach it;
        ENTRY: what the web tasks admit (the ALB, or the HTTP API's VPC link)."""
        super().__init__(scope, id)
        self._entry = entry
        self._database_label, self._database_port = database
        self._nat = nat_provider(config)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(config.cidr),
            availability_zones=list(config.availability_zones),
            nat_gateways=config.nat_gateways,
            nat_gateway_provider=self._nat,
            restrict_default_security_group=False,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public",
                    subnet_type=ec2.SubnetType.PUBLIC,
                    cidr_mask=24,
                    map_public_ip_on_launch=False,
                ),
                ec2.SubnetConfiguration(
                    name="app", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20
                ),
                ec2.SubnetConfiguration(
                    name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
        )
        self._restrict_default_security_group()
        self._flow_logs(config, env_name)
        self._endpoints(config)
        self._security_groups()
        if isinstance(self._nat, ec2.NatInstanceProviderV2):
            NatInstances(self, "NatInstances", provider=self._nat, vpc=self.vpc)
        self.acls = NetworkAcls(
            self,
            "Acls",
            vpc=self.vpc,
            vpc_cidr=config.cidr,
            interface_endpoints=config.interface_endpoints,
            database_port=self._database_port,
            entry=entry,
        )

    def _restrict_default_security_group(self) -> None:
        # CloudFormation cannot empty the default group's rules without a Lambda-backed custom
        # resource; instead nothing is ever placed in it.
        skip_checks(
            self.vpc,
            {
                "CKV2_AWS_12": "no resource is placed in the default security group; every "
                "task, endpoint, database and cache has its own least-privilege group",
            },
        )

    def _flow_logs(self, config: NetworkConfig, env_name: str) -> None:
        group = log_group(
            self,
            "FlowLogs",
            name=f"/booking/{env_name}/vpc-flow-logs",
            days=config.flow_log_retention_days,
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )

    def _endpoints(self, config: NetworkConfig) -> None:
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
        if not config.interface_endpoints:
            return
        self.endpoint_security_group = ec2.SecurityGroup(
            self,
            "EndpointSg",
            vpc=self.vpc,
            allow_all_outbound=False,
            description="Interface endpoints: HTTPS from inside the VPC only",
        )
        self.endpoint_security_group.add_ingress_rule(
            ec2.Peer.ipv4(self.vpc.vpc_cidr_block), ec2.Port.tcp(HTTPS_PORT), "HTTPS from the VPC"
        )
        services = {
            "EcrApi": ec2.InterfaceVpcEndpointAwsService.ECR,
            "EcrDocker": ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
            "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
            "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
        }
        for name, service in services.items():
            self.vpc.add_interface_endpoint(
                name,
                service=service,
                private_dns_enabled=True,
                open=False,
                security_groups=[self.endpoint_security_group],
                subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            )

    def _security_groups(self) -> None:
        def group(name: str, description: str) -> ec2.SecurityGroup:
            sg = ec2.SecurityGroup(
                self, name, vpc=self.vpc, allow_all_outbound=False, description=description
            )
            skip_checks(sg, {"CKV2_AWS_5": _ATTACHED_ELSEWHERE})
            return sg

        self.app_sg = group("AppSg", f"Web tasks: the app port from the {self._entry_name} only")
        self.worker_sg = group("WorkerSg", "Worker, beat and migrate tasks: no inbound traffic")
        label, db_port = self._database_label, self._database_port
        self.database_sg = group("DatabaseSg", f"{label}: {db_port} from app and worker tasks only")
        self.cache_sg = group("CacheSg", "Redis/Valkey: 6379 from app and worker tasks only")
        self.alb_sg: ec2.SecurityGroup | None = None
        self.vpc_link_sg: ec2.SecurityGroup | None = None
        if self._entry == "alb":
            self.alb_sg = group("AlbSg", "Load balancer: 80/443 from the internet")
            self._alb_rules(self.alb_sg)
            front = self.alb_sg
        else:
            # the VPC link's ENIs in the private subnets: nothing comes in, only out to the tasks
            self.vpc_link_sg = group("VpcLinkSg", "API Gateway VPC link: to the web tasks only")
            front = self.vpc_link_sg
        front.add_egress_rule(self.app_sg, ec2.Port.tcp(APP_PORT), "to web tasks")
        self.app_sg.add_ingress_rule(front, ec2.Port.tcp(APP_PORT), f"from the {self._entry_name}")

        for tasks in (self.app_sg, self.worker_sg):
            self.database_sg.add_ingress_rule(tasks, ec2.Port.tcp(db_port), "from tasks")
            self.cache_sg.add_ingress_rule(tasks, ec2.Port.tcp(REDIS_PORT), "from tasks")
            tasks.add_egress_rule(self.database_sg, ec2.Port.tcp(db_port), f"to {label}")
            tasks.add_egress_rule(self.cache_sg, ec2.Port.tcp(REDIS_PORT), "to Redis")
            tasks.add_egress_rule(
                ec2.Peer.any_ipv4(),
                ec2.Port.tcp(HTTPS_PORT),
                "HTTPS to AWS APIs, SES, Twilio and Sentry",
            )

    @property
    def _entry_name(self) -> str:
        return "load balancer" if self._entry == "alb" else "API Gateway VPC link"

    @staticmethod
    def _alb_rules(alb_sg: ec2.SecurityGroup) -> None:
        for port in (80, 443):
            alb_sg.add_ingress_rule(
                ec2.Peer.any_ipv4(), ec2.Port.tcp(port), f"{port} from the internet"
            )
        skip_checks(
            alb_sg,
            {
                "CKV_AWS_260": "port 80 only answers with a redirect to HTTPS (listener rule)",
            },
        )
