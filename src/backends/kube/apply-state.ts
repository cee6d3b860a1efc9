/**
 * Makes the cluster match a ClusterState, declaratively (Backend.apply): policies by
 * server-side apply (field manager `netpol-harness`, KubernetesObjectApi.patch), deleted when
 * no longer in the state; namespace and pod labels by JSON Patch computed against what was set
 * before. Every stored policy is read back and compared with what was sent.
 */
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { NetworkPolicy, PolicyKey } from '../../policy/types.js';
import type { ClusterState } from '../../scenario/types.js';
import { UnsupportedError } from '../backend.js';
import { fromClientModel, toClientModel } from './client-model.js';
import { diffStored, type FieldDifference } from './compare-stored.js';
import { KubeApiError, type KubeApi } from './kube-api.js';
import { rewritePolicy } from './rewrite-policy.js';
import { FIELD_MANAGER, realNamespaceLabels, type NamespaceMap } from './run-naming.js';
import { podHarnessLabels } from './build-manifests.js';

/**
 * The server did not store (or refused) a field of a policy: the step cannot be run honestly
 * on this cluster. `fields` are paths like `spec.ingress[0].ports[0].endPort`.
 */
export class PolicyFieldNotSupportedError extends UnsupportedError {
  override readonly name = 'PolicyFieldNotSupportedError';
  constructor(
    readonly policy: PolicyKey,
    readonly fields: readonly string[],
    readonly serverVersion: string,
  ) {
    super(
      fields.map((f) => f.replace(/^.*\./, '').replace(/\[\d+\]$/, '')).join(', '),
      `the cluster (Kubernetes ${serverVersion}) does not support ${fields.join(', ')} of NetworkPolicy ${policy}: ` +
        'the API server dropped or refused it, so the policy would not mean what the scenario says' +
        (fields.some((f) => f.endsWith('endPort')) ? ' (endPort needs Kubernetes >= 1.22, GA in 1.25)' : ''),
    );
  }
}

/** JSON Pointer escaping of one key (RFC 6901). */
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON Patch ops turning label set `before` into `after` (only keys that change). Pure. */
export function labelPatch(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): object[] {
  const ops: object[] = [];
  for (const key of Object.keys(before).sort()) {
    if (!(key in after)) ops.push({ op: 'remove', path: `/metadata/labels/${pointer(key)}` });
  }
  for (const [key, value] of Object.entries(after).sort(([a], [b]) => a.localeCompare(b))) {
    if (before[key] !== value) ops.push({ op: 'add', path: `/metadata/labels/${pointer(key)}`, value });
  }
  return ops;
}

/** What the applier remembers between steps, all in cluster terms. */
export interface AppliedState {
  /** Real namespace name -> labels last set. */
  readonly namespaceLabels: Map<string, Record<string, string>>;
  /** `<realNs>/<pod>` -> labels last set. */
  readonly podLabels: Map<string, Record<string, string>>;
  /** Scenario policy key -> JSON of the manifest last applied. */
  readonly policies: Map<PolicyKey, { readonly json: string; readonly namespace: string; readonly name: string }>;
}

export function emptyAppliedState(): AppliedState {
  return { namespaceLabels: new Map(), podLabels: new Map(), policies: new Map() };
}

export interface ApplyContext {
  readonly api: KubeApi;
  readonly namespaces: NamespaceMap;
  readonly runId: string;
  readonly serverVersion: string;
  readonly applied: AppliedState;
  progress(message: string): void;
}

