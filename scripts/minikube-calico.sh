#!/usr/bin/env bash
# A minikube cluster with Calico enforcing NetworkPolicies (minikube's default bridge CNI
# and flannel alone do not enforce). Needs: minikube, a driver (docker by default).
# Usage: scripts/minikube-calico.sh [profile]
set -euo pipefail
profile="${1:-netpol-calico}"
minikube start --profile "$profile" --cni=calico --nodes 2 --wait=all --driver="${MINIKUBE_DRIVER:-docker}"
kubectl --context "$profile" -n kube-system rollout status daemonset/calico-node --timeout=300s
minikube --profile "$profile" image load "${NPH_AGNHOST_IMAGE:-registry.k8s.io/e2e-test-images/agnhost:2.53}"
kubectl --context "$profile" get nodes -o wide
echo "kube context: $profile"
