/**
 * The kube backend's public surface (what cli/ and run/ use). See kube-backend.ts for the
 * lifecycle and docs/kube.md for images, flags and RBAC.
 */
export {
  connectKube,
  createKubeBackend,
  openKubeBackend,
  KubeEnvironmentError,
  needsDns,
  type KubeBackend,
  type KubeBackendOptions,
  type KubeConnection,
  type KubeConnectResult,
} from './kube-backend.js';
export { cleanupKubeLeftovers, type CleanupOptions, type CleanupResult } from './cleanup.js';
export { loadKubeConfig, type KubeConfigSource, type LoadedKubeConfig } from './load-kubeconfig.js';
export { runPreflight, KNOWN_CNI_DAEMONSETS, type PreflightReport, type PreflightProblem } from './preflight.js';
export { PolicyFieldNotSupportedError } from './apply-state.js';
export { OwnedNamespaces, DEFAULT_HEARTBEAT_TTL_SECONDS } from './owned-namespaces.js';
export { ProbeToolCheck } from './check-probe-tools.js';
export { SctpFinding } from './sctp-finding.js';
export { listWorkloadNodes, workloadCpus } from './list-nodes.js';
export { waitNamespacesGone } from './cleanup.js';
export { findDns, type ClusterDns } from './find-dns.js';
export { PodsNotReadyError } from './wait-pods-ready.js';
export { KubeApiError } from './kube-api.js';
export { DEFAULT_IMAGES, type WorkloadImages } from './build-manifests.js';
