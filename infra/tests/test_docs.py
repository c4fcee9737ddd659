"""docs/aws.md says only what works: every command it shows is checked here, as far as offline
checking goes (the image build, make targets, uv run, cdk verbs, stacks, switches, outputs)."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from environments import ENVIRONMENTS

from conftest import INFRA, UNITS, Synthesized

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "aws.md"
GENERATED = ("infra/cdk.out",)  # written by `make synth`, not in the repository
CDK_VERBS = {"bootstrap", "deploy", "synth", "diff", "destroy", "list", "ls"}
BUILD_OPTIONS_WITH_VALUE = {
    "-f",
    "--file",
    "-t",
    "--tag",
    "--platform",
    "--target",
    "--build-arg",
    "--cache-from",
    "--cache-to",
}


def _text() -> str:
    return DOC.read_text()


def _blocks() -> list[str]:
    """Fenced shell blocks, with continuation lines joined and comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", _text(), flags=re.S)
    joined = [re.sub(r"\\\n\s*", " ", block) for block in blocks]
    return ["\n".join(line.split(" # ")[0] for line in block.splitlines()) for block in joined]


def _inline() -> list[str]:
    """Inline code spans outside the fenced blocks, continuation newlines folded."""
    prose = re.sub(r"```.*?```", "", _text(), flags=re.S)
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]


def _code() -> list[str]:
    return [line for block in _blocks() for line in block.splitlines()] + _inline()


def _build_commands() -> list[list[str]]:
    commands = []
    for line in _code():
        if re.search(r"\bdocker (buildx )?build\b", line):
            commands.append(shlex.split(line[line.index("docker") :]))
    return commands


def test_the_documented_image_build_names_a_dockerfile_that_exists() -> None:
    builds = _build_commands()
    assert builds, "docs/aws.md shows no image build"
    for tokens in builds:
        options, positional, index = {}, [], 2 if tokens[1] == "buildx" else 1
        tokens = tokens[index + 1 :] if tokens[index] == "build" else tokens[index:]
        iterator = iter(tokens)
        for token in iterator:
            if token in BUILD_OPTIONS_WITH_VALUE:
                options[token] = next(iterator)
            elif not token.startswith("-"):
                positional.append(token)
        dockerfile = options.get("-f") or options.get("--file")
        assert dockerfile, f"the build names no Dockerfile: {tokens}"
        assert (REPO / dockerfile).is_file(), dockerfile
        assert positional == ["."], "the build context is the repository root"
        assert options.get("--platform") == "linux/arm64", "the tasks run on ARM64"
        if "--target" in options:
            stages = re.findall(r"^FROM \S+ AS (\S+)", (REPO / dockerfile).read_text(), re.M)
            assert options["--target"] in stages


def _make_targets(makefile: Path) -> set[str]:
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", makefile.read_text(), re.M))
    for included in re.findall(r"^-?include\s+(\S+)", makefile.read_text(), re.M):
        if (REPO / included).is_file():
            targets |= _make_targets(REPO / included)
    return targets


def test_every_make_target_in_the_docs_exists() -> None:
    used = [
        (m.group(1), m.group(2))
        for line in _code()
        for m in re.finditer(r"\bmake (?:-s )?(?:-f (\S+) )?([a-z][\w-]*)", line)
    ]
    assert used
    for makefile, target in used:
        assert target in _make_targets(REPO / (makefile or "Makefile")), (makefile, target)


def _project_knows(project: Path, command: str) -> bool:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    if command in pyproject.get("project", {}).get("scripts", {}):
        return True
    lock = (project / "uv.lock").read_text()
    return f'name = "{command}"' in lock


def test_every_uv_run_names_a_project_and_a_program_that_exist() -> None:
    runs = [
        shlex.split(m.group(0))
        for line in _code()
        for m in re.finditer(r"\buv run[^\"`\n;|)]*", line)
    ]
    assert runs
    for tokens in runs:
        project, rest = REPO, tokens[2:]
        while rest and rest[0].startswith("--"):
            option = rest.pop(0)
            if option == "--project":
                project = REPO / rest.pop(0)
        assert (project / "pyproject.toml").is_file(), tokens
        assert rest, tokens
        if rest[0] == "python":
            assert (REPO / rest[1]).is_file(), tokens
        else:
            assert _project_knows(project, rest[0]), tokens


def _app_switches() -> set[str]:
    """The context keys and environment variables infra/app.py reads."""
    pairs = re.findall(
        r'_setting\(app, "(\w+)", "(\w+)"\)', (REPO / "infra" / "app.py").read_text()
    )
    return {name for pair in pairs for name in pair}


def _stack_names() -> set[str]:
    return {f"booking-{env}-{unit}" for env in ENVIRONMENTS for unit in UNITS}


def test_every_cdk_command_uses_a_verb_stacks_and_switches_the_app_knows() -> None:
    commands = [
        line[m.start() :] for line in _code() for m in re.finditer(r"(?<![\w-])cdk (\w+)", line)
    ]
    deploys = 0
    for command in commands:
        tokens = shlex.split(command.split(";")[0])
        assert tokens[1] in CDK_VERBS, command
        deploys += tokens[1] == "deploy"
        for token in tokens[2:]:
            if token.startswith("booking-"):
                assert token in _stack_names(), token
        for key in re.findall(r"-c (\w+)=", command):
            assert key in _app_switches(), key
        if tokens[1] in {"deploy", "bootstrap", "synth", "diff"} and len(tokens) > 2:
            assert "--app" in tokens, command
    assert deploys >= 3
    for variable in re.findall(r"\bBOOKING_[A-Z_]+", _text()):
        per_env = re.fullmatch(r"BOOKING_([A-Z]+)_(ACCOUNT|ZONE_ID)", variable)
        if per_env:
            assert per_env.group(1).lower() in ENVIRONMENTS, variable
        else:
            assert variable in _app_switches() | _config_variables(), variable


