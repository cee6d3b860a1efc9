/**
 * The enforcement canary (DESIGN "Probing", last point): before trusting any observation,
 * prove that the dataplane enforces policies at all. A server and a client in a throwaway
 * namespace; the baseline must connect; then a deny-all ingress on the server, and separately
 * a deny-all egress on the client, must each block the flow within a deadline.
 */
import type { Backend, BackendContext } from '../backends/backend.js';
import { toPolicyKey, type NetworkPolicy, type PolicyType } from '../policy/types.js';
import { planProbes } from '../probe/plan-probes.js';
import type { Outcome, Probe } from '../probe/types.js';
import type { ClusterState, PolicyManifest, Scenario } from '../scenario/types.js';
import { NAMESPACE_NAME_LABEL, toMillis, toWorkloadRef } from '../scenario/types.js';
import type { Clock } from './clock.js';

export type EnforcementVerdict =
  | { readonly kind: 'enforcing'; readonly timeToEnforceMs: number }
  | { readonly kind: 'not-enforcing'; readonly waitedMs: number }
  /** One direction enforced, the other not. */
  | { readonly kind: 'partial'; readonly enforced: 'ingress' | 'egress'; readonly timeToEnforceMs: number; readonly waitedMs: number }
  /** The baseline itself failed: the dataplane is broken, enforcement cannot be judged. */
  | { readonly kind: 'broken'; readonly outcome: Outcome };

export interface CanaryOptions {
  /** How long each deny-all gets to take effect. */
  readonly deadlineMs: number;
  readonly clock: Clock;
  readonly ctx: BackendContext;
}

const NAMESPACE = 'nph-canary';
const SOURCE = { file: '<canary>', range: [0, 0] as const };

/** The canary's topology: a server on 80/TCP and a client, in one namespace. */
export const canaryScenario: Scenario = {
  name: 'enforcement-canary',
  file: '<canary>',
  namespaces: [{ name: NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: NAMESPACE } }],
  workloads: [
    { ref: toWorkloadRef(NAMESPACE, 'client'), namespace: NAMESPACE, name: 'client', labels: { app: 'canary-client' }, ports: [] },
    {
      ref: toWorkloadRef(NAMESPACE, 'server'),
      namespace: NAMESPACE,
      name: 'server',
      labels: { app: 'canary-server' },
      ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
    },
  ],
  externals: [],
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  steps: [],
};

function denyAll(name: string, app: string, type: PolicyType): PolicyManifest {
  const policy: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NAMESPACE },
    spec: { podSelector: { matchLabels: { app } }, policyTypes: [type] },
  };
  return { key: toPolicyKey(NAMESPACE, name), policy, origin: SOURCE };
}

function stateWith(policies: readonly PolicyManifest[]): ClusterState {
  return { namespaces: canaryScenario.namespaces, workloads: canaryScenario.workloads, policies };
}

/** Runs the canary on `backend` (which it sets up and tears down itself). */
export async function runCanary(backend: Backend, options: CanaryOptions): Promise<EnforcementVerdict> {
  const { ctx } = options;
  try {
    ctx.progress('canary: setting up a server and a client');
    const topology = await backend.setUp(canaryScenario, ctx);
    const settings = { target: 'pod-ip' as const, timeoutMs: toMillis(1000), self: false, dns: false };
    const probe = planProbes(canaryScenario, stateWith([]), settings, topology).find(
      (p) => p.from === toWorkloadRef(NAMESPACE, 'client'),
    );
    if (!probe) throw new Error('canary: no probe planned from client to server');

    await backend.apply(stateWith([]), ctx);
    const baseline = await probeOnce(backend, probe, ctx);
    if (baseline.kind !== 'ok') return { kind: 'broken', outcome: baseline };

    ctx.progress('canary: deny-all ingress on the server');
    const ingress = await timeToBlock(backend, probe, denyAll('deny-ingress', 'canary-server', 'Ingress'), options);
    ctx.progress('canary: deny-all egress on the client');
    const egress = await timeToBlock(backend, probe, denyAll('deny-egress', 'canary-client', 'Egress'), options);

    if (ingress !== undefined && egress !== undefined) return { kind: 'enforcing', timeToEnforceMs: Math.max(ingress, egress) };
    if (ingress === undefined && egress === undefined) return { kind: 'not-enforcing', waitedMs: options.deadlineMs };
    return ingress !== undefined
      ? { kind: 'partial', enforced: 'ingress', timeToEnforceMs: ingress, waitedMs: options.deadlineMs }
      : { kind: 'partial', enforced: 'egress', timeToEnforceMs: egress!, waitedMs: options.deadlineMs };
  } finally {
    await backend.tearDown();
  }
}

async function probeOnce(backend: Backend, probe: Probe, ctx: BackendContext): Promise<Outcome> {
  const outcomes = await backend.probe([probe], ctx);
  return outcomes.get(probe.key) ?? { kind: 'error', detail: 'no outcome returned' };
}

/** Applies `policy` alone and probes until the flow is blocked; ms until then, or undefined. */
async function timeToBlock(backend: Backend, probe: Probe, policy: PolicyManifest, options: CanaryOptions): Promise<number | undefined> {
  const { clock, ctx } = options;
  await backend.apply(stateWith([]), ctx);
  // The previous phase's policy must be gone before this one is judged.
  await waitFor(async () => (await probeOnce(backend, probe, ctx)).kind === 'ok', options);
  const start = clock.now();
  await backend.apply(stateWith([policy]), ctx);
  const blocked = await waitFor(async () => {
    const outcome = await probeOnce(backend, probe, ctx);
    return outcome.kind === 'timeout' || outcome.kind === 'refused';
  }, options);
  return blocked ? clock.now() - start : undefined;
}

async function waitFor(condition: () => Promise<boolean>, options: CanaryOptions): Promise<boolean> {
  const { clock, ctx } = options;
  const start = clock.now();
  for (;;) {
    if (await condition()) return true;
    if (clock.now() - start >= options.deadlineMs) return false;
    ctx.signal.throwIfAborted();
    await clock.sleep(500);
  }
}

/** One line for humans, e.g. `enforcing (policies took effect within 1.2 s)`. */
export function describeVerdict(verdict: EnforcementVerdict): string {
  switch (verdict.kind) {
    case 'enforcing':
      return `enforcing (policies took effect within ${(verdict.timeToEnforceMs / 1000).toFixed(1)} s)`;
    case 'not-enforcing':
      return `NOT enforcing: a deny-all policy, ingress or egress, still let traffic through after ${(verdict.waitedMs / 1000).toFixed(0)} s`;
    case 'partial':
      return `partially enforcing: ${verdict.enforced} policies took effect within ${(verdict.timeToEnforceMs / 1000).toFixed(1)} s, ${verdict.enforced === 'ingress' ? 'egress' : 'ingress'} policies did not within ${(verdict.waitedMs / 1000).toFixed(0)} s`;
    case 'broken':
      return `cannot judge: the canary client could not reach its server before any policy (${verdict.outcome.kind}${'detail' in verdict.outcome && verdict.outcome.detail ? `: ${verdict.outcome.detail}` : ''})`;
  }
}
