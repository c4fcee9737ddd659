"""boto3 clients and how long to wait for AWS, in one place."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import boto3

REGION = "us-east-1"  # every stack lives there (infra/environments.py)

# boto3 clients are generated at run time; without boto3-stubs they are Any.
Client = Any


@dataclass(frozen=True)
class Timing:
    """Waiter delays. Production values here; tests shrink them."""

    delay: float = 6.0
    max_attempts: int = 100  # ECS waiters: 10 minutes
    db_delay: float = 30.0
    db_max_attempts: int = 120  # RDS restores: an hour
    ready_attempts: int = 30
    ready_delay: float = 10.0

    def waiter(self, *, database: bool = False) -> dict[str, float | int]:
        if database:
            return {"Delay": self.db_delay, "MaxAttempts": self.db_max_attempts}
        return {"Delay": self.delay, "MaxAttempts": self.max_attempts}


@dataclass(frozen=True)
class Clients:
    ecs: Client
    rds: Client
    cloudformation: Client
    ssm: Client
    cloudwatch: Client
    sts: Client
    ecr: Client
    secretsmanager: Client
    s3: Client  # the web app's bucket
    cloudfront: Client  # its invalidation

    @classmethod
    def create(
        cls, session: boto3.Session | None = None, endpoint_url: str | None = None
    ) -> Clients:
        """ENDPOINT_URL points every client at a stand-in (the moto server in tests);
        AWS_ENDPOINT_URL in the environment does the same without code."""
        session = session or boto3.Session(region_name=REGION)

        def client(service: str) -> Client:
            return session.client(service, endpoint_url=endpoint_url)

        services = [f.name for f in fields(cls)]
        return cls(**{service: client(service) for service in services})
