"""The web app on CloudFront: behaviours and origins, the router function (run in node), cache
and header policies, OAC on the bucket, no error mapping that would hide the API's errors, and
the app's environment on ECS."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from booking_infra.units.web_app import (
    API_PATHS,
    ASSETS_CACHE_CONTROL,
    INDEX_CACHE_CONTROL,
    ROUTER_CODE,
    WEB_APP_CSP,
)

from conftest import Synthesized, env_vars

# AWS managed policies (their ids are fixed by AWS)
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
YEAR = 365 * 24 * 3600
REPO = Path(__file__).resolve().parents[2]


def _config(env: Synthesized) -> dict[str, Any]:
    config: dict[str, Any] = env.one("AWS::CloudFront::Distribution", "app")["Properties"][
        "DistributionConfig"
    ]
    return config


def _behaviors(env: Synthesized) -> dict[str, dict[str, Any]]:
    config = _config(env)
    found = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    found["default"] = config["DefaultCacheBehavior"]
    return found


def _origin(env: Synthesized, behavior: dict[str, Any]) -> dict[str, Any]:
    origins = {o["Id"]: o for o in _config(env)["Origins"]}
    return origins[behavior["TargetOriginId"]]


def _logical_id(env: Synthesized, cfn_type: str, name_suffix: str) -> str:
    """The app stack's resource of CFN_TYPE whose BucketName ends with NAME_SUFFIX."""
    found = [
        key.split("/", 1)[1]
        for key, r in env.resources(cfn_type, "app").items()
        if r["Properties"].get("BucketName", "").endswith(name_suffix)
    ]
    assert len(found) == 1, found
    return found[0]


def _resource(env: Synthesized, ref: dict[str, Any]) -> dict[str, Any]:
    logical_id = ref["Ref"] if "Ref" in ref else ref["Fn::GetAtt"][0]
    resource: dict[str, Any] = env.raw["app"]["Resources"][logical_id]
    return resource


# ---- behaviours and origins -------------------------------------------------------------------


