"""`python -m deploy.stack VERB` from the repository root; USAGE lists the verbs."""

from __future__ import annotations

import json
import sys

from deploy.stack.config import Stack
from deploy.stack.verbs import COMPONENTS, down, reset, summary, up

USAGE = "usage: python -m deploy.stack up | down | reset | status | start|stop replica|redis"


def main(argv: list[str]) -> None:
    verb, *rest = argv or ["status"]
    stack = Stack()
    if verb in ("start", "stop") and rest and rest[0] in COMPONENTS:
        start, halt = COMPONENTS[rest[0]]
        (start if verb == "start" else halt)(stack)
    elif verb == "up":
        up(stack)
    elif verb == "down":
        down(stack)
    elif verb == "reset":
        reset(stack)
    elif verb == "status":
        print(json.dumps(summary(stack), indent=2))
    else:
        raise SystemExit(USAGE)


if __name__ == "__main__":
    main(sys.argv[1:])
