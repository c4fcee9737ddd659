"""Names come from the stack outputs, and an SSM parameter overrides one."""

from __future__ import annotations

import pytest

from booking_ops.aws.resolver import Resolver
from booking_ops.errors import OpsError
from tests.conftest import World


def test_the_resolver_reads_the_stack_outputs(world: World) -> None:
    names = world.ctx.names
    assert names.cluster == "booking-dev"
    assert len(names.subnets) == 2
    assert names.ready_url == f"{world.ready.url}/health/ready"
    stacks = [p["StackName"] for p in world.calls.of("DescribeStacks")]
    assert stacks == ["booking-dev-app", "booking-dev-network"]


def test_an_ssm_parameter_overrides_an_output(world: World) -> None:
    world.admin.ssm.put_parameter(
        Name="/booking/dev/outputs/ClusterName", Value="elsewhere", Type="String"
    )
    assert world.ctx.names.cluster == "elsewhere"


def test_a_missing_stack_says_to_bootstrap(world: World) -> None:
    names = Resolver("staging", world.ctx.clients)
    with pytest.raises(OpsError) as failure:
        names.output("ClusterName")
    assert "bootstrap --env staging" in failure.value.hint
