/**
 * Creates an object, tolerating "already exists" only when the existing object is this run's
 * (a retried create whose first answer was lost). Anything else already there is never
 * touched: the run fails with a clear error instead.
 */
import { KubeApiError, type KubeApi } from './kube-api.js';
import { RUN_ID_LABEL } from './run-naming.js';

interface Meta {
  readonly metadata?: { readonly labels?: Record<string, string> | undefined } | undefined;
}

/** Creates with `create`; on 409 reads with `read` and accepts the object only when its run-id label is `runId`. */
export async function createOwned<T extends Meta>(
  api: KubeApi,
  what: string,
  runId: string,
  create: () => Promise<T>,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await api.call(`create ${what}`, create);
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.status !== 409) throw error;
    const existing = await api.call(`read ${what}`, read);
    if (existing.metadata?.labels?.[RUN_ID_LABEL] === runId) return existing;
    throw new KubeApiError(`create ${what}: it already exists and was not created by this run; it is left alone`, 409, error.serverMessage);
  }
}
