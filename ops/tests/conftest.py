"""The AWS verbs against the moto server over real HTTP, with boto3 as in production.

One ThreadedMotoServer per session on a free 127.0.0.1 port, reset before each test. Each test
builds the environment the CDK app would have left (stacks with outputs, the cluster, task
definitions for migrate/web/worker/beat, the three services, the database) through a separate,
unrecorded "admin" client, then runs ops through clients whose every API call is recorded by a
botocore ``before-call`` hook, so order assertions see the real calls.

What moto cannot do, and the seams used instead (each still a real boto3 call to moto):
- ECS runs no container. moto moves a Fargate task RUNNING -> ... -> STOPPED on successive
  DescribeTasks (its managed state) and reports exit code 0. ``Outcomes`` registers an
  ``after-call`` hook on ops' ECS client that rewrites ``containers[].exitCode`` in the parsed
  DescribeTasks response for the tasks a test scripts (by family and command). When moto
  reports a task STOPPED, the hook also calls StopTask (admin client) so that its desiredStatus
  becomes STOPPED as ECS does when the essential container exits (ListTasks filters on it).
- The deployment circuit breaker never trips in moto: ``Outcomes.fail_rollout`` rewrites the
  PRIMARY deployment's rolloutState to FAILED in DescribeServices responses for a service
  running the new revision.
- /health/ready is a real HTTP server on 127.0.0.1 whose status the test sets; ApiUrl points
  at it.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from booking_ops.aws.clients import Clients, Timing
from booking_ops.aws.context import Context
from booking_ops.aws.resolver import Resolver
from booking_ops.http import HttpProbe
from booking_ops.progress import StreamReporter

ENV = "dev"
REPOSITORY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/booking-backend"
WEB_APP_BUCKET = f"booking-{ENV}-123456789012-web"
FAST = Timing(
    delay=0, max_attempts=20, db_delay=0, db_max_attempts=20, ready_attempts=2, ready_delay=0
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def _session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


@dataclass
class Calls:
    """Every API call ops made, in order: (service, operation, the caller's parameters).

    ``before-parameter-build`` sees the parameters as ops passed them (before the wire format
    flattens them); ``before-call`` fires only for a request actually sent, and records it.
    """

    log: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    _pending: dict[str, Any] = field(default_factory=dict)

    def stash(self, params: dict[str, Any], **_: Any) -> None:
        self._pending = copy.deepcopy(params)

    def hook(self, model: Any, **_: Any) -> None:
        self.log.append((model.service_model.service_name, model.name, self._pending))
        self._pending = {}

    def names(self, service: str | None = None) -> list[str]:
        return [op for svc, op, _ in self.log if service in (None, svc)]

    def of(self, operation: str) -> list[dict[str, Any]]:
        return [params for _, op, params in self.log if op == operation]

    def index(self, operation: str) -> int:
        return self.names().index(operation)


class ReadyServer:
    """/health/ready over real HTTP; STATUS is what it answers."""

    def __init__(self) -> None:
        owner = self
        self.status = 200

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(owner.status if self.path == "/health/ready" else 404)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def ready_server() -> Iterator[ReadyServer]:
    server = ReadyServer()
    yield server
    server.server.shutdown()


@dataclass
class Outcomes:
    """Scripted results for what moto cannot run (see the module docstring)."""

    exit_codes: list[tuple[Callable[[dict[str, Any]], bool], int]] = field(default_factory=list)
    failing_rollouts: set[str] = field(default_factory=set)
    new_revision_marker: str = ":2"
    admin_ecs: Any = None

    def exit_code(self, family: str, code: int, command: list[str] | None = None) -> None:
        def matches(task: dict[str, Any]) -> bool:
            if family not in task["taskDefinitionArn"]:
                return False
            overrides = task.get("overrides", {}).get("containerOverrides", [{}])
            return command is None or overrides[0].get("command", [])[: len(command)] == command

        self.exit_codes.append((matches, code))

    def fail_rollout(self, service: str) -> None:
        self.failing_rollouts.add(service)

    def after_describe_tasks(self, parsed: dict[str, Any], **_: Any) -> None:
        for task in parsed.get("tasks", []):
            if task["lastStatus"] == "STOPPED" and task["desiredStatus"] != "STOPPED":
                self.admin_ecs.stop_task(
                    cluster=task["clusterArn"],
                    task=task["taskArn"],
                    reason="Essential container in task exited",
                )
                task["desiredStatus"] = "STOPPED"
            for matches, code in self.exit_codes:
                if matches(task):
                    for container in task.get("containers", []):
                        container["exitCode"] = code

    def after_describe_services(self, parsed: dict[str, Any], **_: Any) -> None:
        for service in parsed.get("services", []):
            if service["serviceName"] in self.failing_rollouts and service[
                "taskDefinition"
            ].endswith(self.new_revision_marker):
                for deployment in service.get("deployments", []):
                    deployment["rolloutState"] = "FAILED"
                    deployment["rolloutStateReason"] = "tasks failed to start"


@dataclass
class World:
    ctx: Context
    calls: Calls
    outcomes: Outcomes
    admin: Clients
    ready: ReadyServer
    previous: dict[str, str]


def _recorded_clients(url: str, calls: Calls, outcomes: Outcomes) -> Clients:
    clients = Clients.create(_session(), endpoint_url=url)
    for client in vars(clients).values():
        client.meta.events.register("before-parameter-build.*.*", calls.stash)
        client.meta.events.register("before-call.*.*", calls.hook)
    clients.ecs.meta.events.register("after-call.ecs.DescribeTasks", outcomes.after_describe_tasks)
    clients.ecs.meta.events.register(
        "after-call.ecs.DescribeServices", outcomes.after_describe_services
    )
    return clients


@pytest.fixture
def world(moto_url: str, ready_server: ReadyServer) -> World:
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))
    admin = Clients.create(_session(), endpoint_url=moto_url)
    ec2 = _session().client("ec2", endpoint_url=moto_url)
    previous = build_environment(admin, ec2, ready_server.url)
    calls, outcomes = Calls(), Outcomes(admin_ecs=admin.ecs)
    clients = _recorded_clients(moto_url, calls, outcomes)
    ctx = Context(
        clients=clients,
        names=Resolver(ENV, clients),
        timing=FAST,
        probe=HttpProbe(timeout=2),
        reporter=StreamReporter(),
    )
    return World(
        ctx=ctx, calls=calls, outcomes=outcomes, admin=admin, ready=ready_server, previous=previous
    )


def build_environment(admin: Clients, ec2: Any, api_url: str) -> dict[str, str]:
    """What `cdk deploy` leaves behind, as far as ops reads it. Returns the services' ARNs."""
    network = _network(ec2, admin)
    outputs = {
        "network": {
            "TaskSubnets": ",".join(network["subnets"]),
            "TaskSecurityGroup": network["task_sg"],
        },
        "registry": {"RepositoryUri": REPOSITORY},
        "data": {
            "DatabaseInstanceId": f"booking-{ENV}",
            "DatabaseSecretArn": _secret(admin),
            "DatabaseSubnetGroup": network["subnet_group"],
            "DatabaseSecurityGroup": network["db_sg"],
            "DatabaseParameterGroup": network["parameter_group"],
        },
        "app": {
            "ClusterName": f"booking-{ENV}",
            "ApiUrl": api_url,
            "BackupsBucket": f"booking-{ENV}-backups",
            "MigrateTaskDefinition": f"booking-{ENV}-migrate:1",
            "DbToolsTaskDefinition": f"booking-{ENV}-dbtools:1",
            "WebAppBucket": WEB_APP_BUCKET,
            "DistributionId": _distribution(admin),
        },
    }
    for stack, values in outputs.items():
        _stack(admin.cloudformation, f"booking-{ENV}-{stack}", values)
    admin.ecs.create_cluster(clusterName=f"booking-{ENV}")
    arns = {
        role: _task_definition(admin.ecs, role, "v1")
        for role in ("migrate", "web", "worker", "beat", "dbtools")
    }
    for role in ("web", "worker", "beat"):
        _service(admin.ecs, role, arns[role], network["subnets"], network["task_sg"])
    _database(admin.rds, network)
    return {role: arns[role] for role in ("web", "worker", "beat")}


def _network(ec2: Any, admin: Clients) -> dict[str, Any]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as the CDK VPC
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{az}")[
            "Subnet"
        ]["SubnetId"]
        for i, az in ((1, "a"), (2, "b"))
    ]
    task_sg = ec2.create_security_group(GroupName="tasks", Description="t", VpcId=vpc)["GroupId"]
    db_sg = ec2.create_security_group(GroupName="db", Description="d", VpcId=vpc)["GroupId"]
    admin.rds.create_db_subnet_group(
        DBSubnetGroupName="booking-dev-db-subnets",
        DBSubnetGroupDescription="isolated",
        SubnetIds=subnets,
    )
    admin.rds.create_db_parameter_group(
        DBParameterGroupName="booking-dev-postgres16",
        DBParameterGroupFamily="postgres16",
        Description="ours",
    )
    return {
        "subnets": subnets,
        "task_sg": task_sg,
        "db_sg": db_sg,
        "subnet_group": "booking-dev-db-subnets",
        "parameter_group": "booking-dev-postgres16",
    }


