# The benchmark (issue 7): `make bench` (the main Makefile includes this file) or
#   make -f bench/bench.mk bench BENCH_DURATION=10 BENCH_REPEAT=3 BENCH_CONNECTIONS=64
# Brings the native production-like stack up in bench mode, installs wrk when missing (root),
# seeds 1000 salons, runs bench/run.py: a table on stdout, bench/results/latest.json.

BENCH_DURATION ?= 10
BENCH_REPEAT ?= 3
BENCH_CONNECTIONS ?= 64
BENCH_THREADS ?= 2
BENCH_SALONS ?= 1000
UV ?= uv

# The stack in bench mode: the bare baseline behind nginx, limits a single load generator
# cannot trip (nginx per-address rates, DRF throttles), access tokens that outlive the run.
BENCH_ENV := STACK_BENCH=1 \
	STACK_NGINX_AUTH_RATE=100000r/s STACK_NGINX_BOOKING_RATE=100000r/s \
	STACK_NGINX_AUTH_BURST=1000 STACK_NGINX_BOOKING_BURST=1000 \
	STACK_APP_THROTTLE_AUTH=1000000/min STACK_APP_THROTTLE_BOOKING=1000000/min \
	STACK_APP_JWT_ACCESS_MINUTES=240 STACK_SALONS=$(BENCH_SALONS) \
	BENCH_DURATION=$(BENCH_DURATION) BENCH_REPEAT=$(BENCH_REPEAT) \
	BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) BENCH_THREADS=$(BENCH_THREADS) \
	BENCH_SALONS=$(BENCH_SALONS)

.PHONY: bench bench-wrk

bench-wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
		else echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; fi; }
	@command -v pgbench >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null; \
		else echo "bench: pgbench is missing (apt-get install postgresql-client)" >&2; exit 1; fi; }

bench: bench-wrk  ## ratios to a bare Django view on the production-like stack (BENCH_DURATION=, BENCH_REPEAT=)
	$(UV) sync --frozen --quiet
	env $(BENCH_ENV) $(UV) run --frozen python -m deploy.stack up >&2
	env $(BENCH_ENV) $(UV) run --frozen python -m bench.run
