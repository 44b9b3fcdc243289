#!/usr/bin/env bash
# One command for the Kubernetes manifests: renders the base and every overlay with kubectl kustomize
# and validates each rendering offline against the Kubernetes schemas (validate.mjs), then shows that
# the validator catches a misspelt, mistyped or unknown field and an unknown kind (validate.test.mjs).
# Needs kubectl (with its built-in kustomize) and node + npm; no cluster, no network beyond npm's
# registry for `npm ci` the first time.
#
#   bash k8s/validate/check.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
k8s="$(dirname "$here")"
cd "$here"
# The exact versions of package-lock.json; installed again only when the lock file is newer.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
for dir in "$k8s/base" "$k8s"/overlays/*/; do
  dir="${dir%/}"
  echo "k8s: kubectl kustomize ${dir#"$k8s"/}"
  kubectl kustomize "$dir" > "$rendered"
  node validate.mjs "$rendered"
done
node --test validate.test.mjs
