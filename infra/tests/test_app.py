"""Buckets, registry, ECS services and the edge (ALB, WAF, CloudFront, DNS)."""

from __future__ import annotations

import json
import re
from typing import Any

from aws_cdk.assertions import Match

from conftest import INFRA, Synthesized, env_vars, secret_names

SECRET_LOOKING = re.compile(r"PASSWORD|SECRET|TOKEN|DSN|SID|AUTH|KEY", re.I)
ROLES = ("web", "worker", "beat", "migrate")


def _roles(env: Synthesized) -> tuple[str, ...]:
    """The task definitions the environment has: no beat where the worker runs it (dev)."""
    return tuple(r for r in ROLES if r != "beat" or not env.config.compute.beat_in_worker)


def _services(env: Synthesized) -> tuple[str, ...]:
    return tuple(r for r in _roles(env) if r != "migrate")


# ---- storage ----------------------------------------------------------------------------------


def _buckets(env: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["BucketName"].rsplit("-", 1)[-1]: r["Properties"]
        for r in env.resources("AWS::S3::Bucket").values()
    }


def test_every_bucket_is_private_encrypted_and_versioned(each_env: Synthesized) -> None:
    buckets = _buckets(each_env)
    assert {"static", "media", "backups", "logs", "cloudtrail"} <= set(buckets)
    for name, props in buckets.items():
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
        assert props["VersioningConfiguration"]["Status"] == "Enabled", name


def test_every_bucket_refuses_plain_http(each_env: Synthesized) -> None:
    policies = each_env.resources("AWS::S3::BucketPolicy")
    assert len(policies) == len(each_env.resources("AWS::S3::Bucket"))
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny"
            and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
            for s in statements
        )


def test_nothing_is_granted_to_everyone(each_env: Synthesized) -> None:
    for policy in each_env.resources("AWS::S3::BucketPolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":
                assert statement["Principal"] != "*"
                assert statement["Principal"] != {"AWS": "*"}


def test_static_is_read_by_cloudfront_through_origin_access_control(each_env: Synthesized) -> None:
    template = each_env.template("app")
    template.has_resource_properties(
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": Match.object_like(
                {"OriginAccessControlOriginType": "s3", "SigningBehavior": "always"}
            ),
        },
    )
    statements = json.dumps(
        [p["Properties"] for p in each_env.resources("AWS::S3::BucketPolicy", "app").values()]
    )
    assert "cloudfront.amazonaws.com" in statements
    assert "AWS:SourceArn" in statements


def test_media_allows_uploads_from_the_app_origin(each_env: Synthesized) -> None:
    cors = _buckets(each_env)["media"]["CorsConfiguration"]["CorsRules"][0]
    assert "PUT" in cors["AllowedMethods"]
    assert f"https://{each_env.config.domain.api_host}" in cors["AllowedOrigins"]
    assert each_env.config.domain.frontend_url in cors["AllowedOrigins"]


def test_backups_move_to_colder_storage(each_env: Synthesized) -> None:
    rules = _buckets(each_env)["backups"]["LifecycleConfiguration"]["Rules"]
    classes = {t["StorageClass"] for r in rules for t in r.get("Transitions", [])}
    assert {"GLACIER_IR", "DEEP_ARCHIVE"} <= classes


# ---- registry ---------------------------------------------------------------------------------


