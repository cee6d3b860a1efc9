/**
 * Deleting what a run created (DESIGN "Reliability and safety"). Only objects carrying
 * `app.kubernetes.io/managed-by: netpol-harness` are ever deleted. Pods go first, at once
 * (grace 0): on Kubernetes 1.20 a namespace with terminating pods takes up to a minute. The
 * namespace deletions are then issued and not waited for unless asked.
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { KubeApiError, makeKubeApi, type KubeApi } from './kube-api.js';
import { loadKubeConfig, type KubeConfigSource } from './load-kubeconfig.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, ownershipSelector } from './run-naming.js';

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
export async function waitNamespacesGone(api: KubeApi, namespaces: readonly string[], timeoutMs: number, pollMs = 1000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = [...namespaces];
  for (;;) {
    const present = await Promise.all(
      left.map((name) =>
        api
          .call(`read namespace ${name}`, () => api.core.readNamespace({ name }))
          .then(() => true)
          .catch((error: unknown) => {
            ignoreNotFound(error);
            return false;
          }),
      ),
    );
    left = left.filter((_, i) => present[i]);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export interface CleanupOptions extends KubeConfigSource {
  /** Only this run's leftovers; default: every run's. */
  readonly runId?: string;
  /** Wait at most this long for the namespaces to disappear, ms (default 0: don't wait). */
  readonly waitMs?: number;
}

export interface CleanupResult {
  /** Namespaces whose deletion was issued, sorted. */
  readonly removed: readonly string[];
  /** Namespaces still terminating when the wait ended. */
  readonly stillTerminating: readonly string[];
}

/**
 * Deletes the leftovers of any run (or of `runId`): every namespace labelled managed-by
 * netpol-harness, its pods first. Throws KubeApiError / an Error with the kubeconfig problem.
 */
export async function cleanupKubeLeftovers(options: CleanupOptions = {}): Promise<CleanupResult> {
  const loaded = loadKubeConfig(options);
  if (!loaded.ok) throw new Error(loaded.message);
  const api = makeKubeApi(loaded.kubeConfig);
  return cleanupWithApi(api, options);
}

/** `cleanupKubeLeftovers` on an existing client. */
export async function cleanupWithApi(api: KubeApi, options: Pick<CleanupOptions, 'runId' | 'waitMs'>): Promise<CleanupResult> {
  const list = await api.call('list namespaces of netpol-harness', () =>
    api.core.listNamespace({ labelSelector: ownershipSelector(options.runId) }),
  );
  const names = list.items.map((n: V1Namespace) => n.metadata?.name ?? '').filter((n) => n !== '').sort();
  for (const name of names) await deleteOwnedNamespace(api, name, options.runId);
  const stillTerminating = (options.waitMs ?? 0) > 0 ? await waitNamespacesGone(api, names, options.waitMs ?? 0) : [];
  return { removed: names, stillTerminating };
}
