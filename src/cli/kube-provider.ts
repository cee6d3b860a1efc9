/** The kube side of `run`, `doctor` and `cleanup`: connect and preflight once, a backend per scenario. */
import {
  cleanupKubeLeftovers,
  connectKube,
  createKubeBackend,
  listWorkloadNodes,
  OwnedNamespaces,
  ProbeToolCheck,
  SctpFinding,
  workloadCpus,
  waitNamespacesGone,
  type CleanupResult,
} from '../backends/kube/index.js';
import type { BackendContext } from '../backends/backend.js';
import { nodesWithGaps } from '../run/canary.js';
import { createLimiter } from '../util/limiter.js';
import { AGNHOST_PROBES_PER_SLOT, AGNHOST_START_UNITS } from '../probe/toolset-agnhost-pod.js';
import { MAX_EXEC_SLOTS, MIN_EXEC_SLOTS, type BackendOptions, type BackendProvider } from './backend-provider.js';
import { EnvironmentError, type CliIo } from './io.js';

type KubeSource = Pick<BackendOptions, 'kubeconfig' | 'context'>;

function source(options: KubeSource): KubeSource {
  return { ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.context ? { context: options.context } : {}) };
}

/** Throws EnvironmentError (exit 3) when the cluster is unreachable or forbidden. */
export async function openKubeProvider(options: BackendOptions, io: CliIo, ctx: BackendContext): Promise<BackendProvider> {
  ctx.progress('kube: loading kubeconfig and checking the cluster (version, permissions, DNS, CNI)');
  if (options.image) ctx.progress(`warning: --image ${options.image} is ignored: every container runs the agnhost image now (--agnhost-image)`);
  const images = options.agnhostImage ? { agnhost: options.agnhostImage } : {};
  const conn = await connectKube({ ...source(options), images });
  if (!conn.ok) throw new EnvironmentError(conn.message);
  const { preflight } = conn;
  const version = preflight.serverVersion?.gitVersion ?? 'unknown version';
  const cni = preflight.cniHint;
  if (preflight.dnsProblem !== undefined) ctx.progress(`warning: ${preflight.dnsProblem.message}; scenarios that look Service names up cannot run`);
  if (preflight.nodeLocalDns !== undefined) ctx.progress(`note: NodeLocal DNSCache runs here (${preflight.nodeLocalDns}); predictions of lookups may not hold`);
  const owned = new OwnedNamespaces(conn.api);
  const execSlots = options.probeConcurrency ?? (await defaultExecSlots(conn.api, preflight.canListNodes));
  ctx.progress(`probing with up to ${execSlots} source pods at once (${execSlots * AGNHOST_START_UNITS} with busybox nc)${options.probeConcurrency === undefined ? " (the nodes' CPUs; --probe-concurrency to change)" : ''}`);
  const execLimiter = createLimiter(execSlots * AGNHOST_PROBES_PER_SLOT * AGNHOST_START_UNITS);
  const toolCheck = new ProbeToolCheck();
  const sctpFinding = new SctpFinding(conn.api, preflight.canListNodes);
  return {
    kind: 'kube',
    ...(cni ? { cni } : {}),
    serverVersion: version,
    describe: () => `cluster ${conn.server} (context ${conn.context}, Kubernetes ${version}${cni ? `, CNI ${cni}` : ''})`,
    diagnose: (verdict) => {
      if (verdict.kind === 'broken') return 'The canary pods could not reach each other before any policy: the pod network itself is broken (check the CNI pods in kube-system).';
      const nodes = nodesWithGaps(verdict);
      return [
        verdict.kind === 'partial'
          ? `This cluster enforces NetworkPolicies only in part${nodes.length > 0 ? `: not on node(s) ${nodes.join(', ')} (check the CNI agent there)` : ''}${cni ? ` (CNI found: ${cni})` : ''}.`
          : `This cluster accepts NetworkPolicies but does not enforce them${cni ? ` (CNI found: ${cni})` : ' (no known CNI DaemonSet found in kube-system)'}.`,
        'Use a CNI that enforces policies: kind >= 0.24 (kindnet enforces), kind with Cilium (scripts/kind-cilium.sh),',
        'minikube --cni=calico (scripts/minikube-calico.sh), or K3s without --disable-network-policy.',
        'Pass --allow-non-enforcing to run anyway and see which expectations such a cluster breaks.',
      ].join('\n');
    },
    create: async () =>
      createKubeBackend(conn, {
        images,
        sameNode: options.sameNode,
        podReadyTimeoutMs: options.podReadyTimeout,
        execLimiter,
        toolCheck,
        sctpFinding,
        owned,
      }),
    nodes: async (c) => {
      if (!preflight.canListNodes) {
        c.progress('note: not allowed to list nodes; the canary tests one pod pair instead of one per node');
        return [];
      }
      return listWorkloadNodes(conn.api);
    },
    close: async (c) => {
      owned.stop();
      const deleted = owned.deleted();
      if (options.deleteWait <= 0 || deleted.length === 0) return;
      c.progress(`waiting up to ${options.deleteWait / 1000} s for ${deleted.length} namespace(s) to be deleted`);
      const left = await waitNamespacesGone(conn.api, deleted, options.deleteWait, 1000);
      if (left.length > 0) io.stderr(`note: ${left.length} namespace(s) still terminating (the cluster finishes on its own): ${left.join(', ')}\n`);
    },
  };
}

/**
 * One exec per CPU of the workload nodes (2 to 16): each exec starts a source pod's probe
 * tools at once, and a 2-core node asked for 8 at a time (64 agnhost processes) killed
 * most of them before they had dialled (measured on the rig).
 */
async function defaultExecSlots(api: Parameters<typeof workloadCpus>[0], canListNodes: boolean): Promise<number> {
  if (!canListNodes) return MIN_EXEC_SLOTS * 2;
  const cpus = await workloadCpus(api).catch(() => MIN_EXEC_SLOTS * 2);
  return Math.min(MAX_EXEC_SLOTS, Math.max(MIN_EXEC_SLOTS, Math.floor(cpus)));
}

/** `cleanup --backend kube`: the namespaces of runs whose owner is gone (all with `force`). */
export async function cleanupKube(options: KubeSource & { readonly force?: boolean }): Promise<CleanupResult> {
  try {
    return await cleanupKubeLeftovers({ ...source(options), ...(options.force === true ? { force: true } : {}) });
  } catch (error) {
    throw new EnvironmentError(`cannot clean up the cluster: ${error instanceof Error ? error.message : String(error)}`);
  }
}
