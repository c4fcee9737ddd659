"""The HTTP API entry (EdgeConfig.entry = "http_api"): API Gateway in front of the web tasks.

A VPC link in the private subnets reaches the web service through its Cloud Map SRV records;
the API answers only on the custom domain (the execute-api endpoint is off), with the
environment's ACM certificate, access logs in CloudWatch and default-route throttling (HTTP APIs
take no WAF). /metrics is rewritten to a path the app answers 404, as the ALB's rule does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import jsii
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_servicediscovery as servicediscovery
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import log_group, skip_checks

NOT_FOUND_PATH = "/not-found"  # no URL of the app: Django's JSON 404
HIDDEN_ROUTES = ("ANY /metrics", "ANY /metrics/{proxy+}")
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "latency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
}
_OPEN_ROUTE = (
    "a public API: the Django app authenticates (sessions and tokens) and authorizes per view; "
    "API Gateway only forwards"
)


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogs:
    """The stage's access log settings (the library offers only the interface)."""

    def __init__(
        self, destination: apigwv2.IAccessLogDestination, format: apigw.AccessLogFormat
    ) -> None:
        self._destination, self._format = destination, format

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return self._format


@dataclass(frozen=True)
class ApiTarget:
    """What the API forwards to and where it is published."""

    vpc: ec2.IVpc
    security_group: ec2.ISecurityGroup  # the VPC link's, admitted by the web tasks' group
    service: servicediscovery.IService  # the web service's Cloud Map service
    certificate: acm.ICertificate
    zone: route53.IHostedZone


class HttpApiEntry(Construct):
    def __init__(
        self, scope: Construct, id: str, *, env: EnvironmentConfig, target: ApiTarget
    ) -> None:
        super().__init__(scope, id)
        self.vpc_link = apigwv2.VpcLink(
            self,
            "VpcLink",
            vpc=target.vpc,
            vpc_link_name=f"booking-{env.name}",
            subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_groups=[target.security_group],
        )
        self.domain = apigwv2.DomainName(
            self,
            "Domain",
            domain_name=env.domain.api_host,
            certificate=target.certificate,
            security_policy=apigwv2.SecurityPolicy.TLS_1_2,
        )
        self.api = apigwv2.HttpApi(
            self,
            "HttpApi",
            api_name=f"booking-{env.name}",
            description=f"booking {env.name}: the web tasks through a VPC link",
            create_default_stage=False,
            disable_execute_api_endpoint=True,  # only the custom domain, as the ALB's host
        )
        self._routes(target.service, env.domain.api_host)
        self.stage = self._stage(env)
        route53.ARecord(
            self,
            "ApiRecord",
            zone=target.zone,
            record_name=env.domain.api_host,
            target=route53.RecordTarget.from_alias(
                targets.ApiGatewayv2DomainProperties(
                    self.domain.regional_domain_name, self.domain.regional_hosted_zone_id
                )
            ),
        )

    def _routes(self, service: servicediscovery.IService, api_host: str) -> None:
        # API Gateway would send the integration's own host; Django's ALLOWED_HOSTS holds only
        # the API host, as behind the ALB (Host is not among the reserved, unmappable headers)
        def mapping() -> apigwv2.ParameterMapping:
            return apigwv2.ParameterMapping().overwrite_header(
                "host", apigwv2.MappingValue.custom(api_host)
            )

        web = integrations.HttpServiceDiscoveryIntegration(
            "Web", service, vpc_link=self.vpc_link, parameter_mapping=mapping()
        )
        hidden = integrations.HttpServiceDiscoveryIntegration(
            "Hidden",
            service,
            vpc_link=self.vpc_link,
            parameter_mapping=mapping().overwrite_path(apigwv2.MappingValue.custom(NOT_FOUND_PATH)),
        )
        routes = {"$default": web, **dict.fromkeys(HIDDEN_ROUTES, hidden)}
        for index, (key, integration) in enumerate(routes.items()):
            route = apigwv2.HttpRoute(
                self,
                f"Route{index}",
                http_api=self.api,
                route_key=apigwv2.HttpRouteKey.DEFAULT
                if key == "$default"
                else apigwv2.HttpRouteKey.with_(key.split(" ")[1], apigwv2.HttpMethod.ANY),
                integration=integration,
            )
            skip_checks(route, {"CKV_AWS_309": _OPEN_ROUTE})

    def _stage(self, env: EnvironmentConfig) -> apigwv2.HttpStage:
        logs = log_group(
            self,
            "AccessLogs",
            name=f"/booking/{env.name}/api-access",
            days=env.compute.log_retention_days,
        )
        return self.api.add_stage(
            "Stage",
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=env.edge.api_rate_limit_per_second,
                burst_limit=env.edge.api_burst_limit,
            ),
            access_log_settings=_AccessLogs(
                apigwv2.LogGroupLogDestination(logs),
                apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
            ),
            domain_mapping=apigwv2.DomainMappingOptions(domain_name=self.domain),
        )
