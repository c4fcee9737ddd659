"""ECR: the one image every role runs, scanned on push, with a bounded history."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ecr as ecr
from constructs import Construct

REPOSITORY_NAME = "booking-backend"


class Registry(Construct):
    def __init__(self, scope: Construct, id: str, *, keep_images: int, retain: bool) -> None:
        super().__init__(scope, id)
        self.repository = ecr.Repository(
            self,
            "Backend",
            repository_name=REPOSITORY_NAME,
            image_scan_on_push=True,
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            encryption=ecr.RepositoryEncryption.KMS,
            removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
            lifecycle_rules=[
                ecr.LifecycleRule(
                    rule_priority=1,
                    description="untagged layers go after a day",
                    tag_status=ecr.TagStatus.UNTAGGED,
                    max_image_age=Duration.days(1),
                ),
                ecr.LifecycleRule(
                    rule_priority=2,
                    description=f"keep the last {keep_images} images",
                    tag_status=ecr.TagStatus.ANY,
                    max_image_count=keep_images,
                ),
            ],
        )
