"""`python -m bench` from the repository root: the same as `python -m bench.run`."""

from __future__ import annotations

from bench.run import main

if __name__ == "__main__":
    raise SystemExit(main())