def test_registry_scans_on_push_and_keeps_the_last_n_images(each_env: Synthesized) -> None:
    repo = each_env.one("AWS::ECR::Repository", "registry")["Properties"]
    assert repo["RepositoryName"] == "booking-backend"
    assert repo["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert repo["ImageTagMutability"] == "IMMUTABLE"
    rules = json.loads(repo["LifecyclePolicy"]["LifecyclePolicyText"])["rules"]
    counts = [r["selection"] for r in rules if r["selection"]["countType"] == "imageCountMoreThan"]
    assert counts[0]["countNumber"] == each_env.config.compute.ecr_keep_images


# ---- compute ----------------------------------------------------------------------------------


def _task(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::TaskDefinition", "app", Family=f"booking-{env.config.name}-{role}")


def _service(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::Service", "app", ServiceName=role)


def test_every_role_runs_the_image_on_arm64_with_a_read_only_root(each_env: Synthesized) -> None:
    for role in _roles(each_env):
        props = _task(each_env, role)["Properties"]
        assert props["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
        container = props["ContainerDefinitions"][0]
        assert container["Command"][0] == role
        assert container["ReadonlyRootFilesystem"] is True
        assert {"ContainerPath": "/tmp", "SourceVolume": "tmp", "ReadOnly": False} in container[
            "MountPoints"
        ]
        assert container["LogConfiguration"]["LogDriver"] == "awslogs"


def test_no_secret_is_a_plain_environment_value(each_env: Synthesized) -> None:
    for role in _roles(each_env):
        task = _task(each_env, role)
        plain = env_vars(task)
        leaking = [n for n in plain if SECRET_LOOKING.search(n) and n != "DJANGO_SETTINGS_MODULE"]
        assert leaking == [], (role, leaking)
        assert secret_names(task) >= {
            "DJANGO_SECRET_KEY",
            "DATABASE_USER",
            "DATABASE_PASSWORD",
            "REDIS_AUTH_TOKEN",
            "TWILIO_ACCOUNT_SID",
            "TWILIO_AUTH_TOKEN",
            "TWILIO_FROM_NUMBER",
            "SENTRY_DSN",
        }


def test_web_tasks_get_longer_to_stop_than_their_requests_get_to_finish(
    each_env: Synthesized,
) -> None:
    """WEB_GRACEFUL_TIMEOUT (30 s) passes before ECS's SIGKILL; liveness, not readiness, is
    the container's check (the ALB's is readiness: test_health_check_asks_for_readiness)."""
    container = _task(each_env, "web")["Properties"]["ContainerDefinitions"][0]
    assert container["StopTimeout"] > 30
    assert "/health/live" in container["HealthCheck"]["Command"][-1]


def test_the_app_gets_the_configuration_it_reads(each_env: Synthesized) -> None:
    plain = env_vars(_task(each_env, "web"))
    assert plain["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert plain["DJANGO_ALLOWED_HOSTS"] == each_env.config.domain.api_host
    assert plain["AWS_S3_CUSTOM_DOMAIN"] == each_env.config.domain.cdn_host
    assert plain["WEB_CONCURRENCY"] == str(each_env.config.compute.web_concurrency)
    # uWSGI, the image's default too (docs/operations.md, "The web server")
    assert plain["WEB_SERVER"] == "uwsgi"
    for name in (
        "DATABASE_HOST",
        "DATABASE_PORT",
        "DATABASE_NAME",
        "REDIS_URL",
        "CELERY_BROKER_URL",
        "AWS_STATIC_BUCKET_NAME",
        "AWS_MEDIA_BUCKET_NAME",
        "AWS_S3_REGION_NAME",
        "DEFAULT_FROM_EMAIL",
    ):
        assert name in plain
    assert json.dumps(plain["REDIS_URL"]).startswith('{"Fn::Join": ["", ["rediss://')
    assert plain["REDIS_URL"] != plain["CELERY_BROKER_URL"]


def test_the_app_counts_the_client_address_its_entry_appends(
    prod: Synthesized, dev: Synthesized
) -> None:
    # prod: the ALB appends it (one trusted proxy); dev: an HTTP API, whose address is counted
    assert env_vars(_task(prod, "web"))["TRUSTED_PROXY_COUNT"] == "1"
    assert env_vars(_task(dev, "web"))["TRUSTED_PROXY_COUNT"] == "0"
    assert dev.config.edge.entry == "http_api"


def test_prod_tells_the_app_where_the_replica_is(prod: Synthesized, dev: Synthesized) -> None:
    assert "DATABASE_REPLICA_HOSTS" in env_vars(_task(prod, "web"))
    assert "DATABASE_REPLICA_HOSTS" not in env_vars(_task(dev, "web"))


def test_beat_is_never_doubled(each_env: Synthesized) -> None:
    if each_env.config.compute.beat_in_worker:
        _the_worker_runs_beat_alone(each_env)
        return
    props = _service(each_env, "beat")["Properties"]
    assert props["DesiredCount"] == 1
    assert props["DeploymentConfiguration"]["MaximumPercent"] == 100
    assert props["DeploymentConfiguration"]["MinimumHealthyPercent"] == 0
    targets = each_env.resources("AWS::ApplicationAutoScaling::ScalableTarget", "app")
    assert not any(
        "BeatService" in json.dumps(t["Properties"]["ResourceId"]) for t in targets.values()
    )


def _the_worker_runs_beat_alone(env: Synthesized) -> None:
    props = _service(env, "worker")["Properties"]
    assert props["DesiredCount"] == 1
    assert props["DeploymentConfiguration"]["MaximumPercent"] == 100
    assert props["DeploymentConfiguration"]["MinimumHealthyPercent"] == 0
    container = _task(env, "worker")["Properties"]["ContainerDefinitions"][0]
    assert container["Command"][:2] == ["worker", "--beat"]
    assert container["Command"][-1].startswith("/tmp/")  # the task's writable volume
    _, target = _scalable_target(env, "worker")
    assert target["MaxCapacity"] == 1
    assert not env.resources("AWS::ECS::Service", "app").keys() & {"app/BeatService"}
    names = {s["Properties"]["ServiceName"] for s in env.resources("AWS::ECS::Service").values()}
    assert "beat" not in names
    assert env.raw["app"]["Outputs"]["ServiceNames"]["Value"] == "web,worker"


def test_only_dev_runs_beat_inside_the_worker(synthesized: dict[str, Synthesized]) -> None:
    assert [n for n, e in synthesized.items() if e.config.compute.beat_in_worker] == ["dev"]
    for name in ("staging", "prod"):
        assert synthesized[name].raw["app"]["Outputs"]["ServiceNames"]["Value"] == "web,worker,beat"
        container = _task(synthesized[name], "worker")["Properties"]["ContainerDefinitions"][0]
        assert container["Command"] == ["worker"]


def test_every_service_rolls_back_a_failed_deployment(each_env: Synthesized) -> None:
    for role in _services(each_env):
        breaker = _service(each_env, role)["Properties"]["DeploymentConfiguration"][
            "DeploymentCircuitBreaker"
        ]
        assert breaker == {"Enable": True, "Rollback": True}


def test_migrate_is_a_task_definition_without_a_service(each_env: Synthesized) -> None:
    assert _task(each_env, "migrate")
    names = {
        s["Properties"]["ServiceName"] for s in each_env.resources("AWS::ECS::Service").values()
    }
    assert names == set(_services(each_env))


def _scalable_target(env: Synthesized, role: str) -> tuple[str, dict[str, Any]]:
    for logical_id, target in env.resources(
        "AWS::ApplicationAutoScaling::ScalableTarget", "app"
    ).items():
        if f"{role.title()}Service" in json.dumps(target["Properties"]["ResourceId"]):
            return logical_id.split("/")[1], target["Properties"]
    raise AssertionError(f"no scalable target for {role}")


def _policy_metrics(env: Synthesized, target_id: str) -> set[str]:
    metrics = set()
    for policy in env.resources("AWS::ApplicationAutoScaling::ScalingPolicy", "app").values():
        props = policy["Properties"]
        if props["ScalingTargetId"] == {"Ref": target_id}:
            spec = props["TargetTrackingScalingPolicyConfiguration"]
            metrics.add(spec["PredefinedMetricSpecification"]["PredefinedMetricType"])
    return metrics


def test_web_scales_on_cpu_and_requests_within_its_bounds(each_env: Synthesized) -> None:
    target_id, target = _scalable_target(each_env, "web")
    sizing = each_env.config.compute.web
    assert (target["MinCapacity"], target["MaxCapacity"]) == (sizing.min_tasks, sizing.max_tasks)
    # behind an HTTP API there is no per-target request count: CPU only
    expected = {"ECSServiceAverageCPUUtilization"}
    if each_env.config.edge.entry == "alb":
        expected.add("ALBRequestCountPerTarget")
    assert _policy_metrics(each_env, target_id) == expected


def test_prod_web_runs_two_to_ten_tasks(prod: Synthesized) -> None:
    _, target = _scalable_target(prod, "web")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 10)


def test_worker_scales_on_cpu(each_env: Synthesized) -> None:
    target_id, target = _scalable_target(each_env, "worker")
    assert target["MaxCapacity"] >= target["MinCapacity"] >= 1
    assert _policy_metrics(each_env, target_id) == {"ECSServiceAverageCPUUtilization"}


def test_ecs_exec_is_off_in_prod(prod: Synthesized, dev: Synthesized) -> None:
    for role in _services(prod):
        assert _service(prod, role)["Properties"]["EnableExecuteCommand"] is False
    assert _service(dev, "web")["Properties"]["EnableExecuteCommand"] is True


def test_container_insights_follows_its_setting(each_env: Synthesized) -> None:
    cluster = each_env.one("AWS::ECS::Cluster", "app")["Properties"]
    expected = "enabled" if each_env.config.compute.container_insights else "disabled"
    assert {"Name": "containerInsights", "Value": expected} in cluster["ClusterSettings"]


def test_prod_web_tasks_are_sized_from_measured_memory(prod: Synthesized) -> None:
    props = _task(prod, "web")["Properties"]
    assert (props["Cpu"], props["Memory"]) == ("256", "512")
    # 136.7 MB per web worker measured on uWSGI (bench/results/fifth-round-negotiation.json;
    # Granian 155.8): two and the master fit 512 MiB
    assert env_vars(_task(prod, "web"))["WEB_CONCURRENCY"] == "2"
    # a worker growing past a third of the task is replaced before the task runs out
    assert env_vars(_task(prod, "web"))["WEB_WORKER_MAX_RSS"] == "170"
    assert _service(prod, "web")["Properties"]["DesiredCount"] == 2


# ---- edge -------------------------------------------------------------------------------------


def _alb_attributes(env: Synthesized) -> dict[str, str]:
    alb = env.one("AWS::ElasticLoadBalancingV2::LoadBalancer", "app")["Properties"]
    return {a["Key"]: a["Value"] for a in alb["LoadBalancerAttributes"]}


def test_alb_drops_invalid_headers_and_logs_access(alb_env: Synthesized) -> None:
    attributes = _alb_attributes(alb_env)
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    expected = "true" if alb_env.config.is_prod else "false"
    assert attributes["deletion_protection.enabled"] == expected


def test_alb_closes_idle_connections_before_the_web_server_does(alb_env: Synthesized) -> None:
    idle = int(_alb_attributes(alb_env)["idle_timeout.timeout_seconds"])
    # uWSGI, the default, closes every connection after its response: none is ever idle there
    launcher = (INFRA.parent / "deploy" / "uwsgi_server.py").read_text()
    assert '"add-header": "Connection: close"' in launcher
    # WEB_SERVER=gunicorn closes a connection idle for its keepalive (GUNICORN_KEEPALIVE, 75 s)
    conf = (INFRA.parent / "deploy" / "gunicorn.conf.py").read_text()
    keepalive = re.search(r'keepalive = env\.integer\("GUNICORN_KEEPALIVE", (\d+)\)', conf)
    assert keepalive is not None
    assert idle < int(keepalive.group(1))
    # WEB_SERVER=granian: 60 s without a request (WEB_HEADER_READ_TIMEOUT_MS, its maximum)
    assert idle < 60


def test_http_redirects_to_https_with_a_certificate(alb_env: Synthesized) -> None:
    template = alb_env.template("app")
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                Match.object_like(
                    {
                        "Type": "redirect",
                        "RedirectConfig": Match.object_like(
                            {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
                        ),
                    }
                )
            ],
        },
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": Match.any_value(),
        },
    )


def test_health_check_asks_for_readiness(alb_env: Synthesized) -> None:
    group = alb_env.one("AWS::ElasticLoadBalancingV2::TargetGroup", "app")["Properties"]
    assert group["HealthCheckPath"] == "/health/ready"
    assert group["Port"] == 8000


def test_metrics_are_not_served_through_the_load_balancer(alb_env: Synthesized) -> None:
    alb_env.template("app").has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {
            "Conditions": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Field": "path-pattern",
                            "PathPatternConfig": {"Values": Match.array_with(["/metrics"])},
                        }
                    )
                ]
            ),
            "Actions": [
                Match.object_like(
                    {
                        "Type": "fixed-response",
                        "FixedResponseConfig": Match.object_like({"StatusCode": "404"}),
                    }
                )
            ],
        },
    )


