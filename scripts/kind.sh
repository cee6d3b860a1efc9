#!/usr/bin/env bash
# A plain kind cluster: kindnet enforces NetworkPolicies since kind 0.24.
# Needs: docker, kind >= 0.24. Usage: scripts/kind.sh [cluster-name]
set -euo pipefail
name="${1:-netpol-kindnet}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cat <<'YAML' | kind create cluster --name "$name" --wait 120s --config -
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
YAML
"$here/scripts/kind-load-images.sh" "$name"
kubectl --context "kind-$name" get nodes -o wide
echo "kube context: kind-$name"
