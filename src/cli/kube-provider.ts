/** The kube side of `run`, `doctor` and `cleanup`: connect and preflight once, a backend per scenario. */
import { cleanupKubeLeftovers, connectKube, createKubeBackend } from '../backends/kube/index.js';
import type { BackendContext } from '../backends/backend.js';
import type { BackendOptions, BackendProvider } from './backend-provider.js';
import { EnvironmentError } from './io.js';

type KubeSource = Pick<BackendOptions, 'kubeconfig' | 'context'>;

function source(options: KubeSource): KubeSource {
  return { ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.context ? { context: options.context } : {}) };
}

/** Throws EnvironmentError (exit 3) when the cluster is unreachable, forbidden or lacks DNS. */
export async function openKubeProvider(options: BackendOptions, ctx: BackendContext): Promise<BackendProvider> {
  ctx.progress('kube: loading kubeconfig and checking the cluster (version, permissions, DNS, CNI)');
  const images = { ...(options.image ? { busybox: options.image } : {}), ...(options.agnhostImage ? { agnhost: options.agnhostImage } : {}) };
  const conn = await connectKube({ ...source(options), images });
  if (!conn.ok) throw new EnvironmentError(conn.message);
  const { preflight } = conn;
  const version = preflight.serverVersion?.gitVersion ?? 'unknown version';
  const cni = preflight.cniHint;
  return {
    kind: 'kube',
    ...(cni ? { cni } : {}),
    describe: () => `cluster ${conn.server} (context ${conn.context}, Kubernetes ${version}${cni ? `, CNI ${cni}` : ''})`,
    diagnose: (verdict) =>
      verdict.kind === 'broken'
        ? 'The canary pods could not reach each other before any policy: the pod network itself is broken (check the CNI pods in kube-system).'
        : [
            `This cluster accepts NetworkPolicies but does not enforce them${cni ? ` (CNI found: ${cni})` : ' (no known CNI DaemonSet found in kube-system)'}.`,
            'Use a CNI that enforces policies: kind >= 0.24 (kindnet enforces), kind with Cilium (scripts/kind-cilium.sh),',
            'minikube --cni=calico (scripts/minikube-calico.sh), or K3s without --disable-network-policy.',
            'Pass --allow-non-enforcing to run anyway and see which expectations such a cluster breaks.',
          ].join('\n'),
    create: async () => createKubeBackend(conn, { images, sameNode: options.sameNode }),
  };
}

/** `cleanup --backend kube`: every namespace of any run, found by the managed-by label. */
export async function cleanupKube(options: KubeSource): Promise<readonly string[]> {
  try {
    return (await cleanupKubeLeftovers(source(options))).removed;
  } catch (error) {
    throw new EnvironmentError(`cannot clean up the cluster: ${error instanceof Error ? error.message : String(error)}`);
  }
}