def _acls(env: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        lid.split("/")[1]: r["Properties"]
        for lid, r in env.resources("AWS::WAFv2::WebACL", "app").items()
    }


def test_waf_protects_the_application_with_managed_and_rate_rules(each_env: Synthesized) -> None:
    acls = _acls(each_env)
    expected = {
        "none": set(),
        "alb": {"REGIONAL"},
        "alb_and_cdn": {"REGIONAL", "CLOUDFRONT"},
    }[each_env.config.edge.waf_scope]
    assert sorted(a["Scope"] for a in acls.values()) == sorted(expected)
    for acl in acls.values():
        groups = {
            r["Statement"].get("ManagedRuleGroupStatement", {}).get("Name") for r in acl["Rules"]
        }
        assert {
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
        } <= groups
        rate = [r for r in acl["Rules"] if "RateBasedStatement" in r["Statement"]]
        assert (
            rate[0]["Statement"]["RateBasedStatement"]["Limit"]
            == each_env.config.edge.waf_rate_limit_per_5min
        )
        assert rate[0]["Action"] == {"Block": {}}


def test_the_load_balancer_is_behind_the_regional_acl(each_env: Synthesized) -> None:
    if each_env.config.edge.waf_scope == "none":
        assert not each_env.resources("AWS::WAFv2::WebACLAssociation", "app")
        return
    regional = next(k for k, a in _acls(each_env).items() if a["Scope"] == "REGIONAL")
    association = each_env.one("AWS::WAFv2::WebACLAssociation", "app")["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": [regional, "Arn"]}
    assert "EdgeAlb" in json.dumps(association["ResourceArn"])


