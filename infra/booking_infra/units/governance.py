"""Account-level guard rails: CloudTrail, GuardDuty and a billing alarm."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import AWS_MANAGED_KEY, log_group, skip_checks, unit_key

BILLING_PERIOD = Duration.hours(6)


class Governance(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvironmentConfig,
        alarm_topic: sns.ITopic,
        access_logs_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, id)
        self._env = env
        self._retain = RemovalPolicy.RETAIN if env.retain_data else RemovalPolicy.DESTROY
        self.key = unit_key(
            self,
            "Key",
            customer=env.keys == "customer",
            description=f"booking {env.name}: CloudTrail",
            retain=env.retain_data,
        )
        if self.key:
            self.key.grant_encrypt_decrypt(iam.ServicePrincipal("cloudtrail.amazonaws.com"))
            self.key.grant(iam.ServicePrincipal("cloudtrail.amazonaws.com"), "kms:DescribeKey")
        self.trail = self._trail(self._trail_bucket(access_logs_bucket))
        if env.observability.enable_guardduty:
            self.detector = guardduty.CfnDetector(
                self,
                "GuardDuty",
                enable=True,
                finding_publishing_frequency="FIFTEEN_MINUTES",
            )
        self.billing_alarm = self._billing_alarm(alarm_topic)

    def _trail_bucket(self, access_logs_bucket: s3.IBucket) -> s3.Bucket:
        env = self._env
        bucket = s3.Bucket(
            self,
            "TrailBucket",
            bucket_name=f"booking-{env.name}-{env.account}-cloudtrail",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs_bucket,
            server_access_logs_prefix="s3/cloudtrail/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-trail",
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                            transition_after=Duration.days(90),
                        )
                    ],
                    expiration=Duration.days(env.observability.cloudtrail_retention_days),
                    noncurrent_version_expiration=Duration.days(30),
                )
            ],
            removal_policy=self._retain,
        )
        skip_checks(
            bucket,
            {
                "CKV_AWS_145": "the trail's log files are KMS-encrypted by CloudTrail itself",
                "CKV2_AWS_62": "nothing consumes object events from this bucket",
                "CKV_AWS_144": "single-region design; versioning protects the trail",
            },
        )
        return bucket

    def _trail(self, bucket: s3.IBucket) -> cloudtrail.Trail:
        env = self._env
        trail = cloudtrail.Trail(
            self,
            "Trail",
            trail_name=f"booking-{env.name}",
            bucket=bucket,
            encryption_key=self.key,
            enable_file_validation=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            send_to_cloud_watch_logs=True,
            cloud_watch_log_group=log_group(
                self,
                "TrailLogs",
                name=f"/booking/{env.name}/cloudtrail",
                days=env.compute.log_retention_days,
            ),
        )
        skip_checks(
            trail,
            {
                "CKV_AWS_252": "trail delivery is not alerted on; GuardDuty and the alarms are",
            },
        )
        if self.key is None:  # the bucket's SSE-S3 encryption still applies
            skip_checks(trail, {"CKV_AWS_35": AWS_MANAGED_KEY})
        return trail

    def _billing_alarm(self, alarm_topic: sns.ITopic) -> cw.Alarm:
        env = self._env
        alarm = cw.Alarm(
            self,
            "Billing",
            alarm_name=f"booking-{env.name}-billing",
            alarm_description=f"estimated charges this month above "
            f"${env.observability.billing_alarm_usd}",
            metric=cw.Metric(
                namespace="AWS/Billing",
                metric_name="EstimatedCharges",
                dimensions_map={"Currency": "USD"},
                statistic="Maximum",
                period=BILLING_PERIOD,
            ),
            threshold=env.observability.billing_alarm_usd,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cw_actions.SnsAction(alarm_topic))
        return alarm