def test_the_default_behaviour_serves_the_web_bucket_through_origin_access_control(
    each_env: Synthesized,
) -> None:
    web = _logical_id(each_env, "AWS::S3::Bucket", "-web")
    origin = _origin(each_env, _behaviors(each_env)["default"])
    assert origin["DomainName"] == {"Fn::GetAtt": [web, "RegionalDomainName"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # no legacy OAI
    control = _resource(each_env, origin["OriginAccessControlId"])["Properties"]
    assert control["OriginAccessControlConfig"]["OriginAccessControlOriginType"] == "s3"
    assert control["OriginAccessControlConfig"]["SigningBehavior"] == "always"


def test_hashed_assets_come_from_the_same_bucket(each_env: Synthesized) -> None:
    behaviors = _behaviors(each_env)
    assert behaviors["/assets/*"]["TargetOriginId"] == behaviors["default"]["TargetOriginId"]
    assert behaviors["/assets/*"]["AllowedMethods"] == ["GET", "HEAD"]


def test_the_api_paths_reach_the_api_host_uncached_with_every_method(
    each_env: Synthesized,
) -> None:
    behaviors = _behaviors(each_env)
    for path in API_PATHS:
        behavior = behaviors[path]
        origin = _origin(each_env, behavior)
        assert origin["DomainName"] == each_env.config.domain.api_host, path
        assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
        assert set(behavior["AllowedMethods"]) == {
            "GET",
            "HEAD",
            "OPTIONS",
            "PUT",
            "PATCH",
            "POST",
            "DELETE",
        }
        assert behavior["CachePolicyId"] == CACHING_DISABLED
        # every viewer header but Host (Authorization, cookies), and the query string
        assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
        assert "FunctionAssociations" not in behavior


def test_static_files_stay_on_the_static_bucket(each_env: Synthesized) -> None:
    static = _logical_id(each_env, "AWS::S3::Bucket", "-static")
    origin = _origin(each_env, _behaviors(each_env)["/static/*"])
    assert origin["DomainName"] == {"Fn::GetAtt": [static, "RegionalDomainName"]}


def test_no_error_response_turns_an_api_error_into_the_app(each_env: Synthesized) -> None:
    # custom error responses apply to every origin: a 404 -> /index.html mapping would answer
    # the API's JSON 404 with 200 HTML
    assert "CustomErrorResponses" not in _config(each_env)
    assert "DefaultRootObject" not in _config(each_env)


def test_the_web_bucket_admits_only_this_distribution(each_env: Synthesized) -> None:
    web = _logical_id(each_env, "AWS::S3::Bucket", "-web")
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in each_env.resources("AWS::S3::BucketPolicy", "app").values()
        if p["Properties"]["Bucket"] == {"Ref": web}
    ]
    assert len(policies) == 1
    reads = [s for s in policies[0] if s["Effect"] == "Allow"]
    assert len(reads) == 1
    assert reads[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reads[0]["Action"] == "s3:GetObject"
    source = json.dumps(reads[0]["Condition"]["StringEquals"]["AWS:SourceArn"])
    distribution = next(iter(each_env.resources("AWS::CloudFront::Distribution", "app")))
    assert distribution.split("/", 1)[1] in source


# ---- the router function ----------------------------------------------------------------------


def test_the_router_runs_on_viewer_requests_of_the_default_behaviour_only(
    each_env: Synthesized,
) -> None:
    behaviors = _behaviors(each_env)
    associations = behaviors.pop("default")["FunctionAssociations"]
    assert [a["EventType"] for a in associations] == ["viewer-request"]
    function = _resource(each_env, associations[0]["FunctionARN"])["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["AutoPublish"] is True
    assert function["FunctionCode"] == ROUTER_CODE.read_text()
    assert not any("FunctionAssociations" in b for b in behaviors.values())


ROUTES = {
    "/": "/index.html",
    "/salons/42": "/index.html",
    "/salons/42/": "/index.html",
    "/account/verify-email/MQ:1tXy:abc-DEF_1": "/index.html",
    "/manage/day": "/index.html",
    "/index.html": "/index.html",
    "/favicon.svg": "/favicon.svg",
    "/assets/index-B2x9Qk1a.js": "/assets/index-B2x9Qk1a.js",
    "/robots.txt": "/robots.txt",
}


def test_the_router_answers_app_routes_with_the_index_and_leaves_files_alone() -> None:
    # the function's own source, run in node as CloudFront would call it
    script = (
        "const fs = require('fs');"
        "const handler = new Function(fs.readFileSync(process.argv[1], 'utf8')"
        " + '\\nreturn handler;')();"
        "const uris = JSON.parse(process.argv[2]);"
        "const out = {};"
        "for (const uri of uris) {"
        "  out[uri] = handler({request: {uri: uri, method: 'GET', headers: {}}}).uri;"
        "}"
        "console.log(JSON.stringify(out));"
    )
    result = subprocess.run(
        ["node", "-e", script, str(ROUTER_CODE), json.dumps(list(ROUTES))],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout) == ROUTES


# ---- caching and headers ----------------------------------------------------------------------


def _headers_policy(env: Synthesized, behavior: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = _resource(env, behavior["ResponseHeadersPolicyId"])["Properties"][
        "ResponseHeadersPolicyConfig"
    ]
    return config


def _cache_control(policy: dict[str, Any]) -> str:
    headers = policy["CustomHeadersConfig"]["Items"]
    values = [h["Value"] for h in headers if h["Header"] == "Cache-Control"]
    assert len(values) == 1
    return values[0]


def test_hashed_assets_are_cached_a_year_and_immutable(each_env: Synthesized) -> None:
    assets = _behaviors(each_env)["/assets/*"]
    policy = _resource(each_env, assets["CachePolicyId"])["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == policy["DefaultTTL"] == policy["MaxTTL"] == YEAR
    assert _cache_control(_headers_policy(each_env, assets)) == ASSETS_CACHE_CONTROL
    assert "max-age=31536000" in ASSETS_CACHE_CONTROL and "immutable" in ASSETS_CACHE_CONTROL


def test_browsers_never_cache_the_index_and_the_edge_only_minutes(
    each_env: Synthesized,
) -> None:
    default = _behaviors(each_env)["default"]
    assert _cache_control(_headers_policy(each_env, default)) == INDEX_CACHE_CONTROL == "no-cache"
    policy = _resource(each_env, default["CachePolicyId"])["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == policy["DefaultTTL"] == policy["MaxTTL"] == 300
    # one cached object whatever the route's query string, cookies or headers
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "none"
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    assert key["HeadersConfig"]["HeaderBehavior"] == "none"


def test_the_app_gets_its_content_security_policy_and_security_headers(
    each_env: Synthesized,
) -> None:
    policy = _headers_policy(each_env, _behaviors(each_env)["default"])["SecurityHeadersConfig"]
    assert policy["ContentSecurityPolicy"]["ContentSecurityPolicy"] == WEB_APP_CSP
    assert policy["FrameOptions"]["FrameOption"] == "DENY"
    assert policy["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == YEAR
    assert policy["StrictTransportSecurity"]["IncludeSubdomains"] is False  # prod: the apex


def test_the_csp_is_the_one_the_app_is_built_and_browser_tested_under() -> None:
    source = (REPO / "frontend" / "vite.config.ts").read_text()
    block = source.split("export const contentSecurityPolicy = [", 1)[1].split("]", 1)[0]
    assert "; ".join(re.findall(r'"([^"]+)"', block)) == WEB_APP_CSP


# ---- the app's environment and what the deploy reads ------------------------------------------


def test_the_app_knows_its_frontend_url_and_trusts_it_for_csrf(each_env: Synthesized) -> None:
    task = each_env.one(
        "AWS::ECS::TaskDefinition", "app", Family=f"booking-{each_env.config.name}-web"
    )
    plain = env_vars(task)
    domain = each_env.config.domain
    assert plain["FRONTEND_URL"] == f"https://{domain.app_host}"
    assert plain["DJANGO_CSRF_TRUSTED_ORIGINS"].split(",") == [
        f"https://{domain.api_host}",
        f"https://{domain.app_host}",
    ]


def test_prod_serves_the_app_on_the_zone_apex(prod: Synthesized) -> None:
    assert prod.config.domain.app_host == prod.config.domain.zone_name


def test_the_deploy_finds_the_bucket_and_the_distribution(each_env: Synthesized) -> None:
    outputs = each_env.raw["app"]["Outputs"]
    web = _logical_id(each_env, "AWS::S3::Bucket", "-web")
    distribution = next(iter(each_env.resources("AWS::CloudFront::Distribution", "app")))
    assert outputs["WebAppBucket"]["Value"] == {"Ref": web}
    assert outputs["DistributionId"]["Value"] == {"Ref": distribution.split("/", 1)[1]}
    assert outputs["WebAppUrl"]["Value"] == each_env.config.domain.frontend_url
