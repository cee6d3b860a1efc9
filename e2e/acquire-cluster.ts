/**
 * The cluster the e2e suite runs on: the current kube context when there is one (KUBECONFIG,
 * ~/.kube/config, or NPH_E2E_KUBECONFIG); else, with a Docker engine, a throwaway K3s
 * (@testcontainers/k3s, pinned image; K3s enforces NetworkPolicies by default); else the
 * suite FAILS, saying how to get a cluster. It never skips silently.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Pinned: a K3s whose bundled kube-router enforces policies (and supports endPort, 1.25+). */
export const K3S_IMAGE = 'rancher/k3s:v1.31.4-k3s1';

export interface E2eCluster {
  /** A kubeconfig file to pass to the kube backend. */
  readonly kubeconfig: string | undefined;
  readonly description: string;
  stop(): Promise<void>;
}

export const NO_CLUSTER_MESSAGE = [
  'no Kubernetes cluster for the e2e suite: no kube context (KUBECONFIG, ~/.kube/config, NPH_E2E_KUBECONFIG) and no Docker engine for K3s.',
  'Get one with scripts/kind.sh (kindnet), scripts/kind-cilium.sh (kind + Cilium) or scripts/minikube-calico.sh,',
  'or start Docker and re-run `npm run e2e` (it then starts K3s through testcontainers). See docs/kube.md.',
].join('\n');

function hasKubeContext(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.NPH_E2E_KUBECONFIG || env.KUBECONFIG || existsSync(join(env.HOME ?? homedir(), '.kube', 'config')));
}

/** Finds or starts a cluster; rejects with NO_CLUSTER_MESSAGE when there is none. */
export async function acquireCluster(env: NodeJS.ProcessEnv = process.env): Promise<E2eCluster> {
  if (hasKubeContext(env)) {
    // Without NPH_E2E_KUBECONFIG the backend loads KUBECONFIG (maybe a list) or ~/.kube/config itself.
    return { kubeconfig: env.NPH_E2E_KUBECONFIG || undefined, description: 'the current kube context', stop: async () => undefined };
  }
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(NO_CLUSTER_MESSAGE);
  }
  const { K3sContainer } = await import('@testcontainers/k3s');
  const k3s = await new K3sContainer(K3S_IMAGE).start();
  const file = join(mkdtempSync(join(tmpdir(), 'nph-e2e-')), 'kubeconfig');
  writeFileSync(file, k3s.getKubeConfig());
  return { kubeconfig: file, description: `K3s ${K3S_IMAGE} (testcontainers)`, stop: async () => void (await k3s.stop()) };
}
