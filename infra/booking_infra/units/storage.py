"""S3: the web app and static (through CloudFront only), media (private), backups (to colder
storage), logs.

Every bucket blocks public access, refuses plain HTTP, is encrypted and versioned, and logs its
own access to the logs bucket.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import skip_checks

_NO_EVENTS = "nothing consumes object events from this bucket"
_ONE_REGION = "single-region design; versioning and lifecycle protect the objects"


class Storage(Construct):
    def __init__(
        self, scope: Construct, id: str, *, env: EnvironmentConfig, web_app: bool = False
    ) -> None:
        """WEB_APP: a bucket for frontend/dist, where this stack's CloudFront serves it."""
        super().__init__(scope, id)
        self._removal = RemovalPolicy.RETAIN if env.retain_data else RemovalPolicy.DESTROY
        self._prefix = f"booking-{env.name}-{env.account}"
        self.logs = self._logs_bucket(env)
        self.web = self._bucket("Web", "web") if web_app else None
        self.static = self._bucket("Static", "static")
        self.media = self._bucket("Media", "media", cors=[_media_cors(env)])
        self.backups = self._bucket("Backups", "backups", lifecycle_rules=[_backups_lifecycle(env)])

    def _bucket(self, id: str, purpose: str, **extra: object) -> s3.Bucket:
        lifecycle = list(extra.pop("lifecycle_rules", []))  # type: ignore[call-overload]
        lifecycle.append(
            s3.LifecycleRule(
                id="old-versions",
                noncurrent_version_expiration=Duration.days(90),
                abort_incomplete_multipart_upload_after=Duration.days(7),
            )
        )
        bucket = s3.Bucket(
            self,
            id,
            bucket_name=f"{self._prefix}-{purpose}",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix=f"s3/{purpose}/",
            lifecycle_rules=lifecycle,
            removal_policy=self._removal,
            **extra,  # type: ignore[arg-type]
        )
        skip_checks(
            bucket,
            {
                "CKV_AWS_145": "SSE-S3 (AES-256): CloudFront origin access control and the app's "
                "signed URLs need no KMS key policy and no per-request KMS charge",
                "CKV2_AWS_62": _NO_EVENTS,
                "CKV_AWS_144": _ONE_REGION,
            },
        )
        return bucket

    def _logs_bucket(self, env: EnvironmentConfig) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "Logs",
            bucket_name=f"{self._prefix}-logs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            # CloudFront standard logs are written through ACLs
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-logs",
                    expiration=Duration.days(env.observability.access_log_retention_days),
                    noncurrent_version_expiration=Duration.days(7),
                )
            ],
            removal_policy=self._removal,
        )
        skip_checks(
            bucket,
            {
                "CKV_AWS_18": "this is the access-log bucket; logging it into itself would loop",
                "CKV_AWS_145": "ALB access logs can only be delivered to SSE-S3 buckets",
                "CKV2_AWS_65": "CloudFront standard logging delivers through bucket ACLs",
                "CKV2_AWS_62": _NO_EVENTS,
                "CKV_AWS_144": _ONE_REGION,
            },
        )
        return bucket


def _media_cors(env: EnvironmentConfig) -> s3.CorsRule:
    """Browsers upload media straight to S3 (presigned) from the app's origins."""
    return s3.CorsRule(
        allowed_methods=[
            s3.HttpMethods.GET,
            s3.HttpMethods.PUT,
            s3.HttpMethods.POST,
            s3.HttpMethods.HEAD,
        ],
        allowed_origins=[f"https://{env.domain.api_host}", env.domain.frontend_url],
        allowed_headers=["*"],
        exposed_headers=["ETag"],
        max_age=3000,
    )


def _backups_lifecycle(env: EnvironmentConfig) -> s3.LifecycleRule:
    """Dumps move to colder storage, then expire."""
    obs = env.observability
    glacier_days = obs.backups_to_glacier_after_days
    return s3.LifecycleRule(
        id="colder-then-gone",
        transitions=[
            s3.Transition(
                storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                transition_after=Duration.days(glacier_days),
            ),
            s3.Transition(
                storage_class=s3.StorageClass.DEEP_ARCHIVE,
                transition_after=Duration.days(glacier_days + 90),
            ),
        ],
        expiration=Duration.days(obs.backups_expire_after_days + glacier_days + 90),
        noncurrent_version_expiration=Duration.days(30),
        abort_incomplete_multipart_upload_after=Duration.days(7),
    )