def _config_variables() -> set[str]:
    """BOOKING_ENVIRONMENTS and the variables environments.py reads by their full name."""
    source = (INFRA / "environments.py").read_text()
    return {"BOOKING_ENVIRONMENTS", *re.findall(r'"(BOOKING_[A-Z_]+)"', source)}


def _documented_outputs() -> list[tuple[str, str]]:
    """(stack unit, output key) for every `out <unit> <Key>` call and every row of the table."""
    used = [
        (m.group(1), m.group(2))
        for block in _blocks()
        for m in re.finditer(r"\bout (\w+) (\w+)\b", block)
    ]
    table = _text().split("## Outputs the app and the deploy need")[1].split("\n\n")[1]
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        used += [(cells[0], key) for key in re.findall(r"`(\w+)`", cells[1])]
    return used


def test_every_output_the_docs_use_is_one_the_stacks_export(prod: Synthesized) -> None:
    outputs = _documented_outputs()
    assert ("app", "MigrateTaskFamily") in outputs
    assert ("network", "TaskSubnets") in outputs
    for unit, key in outputs:
        assert key in prod.raw[unit].get("Outputs", {}), (unit, key)


@pytest.mark.parametrize(
    "step", ["servicesRunning=false", "MigrateTaskFamily", "aws ecs wait tasks-stopped", "exitCode"]
)
def test_the_first_deployment_runs_migrate_before_the_services_start(step: str) -> None:
    first = _text().split("## First deployment")[1].split("### Every release")[0]
    block = re.findall(r"```sh\n(.*?)```", first, flags=re.S)[0]
    held = block.index("servicesRunning=false")
    migrate = block.index("aws ecs run-task")
    started = block.rindex("cdk deploy booking-prod-app")
    assert held < migrate < block.index("exitCode") < started
    assert step in block


def test_every_repository_path_the_docs_name_exists() -> None:
    roots = ("infra/", "ops/", "deploy/", "docs/", "backend/", "bench/")
    paths = {
        span.split()[0].rstrip(".,:") for span in _inline() + _code() if span.startswith(roots)
    }
    paths |= {
        m.group(0).rstrip(".,:")
        for line in _code()
        for m in re.finditer(r"(?<![\w/$.-])(?:infra|ops|deploy|docs)/[\w./-]+", line)
    }
    assert paths
    for path in paths:
        if "<" in path or "*" in path or path.startswith(GENERATED):
            continue
        assert (REPO / path.split("#")[0]).exists(), path


# ---- aws CLI: every service, operation (or waiter) and parameter exists in botocore's models ----

CLI_ONLY = {("ecr", "get-login-password")}  # AWS CLI customizations with no API operation
# customizations whose options are the CLI's own: the ones the AWS CLI reference lists
# (docs.aws.amazon.com/cli/latest/reference/s3/sync.html) that the docs may use
CLI_OPTIONS = {
    ("s3", "sync"): {"--cache-control", "--content-type", "--exclude", "--include", "--delete"}
}
# options the CLI adds to an API operation (create-invalidation builds InvalidationBatch from
# --paths: docs.aws.amazon.com/cli/latest/reference/cloudfront/create-invalidation.html)
CLI_EXTRA = {("cloudfront", "create-invalidation"): {"--paths"}}
CLI_GLOBAL = {"--query", "--output", "--region", "--profile", "--no-cli-pager", "--debug"}


def _until_unbalanced(text: str) -> str:
    """TEXT up to the first `)`, `|`, `;` or backtick that no `$(` of its own opened."""
    depth = 0
    for index, char in enumerate(text):
        if text.startswith("$(", index):
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif char in ")|;`" and not depth:
            return text[:index]
    return text


def _aws_commands() -> list[list[str]]:
    commands = []
    for line in _code():
        for match in re.finditer(r"\baws (?:[a-z0-9-]+ ){2}", line):
            commands.append(_until_unbalanced(line[match.start() :]).split())
    return commands


def _pascal(kebab: str) -> str:
    return "".join(part.title() for part in kebab.split("-"))


def _members(service_model: Any, operation: str) -> set[str]:
    shape = service_model.operation_model(operation).input_shape
    return {name.lower() for name in (shape.members if shape else {})}


def test_every_documented_aws_command_exists_with_its_parameters() -> None:
    session = botocore.session.get_session()
    commands = _aws_commands()
    assert len(commands) >= 8
    for tokens in commands:
        service, verb = tokens[1], tokens[2]
        if (service, verb) in CLI_ONLY:
            continue
        if (service, verb) in CLI_OPTIONS:
            options = {t for t in tokens[3:] if t.startswith("--")}
            assert options <= CLI_OPTIONS[service, verb] | CLI_GLOBAL, tokens
            continue
        model = session.get_service_model(service)
        if verb == "wait":
            assert _pascal(tokens[3]) in session.get_waiter_model(service).waiter_names, tokens
            operation = session.get_waiter_model(service).get_waiter(_pascal(tokens[3])).operation
        else:
            operation = _pascal(verb)
            assert operation in model.operation_names, tokens
        members = _members(model, operation)
        extra = CLI_GLOBAL | CLI_EXTRA.get((service, verb), set())
        for option in (t for t in tokens[3:] if t.startswith("--") and t not in extra):
            name = option[2:].removeprefix("no-").replace("-", "")
            assert name in members, (" ".join(tokens[:3]), option)
