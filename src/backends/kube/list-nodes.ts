/**
 * The nodes scenario pods can land on, for the canary to put a server and a client on each:
 * Ready, schedulable, and without a NoSchedule/NoExecute taint (a control-plane node that runs
 * no workloads is not a node the harness's pods would use).
 */
import type { V1Node } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.js';

/** Whether pods without tolerations are scheduled on `node`. */
export function isWorkloadNode(node: V1Node): boolean {
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const tainted = (node.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return ready && node.spec?.unschedulable !== true && !tainted;
}

/** Names of the workload nodes, sorted. Throws KubeApiError (e.g. 403 without `list nodes`). */
export async function listWorkloadNodes(api: KubeApi): Promise<string[]> {
  const list = await api.call('list nodes', () => api.core.listNode({}));
  return list.items
    .filter(isWorkloadNode)
    .map((n) => n.metadata?.name ?? '')
    .filter((n) => n !== '')
    .sort();
}

/** `2`, `1500m` (a Kubernetes CPU quantity) in CPUs; undefined when unreadable. */
export function parseCpus(quantity: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity ?? '');
  if (!m) return undefined;
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

/** The allocatable CPUs of the workload nodes together (a node that does not say counts as 1). */
export async function workloadCpus(api: KubeApi): Promise<number> {
  const list = await api.call('list nodes', () => api.core.listNode({}));
  return list.items.filter(isWorkloadNode).reduce((sum, n) => sum + (parseCpus(n.status?.allocatable?.['cpu']) ?? 1), 0);
}
