"""What running the app costs on EKS instead of ECS Fargate (``platform="eks"``).

The control plane, the managed nodes with their disks, and the NLB that ingress-nginx's
Service gets in place of the ALB (no WAF: an ACL cannot attach to an NLB). Pods, the migrate
Job and the cluster add-ons share the nodes, so they cost nothing on their own.
"""

from __future__ import annotations

import prices
from environments import EnvironmentConfig
from footprint import Traffic

HOURS = prices.HOURS_PER_MONTH


def eks_compute(env: EnvironmentConfig) -> list[tuple[str, str, float]]:
    """(item, detail, USD) of the cluster and its nodes at their desired count."""
    cluster = env.kubernetes
    node_type = cluster.instance_types[0]
    nodes = cluster.nodes_desired
    return [
        (
            "EKS control plane",
            f"{HOURS} h, standard support",
            HOURS * prices.EKS_CONTROL_PLANE_HOUR,
        ),
        (
            "EKS nodes",
            f"{nodes} x {node_type} + {cluster.node_disk_gb} GB gp3",
            nodes
            * (
                HOURS * prices.EC2_INSTANCE_HOUR[node_type]
                + cluster.node_disk_gb * prices.EBS_GP3_GB_MONTH
            ),
        ),
    ]


def ingress_nlb(env: EnvironmentConfig, traffic: Traffic) -> tuple[str, str, float]:
    """The NLB in front of ingress-nginx: hours, NLCUs as used (1 GB/h or 800 new flows/s
    each, the higher), and one IPv4 address per AZ."""
    nlcu = max(traffic.gb_out / HOURS, traffic.requests_per_month / (HOURS * 3600) / 800)
    ips = env.network.az_count
    return (
        "NLB (ingress-nginx)",
        f"{HOURS} h + {nlcu:.2f} NLCU + {ips} IPv4",
        HOURS * (prices.NLB_HOUR + nlcu * prices.NLB_NLCU_HOUR + ips * prices.PUBLIC_IPV4_HOUR),
    )
