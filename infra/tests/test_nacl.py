"""Network ACLs per tier allow only what the security groups allow, plus stateless replies."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Synthesized

ANYWHERE = "0.0.0.0/0"
EPHEMERAL = (1024, 65535)


def _tier_cidrs(env: Synthesized) -> dict[str, set[str]]:
    kinds = {"Public": "public", "Private": "private", "Isolated": "isolated"}
    cidrs: dict[str, set[str]] = {tier: set() for tier in kinds.values()}
    for subnet in env.resources("AWS::EC2::Subnet", "network").values():
        tags = {t["Key"]: t["Value"] for t in subnet["Properties"]["Tags"]}
        cidrs[kinds[tags["aws-cdk:subnet-type"]]].add(subnet["Properties"]["CidrBlock"])
    return cidrs


def _acl_ids(env: Synthesized) -> dict[str, str]:
    """tier -> logical id of its NetworkAcl."""
    ids = {}
    for logical_id in env.resources("AWS::EC2::NetworkAcl", "network"):
        name = logical_id.split("/")[1]
        for tier in ("Public", "Private", "Isolated"):
            if name.startswith(f"NetworkAcls{tier}"):
                ids[tier.lower()] = name
    return ids


def _entries(env: Synthesized, tier: str, *, egress: bool) -> list[dict[str, Any]]:
    acl = _acl_ids(env)[tier]
    return sorted(
        (
            e["Properties"]
            for e in env.resources("AWS::EC2::NetworkAclEntry", "network").values()
            if e["Properties"]["NetworkAclId"] == {"Ref": acl}
            and e["Properties"]["Egress"] is egress
        ),
        key=lambda e: e["RuleNumber"],
    )


def _flows(entries: list[dict[str, Any]]) -> set[tuple[int, str, int, int]]:
    return {
        (e["RuleNumber"], e["CidrBlock"], e["PortRange"]["From"], e["PortRange"]["To"])
        for e in entries
    }


def test_every_subnet_is_in_its_tiers_acl(each_env: Synthesized) -> None:
    acls = _acl_ids(each_env)
    assert set(acls) == {"public", "private", "isolated"}
    subnet_ids = {
        lid.split("/")[1]: s for lid, s in each_env.resources("AWS::EC2::Subnet", "network").items()
    }
    associations = each_env.resources("AWS::EC2::SubnetNetworkAclAssociation", "network")
    assert len(associations) == len(subnet_ids)
    for association in associations.values():
        props = association["Properties"]
        subnet = subnet_ids[props["SubnetId"]["Ref"]]
        tier = {t["Key"]: t["Value"] for t in subnet["Properties"]["Tags"]}[
            "aws-cdk:subnet-type"
        ].lower()
        assert props["NetworkAclId"] == {"Ref": acls[tier]}


def test_every_entry_allows_tcp_only(each_env: Synthesized) -> None:
    for entry in each_env.resources("AWS::EC2::NetworkAclEntry", "network").values():
        assert entry["Properties"]["Protocol"] == 6
        assert entry["Properties"]["RuleAction"] == "allow"


def test_public_tier_takes_https_and_the_redirect_and_talks_to_the_app_port(
    alb_env: Synthesized,
) -> None:
    private = sorted(_tier_cidrs(alb_env)["private"])
    assert _flows(_entries(alb_env, "public", egress=False)) == {
        (100, ANYWHERE, 443, 443),
        (110, ANYWHERE, 80, 80),
        (120, ANYWHERE, *EPHEMERAL),
    }
    assert _flows(_entries(alb_env, "public", egress=True)) == {
        *((100 + i, cidr, 8000, 8000) for i, cidr in enumerate(private)),
        (110, ANYWHERE, 443, 443),
        (120, ANYWHERE, *EPHEMERAL),
    }


def test_private_tier_takes_the_app_port_from_public_subnets_only(alb_env: Synthesized) -> None:
    cidrs = _tier_cidrs(alb_env)
    public, isolated = sorted(cidrs["public"]), sorted(cidrs["isolated"])
    inbound = _flows(_entries(alb_env, "private", egress=False))
    assert inbound == {
        *((100 + i, c, 8000, 8000) for i, c in enumerate(public)),
        (200, ANYWHERE, *EPHEMERAL),
    }
    outbound = _flows(_entries(alb_env, "private", egress=True))
    assert outbound == {
        (100, ANYWHERE, 443, 443),
        *((110 + i, c, 5432, 5432) for i, c in enumerate(isolated)),
        *((120 + i, c, 6379, 6379) for i, c in enumerate(isolated)),
        *((130 + i, c, *EPHEMERAL) for i, c in enumerate(public)),
    }


def test_isolated_tier_takes_database_and_cache_ports_from_private_subnets_only(
    each_env: Synthesized,
) -> None:
    cidrs = _tier_cidrs(each_env)
    inbound = _entries(each_env, "isolated", egress=False)
    listening = [e for e in inbound if e["PortRange"]["From"] in (5432, 6379)]
    for entry in listening:
        allowed = cidrs["private"] | (
            cidrs["isolated"] if entry["PortRange"]["From"] == 6379 else set()
        )
        assert entry["CidrBlock"] in allowed, entry
    postgres = {e["CidrBlock"] for e in listening if e["PortRange"]["From"] == 5432}
    assert postgres == cidrs["private"]
    assert all(e["CidrBlock"] != ANYWHERE for e in inbound)
    assert not any(e["CidrBlock"] in cidrs["public"] for e in inbound)
    outbound = _entries(each_env, "isolated", egress=True)
    assert all(e["CidrBlock"] in cidrs["private"] | cidrs["isolated"] for e in outbound)
    assert {
        e["CidrBlock"]
        for e in outbound
        if (e["PortRange"]["From"], e["PortRange"]["To"]) == EPHEMERAL
    } == cidrs["private"] | cidrs["isolated"]


@pytest.mark.parametrize("tier", ["public", "private", "isolated"])
def test_rule_numbers_are_unique_per_direction(prod: Synthesized, tier: str) -> None:
    for egress in (False, True):
        numbers = [e["RuleNumber"] for e in _entries(prod, tier, egress=egress)]
        assert numbers and len(numbers) == len(set(numbers))
        assert all(0 < n < 32767 for n in numbers)
