"""CloudFront, its router function and the WAF: (item, detail, usd) lines for the "edge" part
of estimate.py. On ECS the distribution also carries the web app's API calls (units/web_app.py
in infra/), so each API request is a CloudFront request too and crosses a CloudFront ACL
where there is one."""

from __future__ import annotations

import prices
from environments import EnvironmentConfig
from footprint import WAF_RULES, Traffic, footprint


def cdn_lines(env: EnvironmentConfig, traffic: Traffic) -> list[tuple[str, str, float]]:
    counted = footprint(env)
    acls = counted.web_acls
    api_via_cdn = traffic.requests_per_month if counted.cloudfront_functions else 0
    requests = traffic.cdn_requests + api_via_cdn
    lines = [
        (
            "CloudFront",
            f"{traffic.cdn_gb_out:g} GB + {requests / 1e6:.1f} M requests"
            + (" (API calls included)" if api_via_cdn else ""),
            traffic.cdn_gb_out * prices.CLOUDFRONT_GB_OUT
            + requests / 1e4 * prices.CLOUDFRONT_HTTPS_10K_REQUESTS,
        )
    ]
    if counted.cloudfront_functions:
        runs = traffic.page_views * counted.cloudfront_functions
        lines.append(
            (
                "CloudFront Function",
                f"the web app's router, {runs / 1e6:.1f} M runs",
                runs / 1e6 * prices.CLOUDFRONT_FUNCTION_MILLION_INVOCATIONS,
            )
        )
    if acls:
        inspected = traffic.requests_per_month + (requests if acls == 2 else 0)
        where = "ALB and CloudFront" if acls == 2 else "ALB"
        lines.append(
            (
                "WAF",
                f"{acls} web ACL ({where}) x {WAF_RULES} rules + {inspected / 1e6:.1f} M requests",
                acls * (prices.WAF_WEB_ACL_MONTH + WAF_RULES * prices.WAF_RULE_MONTH)
                + inspected / 1e6 * prices.WAF_MILLION_REQUESTS,
            )
        )
    return lines
