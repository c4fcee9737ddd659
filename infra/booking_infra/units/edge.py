"""The way in: certificate, ALB, WAF (regional and CloudFront), CloudFront and DNS records.

CloudFront serves the web app (units/web_app.py) on the app host and the CDN host: the app's
bucket by default, /static/* and (signed) /media/* from their buckets, the API's paths from the
API host.

Where the environment's entry is an HTTP API (environments.py ``EdgeConfig.entry``) there is
no ALB here: units/api.py builds the API, with its own record, once the web service exists."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import skip_checks
from booking_infra.units.network import APP_PORT
from booking_infra.units.waf import WebAcl
from booking_infra.units.web_app import WebApp

HEALTH_PATH = "/health/ready"
ALB_IDLE_SECONDS = 50
HIDDEN_PATHS = ("/metrics", "/metrics/*")
NOT_FOUND_BODY = json.dumps(
    {"error": {"code": "not_found", "message": "Not found.", "details": {}}}
)


@dataclass(frozen=True)
class EdgeBuckets:
    """What CloudFront serves (web app, static, media) and where it and the ALB log."""

    web: s3.IBucket
    static: s3.IBucket
    media: s3.IBucket
    logs: s3.IBucket


class Edge(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvironmentConfig,
        vpc: ec2.IVpc,
        alb_security_group: ec2.ISecurityGroup | None,
        buckets: EdgeBuckets,
    ) -> None:
        super().__init__(scope, id)
        domain = env.domain
        self.zone = route53.HostedZone.from_hosted_zone_attributes(
            self,
            "Zone",
            hosted_zone_id=domain.zone_id,
            zone_name=domain.zone_name,
        )
        self.certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=domain.api_host,
            subject_alternative_names=[domain.cdn_host, domain.app_host],
            validation=acm.CertificateValidation.from_dns(self.zone),
        )
        scope_name = env.edge.waf_scope
        self.alb_acl = self._web_acl(env, "REGIONAL", "alb") if scope_name != "none" else None
        both = env.edge.waf_scope == "alb_and_cdn"
        self.cdn_acl = self._web_acl(env, "CLOUDFRONT", "cdn") if both else None
        self.alb: elbv2.ApplicationLoadBalancer | None = None
        self.target_group: elbv2.ApplicationTargetGroup | None = None
        if env.edge.entry == "alb":
            assert alb_security_group is not None, "the network creates it with entry='alb'"
            self._load_balancer(env, vpc, alb_security_group, buckets.logs)
        self._distribution(env, buckets)
        self._records(env)

    def _web_acl(self, env: EnvironmentConfig, scope_name: str, suffix: str) -> wafv2.CfnWebACL:
        return WebAcl(
            self,
            f"{suffix.title()}Waf",
            scope_name=scope_name,
            name=f"booking-{env.name}-{suffix}",
            rate_limit=env.edge.waf_rate_limit_per_5min,
            log_days=env.compute.log_retention_days,
        ).acl

    def _load_balancer(
        self,
        env: EnvironmentConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        logs_bucket: s3.IBucket,
    ) -> None:
        alb = self.alb = elbv2.ApplicationLoadBalancer(
            self,
            "Alb",
            vpc=vpc,
            internet_facing=True,
            security_group=security_group,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            drop_invalid_header_fields=True,
            deletion_protection=env.edge.alb_deletion_protection,
            # uWSGI, the default, closes each connection after its response. Below the others'
            # keep-alive close (WEB_SERVER=gunicorn: 75 s, GUNICORN_KEEPALIVE; granian: 60 s,
            # WEB_HEADER_READ_TIMEOUT_MS's maximum), so the ALB drops an idle connection first
            # and never sends a request on one the task is closing (a 502).
            idle_timeout=Duration.seconds(ALB_IDLE_SECONDS),
        )
        if not env.edge.alb_deletion_protection:
            skip_checks(
                alb,
                {
                    "CKV_AWS_150": "deletion protection is an environment prop: on in prod, off "
                    "where environments are torn down",
                },
            )
        alb.log_access_logs(logs_bucket, prefix="alb")
        self.target_group = self._target_group(vpc)
        self._listeners(alb, self.target_group)
        if self.alb_acl is None:
            skip_checks(
                alb,
                {
                    "CKV2_AWS_28": "waf_scope='none' is an environment prop (environments.py): "
                    "dev holds no customer data; staging and prod have the web ACL",
                },
            )
            return
        wafv2.CfnWebACLAssociation(
            self,
            "AlbWafAssociation",
            resource_arn=alb.load_balancer_arn,
            web_acl_arn=self.alb_acl.attr_arn,
        )

    def _target_group(self, vpc: ec2.IVpc) -> elbv2.ApplicationTargetGroup:
        return elbv2.ApplicationTargetGroup(
            self,
            "Web",
            vpc=vpc,
            port=APP_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            target_type=elbv2.TargetType.IP,
            deregistration_delay=Duration.seconds(30),
            health_check=elbv2.HealthCheck(
                path=HEALTH_PATH,
                healthy_http_codes="200",
                interval=Duration.seconds(15),
                timeout=Duration.seconds(5),
                healthy_threshold_count=2,
                unhealthy_threshold_count=3,
            ),
        )

    def _listeners(
        self, alb: elbv2.ApplicationLoadBalancer, target_group: elbv2.ApplicationTargetGroup
    ) -> None:
        self.https = alb.add_listener(
            "Https",
            port=443,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            open=False,
            certificates=[elbv2.ListenerCertificate.from_certificate_manager(self.certificate)],
            ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
            default_action=elbv2.ListenerAction.forward([target_group]),
        )
        self.https.add_action(
            "HideMetrics",
            priority=10,
            conditions=[elbv2.ListenerCondition.path_patterns(list(HIDDEN_PATHS))],
            action=elbv2.ListenerAction.fixed_response(
                404,
                content_type="application/json",
                message_body=NOT_FOUND_BODY,
            ),
        )
        alb.add_redirect(source_port=80, target_port=443, open=False)

    def _distribution(self, env: EnvironmentConfig, buckets: EdgeBuckets) -> None:
        self.web_app = WebApp(
            self, "WebApp", env_name=env.name, bucket=buckets.web, api_host=env.domain.api_host
        )
        behaviors = {
            **self.web_app.additional,
            "/static/*": self._behavior(
                origins.S3BucketOrigin.with_origin_access_control(buckets.static)
            ),
        }
        if env.edge.media_signing_public_key_pem:
            key = cloudfront.PublicKey(
                self, "MediaSigningKey", encoded_key=env.edge.media_signing_public_key_pem
            )
            behaviors["/media/*"] = self._behavior(
                origins.S3BucketOrigin.with_origin_access_control(buckets.media),
                trusted_key_groups=[cloudfront.KeyGroup(self, "MediaSigners", items=[key])],
            )
        self.distribution = cloudfront.Distribution(
            self,
            "Cdn",
            comment=f"booking {env.name}: web app, API paths, static and media",
            default_behavior=self.web_app.default,
            additional_behaviors=behaviors,
            domain_names=[env.domain.app_host, env.domain.cdn_host],
            certificate=self.certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            web_acl_id=self.cdn_acl.attr_arn if self.cdn_acl else None,
            enable_logging=True,
            log_bucket=buckets.logs,
            log_file_prefix="cloudfront/",
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        )
        self._skip_distribution_checks()

    def _skip_distribution_checks(self) -> None:
        skip_checks(
            self.distribution,
            {
                "CKV_AWS_305": "no root object: a CloudFront Function answers / (and every app "
                "route) with /index.html",
                "CKV_AWS_310": "S3 is the durable, regional origin; the API's origin is the "
                "environment's one entry (ALB or HTTP API), each with its own redundancy",
                "CKV_AWS_374": "salons and customers are not limited to a list of countries",
            },
        )
        if self.cdn_acl is None:
            skip_checks(
                self.distribution,
                {
                    "CKV_AWS_68": "the API's paths reach the ALB, whose regional WAF inspects "
                    "them (dev: an HTTP API with throttling, no WAF); the rest are S3 objects by "
                    "GET/HEAD. waf_scope='alb_and_cdn' in environments.py adds an ACL here "
                    "($9 + $0.60 per M requests)",
                },
            )

    @staticmethod
    def _behavior(origin: cloudfront.IOrigin, **extra: object) -> cloudfront.BehaviorOptions:
        return cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            compress=True,
            **extra,  # type: ignore[arg-type]
        )

    def _records(self, env: EnvironmentConfig) -> None:
        if self.alb is not None:  # the HTTP API's record is units/api.py's
            route53.ARecord(
                self,
                "ApiRecord",
                zone=self.zone,
                record_name=env.domain.api_host,
                target=route53.RecordTarget.from_alias(targets.LoadBalancerTarget(self.alb)),
            )
        cdn = route53.RecordTarget.from_alias(targets.CloudFrontTarget(self.distribution))
        for name, host in (("Cdn", env.domain.cdn_host), ("App", env.domain.app_host)):
            route53.ARecord(self, f"{name}Record", zone=self.zone, record_name=host, target=cdn)
            route53.AaaaRecord(
                self, f"{name}RecordV6", zone=self.zone, record_name=host, target=cdn
            )
