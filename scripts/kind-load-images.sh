#!/usr/bin/env bash
# Pulls the workload images once on the host and loads them into every node of a kind
# cluster (`kind load docker-image`), so pods start with imagePullPolicy IfNotPresent and no
# registry access from the nodes. Override with NPH_AGNHOST_IMAGE / NPH_BUSYBOX_IMAGE.
set -euo pipefail
name="${1:?kind cluster name}"
agnhost="${NPH_AGNHOST_IMAGE:-registry.k8s.io/e2e-test-images/agnhost:2.25}"
busybox="${NPH_BUSYBOX_IMAGE:-docker.io/library/busybox:1.36}"
for image in "$agnhost" "$busybox"; do
  docker image inspect "$image" >/dev/null 2>&1 || docker pull "$image"
  kind load docker-image --name "$name" "$image"
done
