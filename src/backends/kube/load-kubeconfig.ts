/**
 * Loads the kubeconfig the way kubectl does (`--kubeconfig`, else KUBECONFIG, else
 * ~/.kube/config, else the in-cluster service account) and selects `--context`. client-node
 * silently falls back to `http://localhost:8080` when it finds nothing; that fallback is
 * refused here with a message saying how to point at a cluster (the CLI exits 3).
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigSource {
  /** A kubeconfig file (`--kubeconfig`); wins over KUBECONFIG and the default file. */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig (`--context`); default: its current context. */
  readonly context?: string;
}

export type LoadedKubeConfig =
  | {
      readonly ok: true;
      readonly kubeConfig: KubeConfig;
      readonly context: string;
      /** The API server URL of the selected context. */
      readonly server: string;
    }
  | { readonly ok: false; readonly message: string };

/** client-node's fallback when no configuration exists (config.js, `loadFromDefault`). */
function isSilentFallback(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  return cluster !== null && cluster.name === 'cluster' && cluster.server === 'http://localhost:8080' && kc.getCurrentContext() === 'loaded-context';
}

const HOW_TO =
  'point --kubeconfig or KUBECONFIG at a kubeconfig file, or create a cluster (docs/kube.md: scripts/kind.sh, scripts/kind-cilium.sh, scripts/minikube-calico.sh)';

/** Loads and validates; expected failures (no config, unknown context, unreadable file) are values. */
export function loadKubeConfig(source: KubeConfigSource): LoadedKubeConfig {
  const kc = new KubeConfig();
  try {
    if (source.kubeconfig !== undefined) kc.loadFromFile(source.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    const where = source.kubeconfig ?? 'the default kubeconfig';
    return { ok: false, message: `cannot read ${where}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (source.kubeconfig === undefined && isSilentFallback(kc)) {
    return { ok: false, message: `no kubeconfig found (KUBECONFIG unset or empty, no ~/.kube/config, not in a pod): ${HOW_TO}` };
  }
  if (source.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === source.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      return { ok: false, message: `context "${source.context}" is not in the kubeconfig (contexts: ${known})` };
    }
    kc.setCurrentContext(source.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (cluster === null || context === '') {
    return { ok: false, message: `the kubeconfig has no current context or cluster: ${HOW_TO}` };
  }
  return { ok: true, kubeConfig: kc, context, server: cluster.server };
}
