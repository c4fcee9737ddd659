"""`python -m deploy.stack VERB` from the repository root; --help lists the verbs."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from deploy.stack.config import Stack
from deploy.stack.recovery import restore, restore_to_time, take_backup
from deploy.stack.rollout import deploy, rollback
from deploy.stack.verbs import COMPONENTS, down, reset, summary, up


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__)
    verbs = root.add_subparsers(dest="verb", required=True)
    verbs.add_parser("up", help="start everything, or roll the checkout's code out over it")
    verbs.add_parser("down", help="stop every process the stack started")
    verbs.add_parser("reset", help="stop every stack left running, remove stack state")
    verbs.add_parser("status", help="what runs, where the logs are")
    release = verbs.add_parser("deploy", help="migrate, then replace replicas gated on readiness")
    release.add_argument("--set", type=_assignment, action="append", default=[],
                         metavar="NAME=VALUE", help="environment of the new release")  # fmt: skip
    release.add_argument("--ready-timeout", type=float, default=60)
    back = verbs.add_parser("rollback", help="the previous (or a named) release back")
    back.add_argument("--to", metavar="RELEASE")
    verbs.add_parser("backup", help="a dump to the stack's S3 and a base backup (PITR)")
    back_in = verbs.add_parser("restore", help="restore in place, verify, serve again")
    source = back_in.add_mutually_exclusive_group(required=True)
    source.add_argument("--backup", metavar="ID|latest")
    source.add_argument("--to-time", type=datetime.fromisoformat, metavar="ISO8601")
    for verb in ("start", "stop"):
        component = verbs.add_parser(verb, help=f"{verb} one component (failure drills)")
        component.add_argument("component", choices=sorted(COMPONENTS))
    return root


def main(argv: list[str]) -> None:
    args = parser().parse_args(argv or ["status"])
    stack = Stack()
    if args.verb in ("start", "stop"):
        start, halt = COMPONENTS[args.component]
        (start if args.verb == "start" else halt)(stack)
    elif args.verb == "deploy":
        deploy(stack, dict(args.set), ready_timeout=args.ready_timeout)
    elif args.verb == "rollback":
        rollback(stack, args.to)
    elif args.verb == "backup":
        take_backup(stack)
    elif args.verb == "restore" and args.backup:
        restore(stack, args.backup)
    elif args.verb == "restore":
        restore_to_time(stack, args.to_time)
    elif args.verb == "status":
        print(json.dumps(summary(stack), indent=2))
    else:
        {"up": up, "down": down, "reset": reset}[args.verb](stack)


if __name__ == "__main__":
    main(sys.argv[1:])
