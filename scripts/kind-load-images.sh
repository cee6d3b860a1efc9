#!/usr/bin/env bash
# Pulls the workload image once on the host and loads it into every node of a kind cluster
# (`kind load docker-image`), so pods start with imagePullPolicy IfNotPresent and no registry
# access from the nodes. Override with NPH_AGNHOST_IMAGE (then pass it as --agnhost-image).
set -euo pipefail
name="${1:?kind cluster name}"
image="${NPH_AGNHOST_IMAGE:-registry.k8s.io/e2e-test-images/agnhost:2.53}"
docker image inspect "$image" >/dev/null 2>&1 || docker pull "$image"
kind load docker-image --name "$name" "$image"
