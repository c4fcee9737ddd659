"""NAT for the private subnets: managed gateways, or (``nat_type="instance"``) small instances.

A NAT instance costs a t4g.nano and its address (~$6.70 a month) where a gateway costs $36.50
plus $0.045 a GB; it is one more machine to keep patched and has no managed failover, which is
why only dev uses it. The instance forwards only what the tasks send (HTTPS) and accepts nothing
else; IMDSv2 is required and its disk is encrypted.
"""

from __future__ import annotations

from aws_cdk import Aspects
from aws_cdk import aws_ec2 as ec2
from constructs import Construct
from environments import NetworkConfig

from booking_infra.common import skip_checks
from booking_infra.units.ports import HTTPS_PORT

ROOT_DEVICE = "/dev/xvda"  # Amazon Linux 2023
ROOT_GB = 8


def nat_provider(config: NetworkConfig) -> ec2.NatProvider:
    if config.nat_type == "gateway":
        return ec2.NatProvider.gateway()
    return ec2.NatProvider.instance_v2(
        instance_type=ec2.InstanceType(config.nat_instance_type),
        machine_image=ec2.MachineImage.latest_amazon_linux2023(
            cpu_type=ec2.AmazonLinuxCpuType.ARM_64
        ),
        associate_public_ip_address=True,
        credit_specification=ec2.CpuCredits.STANDARD,  # no surprise surcharge
        default_allowed_traffic=ec2.NatTrafficDirection.NONE,
    )


class NatInstances(Construct):
    """Narrows the NAT instances to the tasks' HTTPS and hardens their hosts."""

    def __init__(
        self, scope: Construct, id: str, *, provider: ec2.NatInstanceProviderV2, vpc: ec2.Vpc
    ) -> None:
        super().__init__(scope, id)
        for subnet in vpc.private_subnets:
            provider.connections.allow_from(
                ec2.Peer.ipv4(subnet.ipv4_cidr_block),
                ec2.Port.tcp(HTTPS_PORT),
                "HTTPS from the tasks, to forward",
            )
        provider.connections.allow_to(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(HTTPS_PORT), "HTTPS out: AWS APIs, package updates"
        )
        Aspects.of(scope).add(ec2.InstanceRequireImdsv2Aspect())
        for instance in provider.gateway_instances:
            self._harden(instance)

    @staticmethod
    def _harden(instance: ec2.Instance) -> None:
        cfn = instance.instance
        cfn.block_device_mappings = [
            ec2.CfnInstance.BlockDeviceMappingProperty(
                device_name=ROOT_DEVICE,
                ebs=ec2.CfnInstance.EbsProperty(
                    encrypted=True, volume_size=ROOT_GB, volume_type="gp3"
                ),
            )
        ]
        cfn.ebs_optimized = True
        cfn.monitoring = False
        skip_checks(
            cfn,
            {
                "CKV_AWS_88": "a NAT instance needs a public address to forward the tasks' traffic",
                "CKV_AWS_126": "dev's NAT instance: basic five-minute metrics are enough, detailed "
                "monitoring would cost as much as the instance",
            },
        )
