"""The web app (frontend/dist) and the API on one CloudFront host.

- default behaviour: the web bucket (origin access control), a viewer-request CloudFront Function
  that answers the app's routes with /index.html (functions/web_app_router.js), browsers told
  no-cache, the edge keeping it five minutes (a release invalidates it);
- ``/assets/*``: the same bucket, Vite's content-hashed files, cached a year;
- ``/api/*``, ``/admin/*``, ``/health/*``: the API host (ALB or HTTP API), never cached, every
  method, every viewer header but Host (Authorization and cookies included), query strings.

No custom error responses: CloudFront applies them to every origin of a distribution, so a
403/404 -> /index.html mapping would turn the API's JSON 404s into 200 HTML (docs/aws.md).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

ROUTER_CODE = Path(__file__).resolve().parents[1] / "functions" / "web_app_router.js"
API_PATHS = ("/api/*", "/admin/*", "/health/*")
ASSETS_PATH = "/assets/*"
ASSETS_MAX_AGE = Duration.days(365)
# what `ops deploy --web-app` writes on each object; the policies below only fill in a missing one
ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable"
INDEX_CACHE_CONTROL = "no-cache"
INDEX_EDGE_TTL = Duration.minutes(5)  # the longest a release waits for a failed invalidation
# the app has no inline script or style: the policy nginx and Django send in front of it
WEB_APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class WebApp(Construct):
    """The behaviours the distribution takes: ``default``, ``additional`` (by path pattern)."""

    def __init__(
        self, scope: Construct, id: str, *, env_name: str, bucket: s3.IBucket, api_host: str
    ) -> None:
        super().__init__(scope, id)
        self._env_name = env_name
        self.router = cloudfront.Function(
            self,
            "Router",
            function_name=f"booking-{env_name}-web-app-router",
            comment="the web app's routes -> /index.html (its router decides)",
            code=cloudfront.FunctionCode.from_file(file_path=str(ROUTER_CODE)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        origin = origins.S3BucketOrigin.with_origin_access_control(bucket)
        self.default = cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=self._index_cache(),
            response_headers_policy=self._headers("Index", INDEX_CACHE_CONTROL),
            # half a kilobyte: no compressed HTML for a BREACH scan to flag (as nginx)
            compress=False,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=self.router, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        )
        self.additional = {
            ASSETS_PATH: self._assets(origin),
            **dict.fromkeys(API_PATHS, self._api(api_host)),
        }

    def _index_cache(self) -> cloudfront.CachePolicy:
        # Browsers revalidate index.html on every visit (no-cache); the edge keeps it a few
        # minutes whatever the object says (a minimum TTL above 0 overrides no-cache), so
        # navigations do not each cost an S3 GET; a release invalidates /index.html at once.
        # Every app route is rewritten to /index.html first: one object in the cache.
        return cloudfront.CachePolicy(
            self,
            "IndexCache",
            cache_policy_name=f"booking-{self._env_name}-web-app-index",
            comment="index.html and other unhashed files: minutes at the edge",
            min_ttl=INDEX_EDGE_TTL,
            default_ttl=INDEX_EDGE_TTL,
            max_ttl=INDEX_EDGE_TTL,
        )

    def _assets(self, origin: cloudfront.IOrigin) -> cloudfront.BehaviorOptions:
        # a hashed name never changes content: a year at the edge whatever the object says
        policy = cloudfront.CachePolicy(
            self,
            "AssetsCache",
            cache_policy_name=f"booking-{self._env_name}-web-app-assets",
            comment="content-hashed files: one year",
            min_ttl=ASSETS_MAX_AGE,
            default_ttl=ASSETS_MAX_AGE,
            max_ttl=ASSETS_MAX_AGE,
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        return cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=policy,
            response_headers_policy=self._headers("Assets", ASSETS_CACHE_CONTROL),
            compress=True,
        )

    @staticmethod
    def _api(api_host: str) -> cloudfront.BehaviorOptions:
        # Host stays the origin's own (the API host Django's ALLOWED_HOSTS admits); with caching
        # disabled, "all viewer headers" includes Authorization
        return cloudfront.BehaviorOptions(
            origin=origins.HttpOrigin(
                api_host,
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            ),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            compress=False,  # the app's responses as it sends them
        )

    def _headers(self, id: str, cache_control: str) -> cloudfront.ResponseHeadersPolicy:
        """Security headers, the app's CSP, and CACHE_CONTROL where the object has none."""
        return cloudfront.ResponseHeadersPolicy(
            self,
            f"{id}Headers",
            response_headers_policy_name=f"booking-{self._env_name}-web-app-{id.lower()}",
            comment=f"web app {id.lower()}: security headers, CSP, Cache-Control",
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=[
                    cloudfront.ResponseCustomHeader(
                        header="Cache-Control", value=cache_control, override=False
                    )
                ]
            ),
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=WEB_APP_CSP, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override=True
                ),
                # not includeSubDomains: prod's app host is the zone's apex, and that would bind
                # every name in the zone, ours or not, to HTTPS for a year
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365),
                    include_subdomains=False,
                    override=True,
                ),
            ),
        )
