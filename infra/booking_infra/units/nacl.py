"""Network ACLs per subnet tier: the same flows the security groups allow, and their replies.

Security groups are stateful and name groups; ACLs are stateless and name CIDRs, so each allowed
flow appears twice (the request one way, the reply to an ephemeral port the other way). The
public tier cannot narrow by source beyond 0.0.0.0/0 (clients and internet replies to the NAT);
the security groups on the load balancer and the tasks do that.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from constructs import Construct
from environments import Entry

from booking_infra.common import skip_checks
from booking_infra.units.ports import (
    APP_PORT,
    EPHEMERAL,
    HTTP_PORT,
    HTTPS_PORT,
    POSTGRES_PORT,
    REDIS_PORT,
)

ANYWHERE = "0.0.0.0/0"
INGRESS = ec2.TrafficDirection.INGRESS
EGRESS = ec2.TrafficDirection.EGRESS
_EPHEMERAL_FROM_ANYWHERE = (
    "stateless return traffic to ephemeral ports (1024-65535, which includes 3389); no security "
    "group in these subnets accepts 3389 and nothing listens on it"
)


@dataclass(frozen=True)
class Rule:
    """Allow TCP PORTS between this tier and each of CIDRS, numbered from NUMBER upwards."""

    direction: ec2.TrafficDirection
    number: int
    cidrs: tuple[str, ...]
    ports: tuple[int, int]
    why: str


def _port(port: int) -> tuple[int, int]:
    return (port, port)


def public_rules(tiers: dict[str, tuple[str, ...]], entry: Entry = "alb") -> list[Rule]:
    """The load balancer and the NAT gateway; the NAT only where an HTTP API is the entry."""
    anywhere, private = (ANYWHERE,), tiers["private"]
    if entry == "http_api":
        return [
            Rule(INGRESS, 100, private, _port(HTTPS_PORT), "tasks to the NAT"),
            Rule(INGRESS, 120, anywhere, EPHEMERAL, "replies: internet to the NAT"),
            Rule(EGRESS, 110, anywhere, _port(HTTPS_PORT), "NAT to AWS APIs, SES, Twilio, Sentry"),
            Rule(EGRESS, 120, private, EPHEMERAL, "replies: NAT to tasks"),
        ]
    return [
        Rule(INGRESS, 100, anywhere, _port(HTTPS_PORT), "clients to the ALB; tasks to the NAT"),
        Rule(INGRESS, 110, anywhere, _port(HTTP_PORT), "clients to the ALB's redirect"),
        Rule(INGRESS, 120, anywhere, EPHEMERAL, "replies: internet to the NAT, tasks to the ALB"),
        Rule(EGRESS, 100, private, _port(APP_PORT), "ALB to the web tasks"),
        Rule(EGRESS, 110, anywhere, _port(HTTPS_PORT), "NAT to AWS APIs, SES, Twilio, Sentry"),
        Rule(EGRESS, 120, anywhere, EPHEMERAL, "replies: ALB to clients, NAT to tasks"),
    ]


def private_rules(
    tiers: dict[str, tuple[str, ...]],
    vpc_cidr: str,
    interface_endpoints: bool,
    database_port: int = POSTGRES_PORT,
    entry: Entry = "alb",
) -> list[Rule]:
    """The tasks, the rotation Lambda, the HTTP API's VPC link and (when on) the interface
    endpoints."""
    public, private, isolated = tiers["public"], tiers["private"], tiers["isolated"]
    # the VPC link's ENIs sit in the private subnets: its traffic crosses between them
    front, name = (public, "ALB") if entry == "alb" else (private, "VPC link")
    rules = [
        Rule(INGRESS, 100, front, _port(APP_PORT), f"{name} to the web tasks"),
        Rule(INGRESS, 200, (ANYWHERE,), EPHEMERAL, "replies from the internet, databases, AWS"),
        Rule(EGRESS, 100, (ANYWHERE,), _port(HTTPS_PORT), "AWS APIs, SES, Twilio, Sentry"),
        Rule(EGRESS, 110, isolated, _port(database_port), "tasks to the database"),
        Rule(EGRESS, 120, isolated, _port(REDIS_PORT), "tasks to Redis"),
        Rule(EGRESS, 130, front, EPHEMERAL, f"web tasks' replies to the {name}"),
    ]
    if interface_endpoints:
        rules += [
            Rule(INGRESS, 110, (vpc_cidr,), _port(HTTPS_PORT), "to the interface endpoints"),
            Rule(EGRESS, 140, private, EPHEMERAL, "interface endpoints' replies"),
        ]
    return rules


def isolated_rules(
    tiers: dict[str, tuple[str, ...]], database_port: int = POSTGRES_PORT
) -> list[Rule]:
    """The database and Redis: reachable from the private tier only."""
    private, isolated = tiers["private"], tiers["isolated"]
    return [
        Rule(INGRESS, 100, private, _port(database_port), "tasks to the database"),
        Rule(INGRESS, 110, private, _port(REDIS_PORT), "tasks to Redis"),
        # a Valkey replica syncs from its primary on the engine port, within this tier
        Rule(INGRESS, 120, isolated, _port(REDIS_PORT), "Valkey replication"),
        Rule(INGRESS, 130, isolated, EPHEMERAL, "Valkey replication replies"),
        Rule(EGRESS, 100, private, EPHEMERAL, "replies to the tasks"),
        Rule(EGRESS, 110, isolated, _port(REDIS_PORT), "Valkey replication"),
        Rule(EGRESS, 120, isolated, EPHEMERAL, "Valkey replication replies"),
    ]


class NetworkAcls(Construct):
    """One ACL per tier, associated with every subnet of the tier."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc: ec2.Vpc,
        vpc_cidr: str,
        interface_endpoints: bool,
        database_port: int = POSTGRES_PORT,
        entry: Entry = "alb",
    ) -> None:
        super().__init__(scope, id)
        tiers = {
            "public": tuple(s.ipv4_cidr_block for s in vpc.public_subnets),
            "private": tuple(s.ipv4_cidr_block for s in vpc.private_subnets),
            "isolated": tuple(s.ipv4_cidr_block for s in vpc.isolated_subnets),
        }
        self.acls = {
            "public": self._acl("Public", vpc, ec2.SubnetType.PUBLIC, public_rules(tiers, entry)),
            "private": self._acl(
                "Private",
                vpc,
                ec2.SubnetType.PRIVATE_WITH_EGRESS,
                private_rules(tiers, vpc_cidr, interface_endpoints, database_port, entry),
            ),
            "isolated": self._acl(
                "Isolated",
                vpc,
                ec2.SubnetType.PRIVATE_ISOLATED,
                isolated_rules(tiers, database_port),
            ),
        }

    def _acl(
        self, name: str, vpc: ec2.Vpc, subnet_type: ec2.SubnetType, rules: list[Rule]
    ) -> ec2.NetworkAcl:
        acl = ec2.NetworkAcl(
            self,
            name,
            vpc=vpc,
            network_acl_name=f"{name.lower()}-tier",
            subnet_selection=ec2.SubnetSelection(subnet_type=subnet_type),
        )
        for rule in rules:
            for offset, cidr in enumerate(rule.cidrs):
                self._entry(acl, rule, rule.number + offset, cidr)
        return acl

    @staticmethod
    def _entry(acl: ec2.NetworkAcl, rule: Rule, number: int, cidr: str) -> None:
        direction = "In" if rule.direction == INGRESS else "Out"
        entry = acl.add_entry(
            f"{direction}{number}",
            cidr=ec2.AclCidr.ipv4(cidr),
            rule_number=number,
            traffic=ec2.AclTraffic.tcp_port_range(*rule.ports),
            direction=rule.direction,
            rule_action=ec2.Action.ALLOW,
        )
        if cidr == ANYWHERE and rule.direction == INGRESS and rule.ports == EPHEMERAL:
            skip_checks(entry, {"CKV_AWS_231": _EPHEMERAL_FROM_ANYWHERE})
