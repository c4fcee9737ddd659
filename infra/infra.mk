# AWS infrastructure verbs. Included by the main Makefile; also usable on its own:
#   make -f infra/infra.mk synth | test-infra | cost ENV=prod | diagram | lint-infra | typecheck-infra
# Paths are relative to the repository root.

INFRA_DIR      ?= infra
INFRA_OUT      ?= $(CURDIR)/$(INFRA_DIR)/cdk.out
INFRA_RUN      := JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 UV_PYTHON_DOWNLOADS=never uv run --project $(INFRA_DIR) --locked
CHECKOV_VERSION ?= 3.3.30
CHECKOV        := UV_PYTHON_DOWNLOADS=never uv tool run --from checkov==$(CHECKOV_VERSION) checkov
ENV            ?= dev
DIAGRAM_ENV    ?= prod
# traffic assumption for `make cost` (empty = the environment's default in ops/cost/estimate.py)
REQUESTS       ?=
GB_OUT         ?=
# price the app on another platform than the environment's (ecs, eks, none); empty = its own
PLATFORM       ?=
# price another database engine (postgres, mysql); empty = the environment's own
ENGINE         ?=

# ruff comes from the root project (its settings are the repository's); mypy from the infra
# project, the one that has aws-cdk-lib
INFRA_RUFF     := UV_PYTHON_DOWNLOADS=never uv run --frozen ruff
INFRA_PYTHON   := $(INFRA_DIR) ops
# mypy here covers what runs in the infra project; the CLI (ops/booking_ops) has its own strict
# config and runs in test-ops.
INFRA_TYPED    := $(INFRA_DIR) ops/cost

.PHONY: synth test-infra cost diagram infra-graphviz infra-checkov lint-infra typecheck-infra

## synth: every environment's templates into infra/cdk.out (no AWS credentials needed)
synth:
	rm -rf $(INFRA_OUT)
	CDK_OUTDIR=$(INFRA_OUT) $(INFRA_RUN) python $(INFRA_DIR)/app.py
	@ls $(INFRA_OUT)/*.template.json

## test-infra: assertions on every environment, cfn-lint (inside pytest), then checkov
test-infra: infra-graphviz
	rm -rf $(INFRA_OUT)
	CDK_OUTDIR=$(INFRA_OUT) $(INFRA_RUN) pytest $(INFRA_DIR)/tests -q
	$(MAKE) -f $(INFRA_DIR)/infra.mk infra-checkov INFRA_OUT=$(INFRA_OUT)

infra-checkov:
	$(CHECKOV) --directory $(INFRA_OUT) --framework cloudformation --compact --quiet --skip-download \
		--output cli

## cost: monthly cost of ENV, line by line (make cost ENV=prod [REQUESTS=2e7 GB_OUT=300] [PLATFORM=eks] [ENGINE=mysql])
cost:
	$(INFRA_RUN) python ops/cost/estimate.py --env $(ENV) \
		$(if $(REQUESTS),--requests-per-month $(REQUESTS)) $(if $(GB_OUT),--gb-out $(GB_OUT)) \
		$(if $(PLATFORM),--platform $(PLATFORM)) $(if $(ENGINE),--engine $(ENGINE))

## diagram: docs/architecture.png from the same configuration
diagram: infra-graphviz
	$(INFRA_RUN) python $(INFRA_DIR)/diagram.py --env $(DIAGRAM_ENV) --out docs/architecture.png

infra-graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	  else echo "graphviz is missing: sudo apt-get install graphviz" >&2; exit 1; fi; }

## lint-infra: ruff check and ruff format --check over infra/ and ops/
lint-infra:
	$(INFRA_RUFF) check $(INFRA_PYTHON)
	$(INFRA_RUFF) format --check $(INFRA_PYTHON)

## typecheck-infra: mypy over infra/ and ops/cost (config: [tool.mypy] in infra/pyproject.toml)
typecheck-infra:
	$(INFRA_RUN) mypy --config-file $(INFRA_DIR)/pyproject.toml $(INFRA_TYPED)