def _distribution(admin: Clients) -> str:
    """The web app's bucket and the distribution in front of it (as units/web_app.py)."""
    admin.s3.create_bucket(Bucket=WEB_APP_BUCKET)
    origin = {
        "Id": "web",
        "DomainName": f"{WEB_APP_BUCKET}.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    created = admin.cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "cdk",
            "Comment": f"booking {ENV}",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "web",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            },
        }
    )
    distribution_id: str = created["Distribution"]["Id"]
    return distribution_id


def _secret(admin: Clients) -> str:
    """The RDS credentials as the CDK app stores them (rotated since the backups were taken)."""
    created = admin.secretsmanager.create_secret(
        Name=f"booking/{ENV}/database",
        SecretString=json.dumps({"username": "booking", "password": "rotated-since-backup"}),
    )
    arn: str = created["ARN"]
    return arn


def _stack(cloudformation: Any, name: str, outputs: dict[str, str]) -> None:
    template = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    cloudformation.create_stack(StackName=name, TemplateBody=json.dumps(template))


def _task_definition(ecs: Any, role: str, tag: str) -> str:
    arn: str = ecs.register_task_definition(
        family=f"booking-{ENV}-{role}",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        executionRoleArn="arn:aws:iam::123456789012:role/exec",
        taskRoleArn=f"arn:aws:iam::123456789012:role/{role}",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        containerDefinitions=[
            {
                "name": "app",
                "image": f"{REPOSITORY}:{tag}",
                "command": [role],
                "essential": True,
                # moto's RunTask sums container memory (CDK sets it per task)
                "memory": 512,
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    return arn


def _service(ecs: Any, role: str, arn: str, subnets: list[str], sg: str) -> None:
    beat = role == "beat"
    ecs.create_service(
        cluster=f"booking-{ENV}",
        serviceName=role,
        taskDefinition=arn,
        desiredCount=1,
        launchType="FARGATE",
        deploymentConfiguration={
            "maximumPercent": 100 if beat else 200,
            "minimumHealthyPercent": 0 if beat else 100,
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        },
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
    )
    # moto starts services with 0 running; a desired count update marks them all running
    ecs.update_service(cluster=f"booking-{ENV}", service=role, desiredCount=1)


def _database(rds: Any, network: dict[str, Any]) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=f"booking-{ENV}",
        Engine="postgres",
        EngineVersion="16.4",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="booking",
        MasterUserPassword="not-a-secret-123",
        DBSubnetGroupName=network["subnet_group"],
        VpcSecurityGroupIds=[network["db_sg"]],
        DBParameterGroupName=network["parameter_group"],
        BackupRetentionPeriod=7,
    )
