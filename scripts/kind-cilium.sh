#!/usr/bin/env bash
# A kind cluster with Cilium enforcing NetworkPolicies (kind-config.yaml disables kindnet).
# Needs: docker, kind >= 0.24, cilium CLI. Usage: scripts/kind-cilium.sh [cluster-name]
set -euo pipefail
name="${1:-netpol-cilium}"
here="$(cd "$(dirname "$0")/.." && pwd)"
kind create cluster --name "$name" --config "$here/kind-config.yaml" --wait 120s
cilium install --wait
cilium status --wait --wait-duration 5m
# Images of the workload pods, loaded so no node pulls them (air-gapped clusters, rate limits).
"$here/scripts/kind-load-images.sh" "$name"
kubectl --context "kind-$name" get nodes -o wide
echo "kube context: kind-$name (run: npx netpol-harness run scenarios/ --context kind-$name)"
