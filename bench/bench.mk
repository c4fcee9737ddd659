# The benchmark (issue 7): `make bench` (the main Makefile includes this file) or
#   make -f bench/bench.mk bench BENCH_DURATION=10 BENCH_REPEAT=3 BENCH_CONNECTIONS=64
# Installs wrk and pgbench when missing (root), then `python -m bench`: it sets the stack's bench
# environment (bench/config.py STACK_ENV, the one list), brings the native production-like
# stack up in bench mode, seeds BENCH_SALONS salons, prints a table and writes
# bench/results/latest.json. BENCH_* variables given to make reach it through the environment;
# their defaults live in bench/config.py.

UV ?= uv

.PHONY: bench bench-wrk bench-test

bench-wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
		else echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; fi; }
	@command -v pgbench >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null; \
		else echo "bench: pgbench is missing (apt-get install postgresql-client)" >&2; exit 1; fi; }

bench: bench-wrk sync  ## ratios to a bare Django view on the production-like stack (BENCH_DURATION=, BENCH_REPEAT=)
	$(UV) run --frozen python -m bench

bench-test: bench-wrk  ## the benchmark's unit tests (no stack needed; wrk replays against a local server)
	$(UV) run --frozen pytest -q bench/tests
