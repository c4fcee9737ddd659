# The web app (frontend/): included by the root Makefile. Node 20 and npm come from the
# machine; browsers are never downloaded (Playwright drives Debian's chromium).

FRONTEND_DIR := frontend
FRONTEND_STAMP := $(FRONTEND_DIR)/node_modules/.package-lock.json
API_SCHEMA_FILE ?= var/openapi-schema.yaml
E2E_BASE_URL ?= https://127.0.0.1:8443
CHROMIUM ?= /usr/bin/chromium
# Set LIGHTHOUSE_URL (a salon page of a running app) for frontend-budget to run Lighthouse too.
LIGHTHOUSE_URL ?=

.PHONY: frontend-deps frontend-build frontend-schema test-frontend test-e2e frontend-budget frontend-chromium

# npm ci only when the lock file changed since the last install (or nothing is installed).
$(FRONTEND_STAMP): $(FRONTEND_DIR)/package-lock.json
	cd $(FRONTEND_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

frontend-deps: $(FRONTEND_STAMP)

frontend-build: frontend-deps  ## build the web app into frontend/dist (npm ci from the lock file)
	cd $(FRONTEND_DIR) && npm run build

frontend-schema: sync  ## export the API's OpenAPI schema to $(API_SCHEMA_FILE)
	@mkdir -p $(dir $(API_SCHEMA_FILE))
	$(UV) run --frozen python backend/manage.py spectacular --file $(API_SCHEMA_FILE)

test-frontend: frontend-deps frontend-schema  ## lint, typecheck, Vitest, generated API types match the schema
	cd $(FRONTEND_DIR) && npm run lint
	cd $(FRONTEND_DIR) && npm run typecheck
	cd $(FRONTEND_DIR) && npm test
	cd $(FRONTEND_DIR) && API_SCHEMA_FILE=$(abspath $(API_SCHEMA_FILE)) npm run api:check

frontend-chromium:  ## Debian's chromium for the browser tests (as root; never a downloaded browser)
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

test-e2e: frontend-deps frontend-chromium  ## Playwright against $(E2E_BASE_URL) (the app and API behind one origin)
	cd $(FRONTEND_DIR) && BASE_URL=$(E2E_BASE_URL) CHROMIUM_PATH=$(CHROMIUM) npx playwright test

frontend-budget: frontend-build frontend-chromium  ## initial JS size (and Lighthouse with LIGHTHOUSE_URL=…)
	cd $(FRONTEND_DIR) && CHROME_PATH=$(CHROMIUM) LIGHTHOUSE_URL=$(LIGHTHOUSE_URL) npm run budget
