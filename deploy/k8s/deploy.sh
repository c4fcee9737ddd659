#!/bin/sh
# Deploys an overlay to the current kubectl context, in the order the release needs:
#   1. everything without a deploy phase (namespace, config, identities, secret store and
#      ExternalSecrets, services, policies, autoscalers, monitoring)
#   2. wait until every ExternalSecret is Ready (the pods mount the Secrets they create)
#   3. the migrate Job (the previous run deleted first: a Job's template is immutable),
#      waited for until it succeeds; a failure stops the deploy before anything rolls
#   4. the Deployments (web, worker, beat), waited for; on failure each is rolled back.
# Migrations must stay compatible with the code still running (expand, then contract in a
# later release): a rollback returns the code, never the schema.
#
# Usage: deploy/k8s/deploy.sh staging|production
# Environment: KUBECTL (default kubectl), MIGRATE_TIMEOUT, ROLLOUT_TIMEOUT (seconds).
set -eu

overlay="${1:?usage: deploy.sh staging|production}"
kubectl="${KUBECTL:-kubectl}"
namespace=booking
phase=booking.example.com/deploy-phase
migrate_timeout="${MIGRATE_TIMEOUT:-900}"
rollout_timeout="${ROLLOUT_TIMEOUT:-600}"
here="$(cd "$(dirname "$0")" && pwd)"
release="$(mktemp)"
trap 'rm -f "$release"' EXIT

$kubectl kustomize "$here/overlays/$overlay" > "$release"

echo "deploy: 1/4 setup resources"
$kubectl apply -f "$release" -l "!$phase"

echo "deploy: 2/4 waiting for ExternalSecrets"
$kubectl -n "$namespace" wait externalsecret --all --for=condition=Ready --timeout=120s

echo "deploy: 3/4 migrate"
$kubectl -n "$namespace" delete job -l "$phase=migrate" --ignore-not-found --wait=true
$kubectl apply -f "$release" -l "$phase=migrate"
waited=0
while :; do
    status="$($kubectl -n "$namespace" get job migrate -o 'jsonpath={.status.succeeded},{.status.failed}')"
    case "$status" in
        1,*) break ;;
        *,[1-9]*)
            $kubectl -n "$namespace" logs job/migrate --tail=100 || true
            echo "deploy: migrate failed; nothing was rolled" >&2
            exit 1 ;;
    esac
    if [ "$waited" -ge "$migrate_timeout" ]; then
        echo "deploy: migrate did not finish in ${migrate_timeout}s; nothing was rolled" >&2
        exit 1
    fi
    sleep 5
    waited=$((waited + 5))
done

echo "deploy: 4/4 rolling web, worker, beat"
$kubectl apply -f "$release" -l "$phase=rollout"
for deployment in web worker beat; do
    if ! $kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout="${rollout_timeout}s"; then
        echo "deploy: $deployment did not become ready; rolling back" >&2
        for undo in web worker beat; do
            $kubectl -n "$namespace" rollout undo "deployment/$undo" || true
        done
        exit 1
    fi
done
echo "deploy: $overlay deployed"