/** Server-side applies one (already rewritten) policy and checks what the server stored. */
export async function applyPolicy(ctx: ApplyContext, key: PolicyKey, policy: NetworkPolicy): Promise<void> {
  const { api } = ctx;
  const what = `apply NetworkPolicy ${policy.metadata.namespace}/${policy.metadata.name}`;
  let stored: KubernetesObject;
  try {
    stored = await api.call(what, () =>
      api.objects.patch(
        toClientModel(policy, 'V1NetworkPolicy') as unknown as KubernetesObject,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
  } catch (error) {
    // Kubernetes < 1.22 answers SSA of an unknown field with 500 ".spec...endPort: field not declared in schema".
    const fields = error instanceof KubeApiError ? notDeclaredFields(error.serverMessage ?? '') : [];
    if (fields.length > 0) throw new PolicyFieldNotSupportedError(key, fields, ctx.serverVersion);
    throw error;
  }
  const wire = fromClientModel(stored, 'V1NetworkPolicy') as { spec?: unknown };
  const lost: FieldDifference[] = diffStored(policy.spec, wire.spec).map((d) => ({ ...d, path: `spec.${d.path}` }));
  if (lost.length > 0) throw new PolicyFieldNotSupportedError(key, lost.map((d) => d.path), ctx.serverVersion);
}

/** Field paths out of an apiserver "field not declared in schema" message. Pure. */
export function notDeclaredFields(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/\.?(spec[^\s:]*): field not declared in schema/g)) {
    if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

async function deletePolicy(ctx: ApplyContext, namespace: string, name: string): Promise<void> {
  const { api } = ctx;
  await api
    .call(`delete NetworkPolicy ${namespace}/${name}`, () =>
      api.objects.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace } }),
    )
    .catch((error: unknown) => {
      if (error instanceof KubeApiError && error.status === 404) return;
      throw error;
    });
}

/**
 * Applies `state`: deletes the policies no longer in it, applies new or changed ones, then
 * patches changed labels. Throws PolicyFieldNotSupportedError or KubeApiError.
 */
export async function applyState(ctx: ApplyContext, state: ClusterState): Promise<void> {
  const { api, applied, namespaces, runId } = ctx;
  const desired = new Map(state.policies.map((m) => [m.key, rewritePolicy(m.policy, namespaces, runId)]));

  for (const [key, prev] of [...applied.policies]) {
    if (desired.has(key)) continue;
    ctx.progress(`deleting NetworkPolicy ${key}`);
    await deletePolicy(ctx, prev.namespace, prev.name);
    applied.policies.delete(key);
  }
  for (const [key, policy] of desired) {
    const json = JSON.stringify(policy);
    if (applied.policies.get(key)?.json === json) continue;
    ctx.progress(`applying NetworkPolicy ${key}`);
    // Remembered before the call: a policy stored with a field dropped still exists and must
    // be deleted later; the empty JSON forces a re-apply.
    applied.policies.set(key, { json: '', namespace: policy.metadata.namespace, name: policy.metadata.name });
    await applyPolicy(ctx, key, policy);
    applied.policies.set(key, { json, namespace: policy.metadata.namespace, name: policy.metadata.name });
  }

  for (const ns of state.namespaces) {
    const real = namespaces.toReal.get(ns.name);
    if (real === undefined) continue;
    const after = realNamespaceLabels(ns.labels, real, runId);
    const before = applied.namespaceLabels.get(real);
    if (before === undefined) continue; // not created by setUp: never touched
    const ops = labelPatch(before, after);
    if (ops.length === 0) continue;
    await api.call(`label namespace ${real}`, () => api.core.patchNamespace({ name: real, body: ops }));
    applied.namespaceLabels.set(real, after);
  }
  for (const w of state.workloads) {
    const real = namespaces.toReal.get(w.namespace);
    if (real === undefined) continue;
    const id = `${real}/${w.name}`;
    const before = applied.podLabels.get(id);
    if (before === undefined) continue;
    const after = { ...w.labels, ...podHarnessLabels(w.name, runId) };
    const ops = labelPatch(before, after);
    if (ops.length === 0) continue;
    await api.call(`label pod ${id}`, () => api.core.patchNamespacedPod({ name: w.name, namespace: real, body: ops }));
    applied.podLabels.set(id, after);
  }
}
