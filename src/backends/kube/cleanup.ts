/**
 * Deleting what a run created. Only namespaces that are the harness's own are ever deleted:
 * labelled `app.kubernetes.io/managed-by: netpol-harness` with a valid run id, and named as the
 * harness names them (`<name>-<run id>`). `cleanup` leaves runs in progress alone: a run
 * renews a heartbeat on its namespaces (owned-namespaces.ts), and only those whose heartbeat
 * has expired are removed, unless forced. Pods go first, at once (grace 0): on Kubernetes
 * 1.20 a namespace with terminating pods takes up to a minute. The namespace deletions are
 * then issued and not waited for unless asked.
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { KubeApiError, makeKubeApi, type KubeApi } from './kube-api.js';
import { loadKubeConfig, type KubeConfigSource } from './load-kubeconfig.js';
import { HEARTBEAT_ANNOTATION, isAbandoned } from './owned-namespaces.js';
import { isValidRunId, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ownershipSelector, RUN_ID_LABEL } from './run-naming.js';
import { pollUntil } from '../../util/poll-until.js';

function ignoreNotFound(error: unknown): void {
  if (error instanceof KubeApiError && error.status === 404) return;
  throw error;
}

/** Deletes the run's pods in `namespace`, then the namespace itself when it is managed by the harness. */
export async function deleteOwnedNamespace(api: KubeApi, namespace: string, runId?: string): Promise<void> {
  const ns = await api
    .call(`read namespace ${namespace}`, () => api.core.readNamespace({ name: namespace }))
    .catch((error: unknown) => {
      ignoreNotFound(error);
      return undefined;
    });
  if (ns === undefined || ns.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return;
  await api
    .call(`delete pods in ${namespace}`, () =>
      api.core.deleteCollectionNamespacedPod({ namespace, labelSelector: ownershipSelector(runId), gracePeriodSeconds: 0 }),
    )
    .catch(ignoreNotFound);
  if (ns.metadata.deletionTimestamp !== undefined) return;
  await api.call(`delete namespace ${namespace}`, () => api.core.deleteNamespace({ name: namespace })).catch(ignoreNotFound);
}

/** Polls until none of `namespaces` exists, or `timeoutMs` passes; returns those still there. */
export async function waitNamespacesGone(api: KubeApi, namespaces: readonly string[], timeoutMs: number, pollMs = 1000, signal?: AbortSignal): Promise<string[]> {
  let left = [...namespaces];
  const present = async (name: string): Promise<boolean> =>
    api
      .call(`read namespace ${name}`, () => api.core.readNamespace({ name }))
      .then(() => true)
      .catch((error: unknown) => {
        ignoreNotFound(error);
        return false;
      });
  const polled = await pollUntil(
    async () => {
      const still = await Promise.all(left.map(present));
      left = left.filter((_, i) => still[i]);
      return left;
    },
    (l) => l.length === 0,
    { timeoutMs, intervalMs: pollMs, ...(signal !== undefined && { signal }) },
  );
  return polled.value;
}

export interface CleanupOptions extends KubeConfigSource {
  /** Only this run's leftovers; default: every run's. */
  readonly runId?: string;
  /** Wait at most this long for the namespaces to disappear, ms (default 0: don't wait). */
  readonly waitMs?: number;
  /** Also remove runs whose heartbeat is still fresh (their owner may still be running). */
  readonly force?: boolean;
  /** For tests. */
  readonly now?: Date;
}

export interface CleanupResult {
  /** Namespaces whose deletion was issued, sorted. */
  readonly removed: readonly string[];
  /** Namespaces left alone because their run is still in progress, with the heartbeat's age in s. */
  readonly inProgress: ReadonlyArray<{ readonly namespace: string; readonly heartbeatAgeSeconds?: number }>;
  /** Namespaces labelled as the harness's that it did not name (left alone), sorted. */
  readonly notOwn: readonly string[];
  /** Namespaces still terminating when the wait ended. */
  readonly stillTerminating: readonly string[];
}

/** Whether `name` is how the harness names a namespace of run `runId` (`<ns>-<runId>`). */
export function isHarnessName(name: string, runId: string): boolean {
  return isValidRunId(runId) && name.endsWith(`-${runId}`) && name.length > runId.length + 1;
}

/**
 * Deletes the leftovers of any run (or of `runId`) whose owner is gone. Throws KubeApiError /
 * an Error with the kubeconfig problem.
 */
export async function cleanupKubeLeftovers(options: CleanupOptions = {}): Promise<CleanupResult> {
  const loaded = loadKubeConfig(options);
  if (!loaded.ok) throw new Error(loaded.message);
  const api = makeKubeApi(loaded.kubeConfig);
  return cleanupWithApi(api, options);
}

/** `cleanupKubeLeftovers` on an existing client. */
export async function cleanupWithApi(api: KubeApi, options: Pick<CleanupOptions, 'runId' | 'waitMs' | 'force' | 'now'>): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const list = await api.call('list namespaces of netpol-harness', () =>
    api.core.listNamespace({ labelSelector: ownershipSelector(options.runId) }),
  );
  const removed: string[] = [];
  const inProgress: Array<{ namespace: string; heartbeatAgeSeconds?: number }> = [];
  const notOwn: string[] = [];
  for (const ns of [...list.items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const name = ns.metadata?.name ?? '';
    const runId = ns.metadata?.labels?.[RUN_ID_LABEL] ?? '';
    if (!isHarnessName(name, runId)) {
      notOwn.push(name);
      continue;
    }
    const created = ns.metadata?.creationTimestamp === undefined ? undefined : new Date(ns.metadata.creationTimestamp as unknown as string);
    if (options.force !== true && !isAbandoned(ns.metadata?.annotations, created, now)) {
      const beat = ns.metadata?.annotations?.[HEARTBEAT_ANNOTATION];
      const age = beat === undefined ? undefined : Math.max(0, Math.round((now.getTime() - new Date(beat).getTime()) / 1000));
      inProgress.push(age === undefined ? { namespace: name } : { namespace: name, heartbeatAgeSeconds: age });
      continue;
    }
    await deleteOwnedNamespace(api, name, runId);
    removed.push(name);
  }
  const stillTerminating = (options.waitMs ?? 0) > 0 ? await waitNamespacesGone(api, removed, options.waitMs ?? 0) : [];
  return { removed, inProgress, notOwn, stillTerminating };
}