def test_cloudfront_has_an_acl_only_where_the_waf_scope_says(
    synthesized: dict[str, Synthesized],
) -> None:
    for env in synthesized.values():
        config = env.one("AWS::CloudFront::Distribution", "app")["Properties"]["DistributionConfig"]
        if env.config.edge.waf_scope == "alb_and_cdn":
            cdn = next(k for k, a in _acls(env).items() if a["Scope"] == "CLOUDFRONT")
            assert config["WebACLId"] == {"Fn::GetAtt": [cdn, "Arn"]}
        else:
            assert "WebACLId" not in config
            # without an ACL here, only the API's paths (behind the ALB's ACL, or dev's HTTP
            # API) take more than GET and HEAD
            writes = {
                b["PathPattern"] for b in config["CacheBehaviors"] if "POST" in b["AllowedMethods"]
            }
            assert writes == {"/api/*", "/admin/*", "/health/*"}
            assert config["DefaultCacheBehavior"]["AllowedMethods"] == ["GET", "HEAD"]


def test_prod_runs_one_web_acl(prod: Synthesized) -> None:
    assert prod.config.edge.waf_scope == "alb"
    assert len(_acls(prod)) == 1


def test_dev_runs_without_a_web_acl_and_staging_with_one(
    dev: Synthesized, staging: Synthesized
) -> None:
    assert dev.config.edge.waf_scope == "none" and not _acls(dev)
    assert len(_acls(staging)) == 1


def test_cloudfront_serves_https_only_on_the_app_and_cdn_domains(each_env: Synthesized) -> None:
    config = each_env.one("AWS::CloudFront::Distribution", "app")["Properties"][
        "DistributionConfig"
    ]
    domain = each_env.config.domain
    assert config["Aliases"] == [domain.app_host, domain.cdn_host]
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert config["Logging"]["Prefix"] == "cloudfront/"


def test_dns_points_the_api_at_the_alb_and_static_at_cloudfront(alb_env: Synthesized) -> None:
    records = {
        (r["Properties"]["Name"], r["Properties"]["Type"]): r["Properties"]
        for r in alb_env.resources("AWS::Route53::RecordSet", "app").values()
    }
    domain = alb_env.config.domain
    api = records[(f"{domain.api_host}.", "A")]
    assert "dualstack" in json.dumps(api["AliasTarget"]["DNSName"])
    for host in (domain.cdn_host, domain.app_host):
        assert (f"{host}.", "A") in records
        assert (f"{host}.", "AAAA") in records
