/**
 * The enforcement canary: before trusting any observation, prove that the dataplane enforces
 * policies at all, on every node. A server and a client per node (one pair when the backend
 * has no nodes to tell apart); each client probes its own node's server and, with several
 * nodes, the next node's. The baseline must connect; then a deny-all ingress on the servers,
 * and separately a deny-all egress on the clients, must block every pair within a deadline.
 * A pair that stays open names the node that did not enforce: the server's for ingress, the
 * client's for egress.
 */
import type { Backend, BackendContext } from '../backends/backend.js';
import { toPolicyKey, type NetworkPolicy, type PolicyType } from '../policy/types.js';
import { planProbes } from '../probe/plan-probes.js';
import type { Outcome, Probe, ProbeKey } from '../probe/types.js';
import type { ClusterState, PolicyManifest, Scenario, WorkloadSpec } from '../scenario/types.js';
import { NAMESPACE_NAME_LABEL, toMillis, toWorkloadRef } from '../scenario/types.js';
import type { Clock } from '../util/clock.js';
import { pollUntil } from '../util/poll-until.js';

/** A direction that did not take effect, on a node when the backend knows nodes. */
export interface EnforcementGap {
  readonly direction: 'ingress' | 'egress';
  readonly node?: string;
}

export type EnforcementVerdict =
  | { readonly kind: 'enforcing'; readonly timeToEnforceMs: number; readonly nodes: readonly string[] }
  | { readonly kind: 'not-enforcing'; readonly waitedMs: number }
  /** Some directions or nodes enforced, others not. */
  | { readonly kind: 'partial'; readonly gaps: readonly EnforcementGap[]; readonly timeToEnforceMs: number; readonly waitedMs: number }
  /** The baseline itself failed: the pod network is broken, enforcement cannot be judged. */
  | { readonly kind: 'broken'; readonly outcome: Outcome; readonly pair: string };

export interface CanaryOptions {
  /** How long each deny-all gets to take effect, ms. */
  readonly deadlineMs: number;
  readonly clock: Clock;
  readonly ctx: BackendContext;
  /** Nodes to cover (a pair on each); empty or absent: one pair, wherever it lands. */
  readonly nodes?: readonly string[];
}

const NAMESPACE = 'nph-canary';
const SOURCE = { file: '<canary>', range: [0, 0] as const };
const SERVER_APP = 'canary-server';
const CLIENT_APP = 'canary-client';

function pair(index: number, node: string | undefined): WorkloadSpec[] {
  const suffix = node === undefined ? '' : `-${index}`;
  const at = node === undefined ? {} : { node };
  return [
    { ref: toWorkloadRef(NAMESPACE, `client${suffix}`), namespace: NAMESPACE, name: `client${suffix}`, labels: { app: CLIENT_APP }, ports: [], ...at },
    {
      ref: toWorkloadRef(NAMESPACE, `server${suffix}`),
      namespace: NAMESPACE,
      name: `server${suffix}`,
      labels: { app: SERVER_APP },
      ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
      ...at,
    },
  ];
}

/** The canary's topology: a server on 80/TCP and a client, per node (or one pair). */
export function canaryScenario(nodes: readonly string[] = []): Scenario {
  return {
    name: 'enforcement-canary',
    file: '<canary>',
    namespaces: [{ name: NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: NAMESPACE } }],
    workloads: nodes.length === 0 ? pair(0, undefined) : nodes.flatMap((node, i) => pair(i, node)),
    externals: [],
    dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    steps: [],
  };
}

function denyAll(name: string, app: string, type: PolicyType): PolicyManifest {
  const policy: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: NAMESPACE },
    spec: { podSelector: { matchLabels: { app } }, policyTypes: [type] },
  };
  return { key: toPolicyKey(NAMESPACE, name), policy, origin: SOURCE };
}

/** Each client to its own node's server and, with several nodes, to the next node's. */
function canaryProbes(scenario: Scenario, nodes: readonly string[]): Probe[] {
  const settings = { target: 'pod-ip' as const, timeoutMs: toMillis(1000), self: false, dns: false };
  const state: ClusterState = { namespaces: scenario.namespaces, workloads: scenario.workloads, policies: [] };
  const refs = (i: number): { client: string; server: string } => {
    const [client, server] = pair(i, nodes[i]);
    return { client: client!.ref, server: server!.ref };
  };
  const wanted = new Set<string>();
  for (let i = 0; i < Math.max(1, nodes.length); i++) {
    wanted.add(`${refs(i).client} ${refs(i).server}`);
    if (nodes.length > 1) wanted.add(`${refs(i).client} ${refs((i + 1) % nodes.length).server}`);
  }
  const noAddresses = { podIps: new Map(), serviceIps: new Map(), dnsPods: [], dnsServiceIp: '', clusterDomain: '' };
  return planProbes(scenario, state, settings, noAddresses).filter((p) => p.to.kind === 'workload' && wanted.has(`${p.from} ${p.to.ref}`));
}

/** Runs the canary on `backend` (which it sets up and tears down itself). */
export async function runCanary(backend: Backend, options: CanaryOptions): Promise<EnforcementVerdict> {
  const { ctx } = options;
  const nodes = options.nodes ?? [];
  const scenario = canaryScenario(nodes);
  const stateWith = (policies: readonly PolicyManifest[]): ClusterState => ({ namespaces: scenario.namespaces, workloads: scenario.workloads, policies });
  try {
    ctx.progress(nodes.length > 1 ? `canary: a server and a client on each of ${nodes.length} nodes` : 'canary: setting up a server and a client');
    await backend.setUp(scenario, ctx);
    const probes = canaryProbes(scenario, nodes);
    await backend.apply(stateWith([]), ctx);
    const baseline = await backend.probe(probes, ctx);
    const broken = probes.find((p) => baseline.get(p.key)?.kind !== 'ok');
    if (broken) return { kind: 'broken', outcome: baseline.get(broken.key) ?? { kind: 'error', detail: 'no outcome returned' }, pair: describePair(broken, scenario) };

    ctx.progress('canary: deny-all ingress on the servers');
    const ingress = await timeToBlock(backend, probes, stateWith, denyAll('deny-ingress', SERVER_APP, 'Ingress'), options);
    ctx.progress('canary: deny-all egress on the clients');
    const egress = await timeToBlock(backend, probes, stateWith, denyAll('deny-egress', CLIENT_APP, 'Egress'), options);

    const nodeOf = new Map(scenario.workloads.map((w) => [w.ref as string, w.node]));
    const gaps: EnforcementGap[] = [];
    const gapsOf = (direction: 'ingress' | 'egress', open: readonly Probe[]): void => {
      const at = new Set(open.map((p) => nodeOf.get(direction === 'ingress' && p.to.kind === 'workload' ? p.to.ref : p.from)));
      for (const node of [...at].sort()) gaps.push(node === undefined ? { direction } : { direction, node });
    };
    gapsOf('ingress', ingress.open);
    gapsOf('egress', egress.open);
    const blocked = [...ingress.times.values(), ...egress.times.values()];
    const timeToEnforceMs = blocked.length > 0 ? Math.max(...blocked) : 0;
    if (gaps.length === 0) return { kind: 'enforcing', timeToEnforceMs, nodes };
    if (ingress.times.size === 0 && egress.times.size === 0) return { kind: 'not-enforcing', waitedMs: options.deadlineMs };
    return { kind: 'partial', gaps, timeToEnforceMs, waitedMs: options.deadlineMs };
  } finally {
    await backend.tearDown();
  }
}

function describePair(probe: Probe, scenario: Scenario): string {
  const node = (ref: string): string => {
    const n = scenario.workloads.find((w) => w.ref === ref)?.node;
    return n === undefined ? '' : ` (node ${n})`;
  };
  const to = probe.to.kind === 'workload' ? probe.to.ref : '';
  return `${probe.from}${node(probe.from)} -> ${to}${node(to)}`;
}

function isBlocked(outcome: Outcome | undefined): boolean {
  return outcome?.kind === 'timeout' || outcome?.kind === 'refused';
}

/**
 * Applies `policy` alone (after the previous phase's policy is gone) and probes until every
 * pair is blocked: ms from the end of the apply until each pair was blocked, and the pairs
 * still open at the deadline.
 */
async function timeToBlock(
  backend: Backend,
  probes: readonly Probe[],
  stateWith: (policies: readonly PolicyManifest[]) => ClusterState,
  policy: PolicyManifest,
  options: CanaryOptions,
): Promise<{ times: Map<ProbeKey, number>; open: Probe[] }> {
  const { clock, ctx } = options;
  const poll = { timeoutMs: options.deadlineMs, intervalMs: 500, clock, signal: ctx.signal };
  await backend.apply(stateWith([]), ctx);
  // The previous phase's policy must be gone before this one is judged.
  await pollUntil(() => backend.probe(probes, ctx), (o) => probes.every((p) => o.get(p.key)?.kind === 'ok'), poll);
  await backend.apply(stateWith([policy]), ctx);
  // From when the apply returned, as the step loop waits after its own applies (an nftables
  // table is in force when `nft` returns: then this is ~0).
  const start = clock.now();
  const times = new Map<ProbeKey, number>();
  const last = await pollUntil(
    async () => {
      // When the round STARTED: the policy was in force by then (a blocked probe waits out its
      // own timeout, which says nothing about the dataplane).
      const roundStart = clock.now() - start;
      const outcomes = await backend.probe(probes, ctx);
      for (const p of probes) if (isBlocked(outcomes.get(p.key)) && !times.has(p.key)) times.set(p.key, roundStart);
      return outcomes;
    },
    (o) => probes.every((p) => isBlocked(o.get(p.key))),
    poll,
  );
  return { times, open: probes.filter((p) => !isBlocked(last.value.get(p.key))) };
}

function seconds(ms: number, digits = 1): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

/** `ingress on node b` / `egress`, joined. */
function describeGaps(gaps: readonly EnforcementGap[]): string {
  return gaps.map((g) => (g.node === undefined ? g.direction : `${g.direction} on node ${g.node}`)).join(', ');
}

/** One line for humans, e.g. `enforcing on 3 nodes (policies took effect within 1.2 s)`. */
export function describeVerdict(verdict: EnforcementVerdict): string {
  switch (verdict.kind) {
    case 'enforcing':
      return `enforcing${verdict.nodes.length > 1 ? ` on all ${verdict.nodes.length} nodes` : ''} (policies took effect within ${seconds(verdict.timeToEnforceMs)})`;
    case 'not-enforcing':
      return `NOT enforcing: a deny-all policy, ingress or egress, still let traffic through after ${seconds(verdict.waitedMs, 0)}`;
    case 'partial':
      return `partially enforcing: deny-all policies did not take effect within ${seconds(verdict.waitedMs, 0)} for ${describeGaps(verdict.gaps)}`;
    case 'broken':
      return `cannot judge: the canary client could not reach its server before any policy (${verdict.pair}: ${verdict.outcome.kind}${'detail' in verdict.outcome && verdict.outcome.detail ? `: ${verdict.outcome.detail}` : ''})`;
  }
}

/** The nodes a partial verdict names (sorted, no duplicates). */
export function nodesWithGaps(verdict: EnforcementVerdict): string[] {
  if (verdict.kind !== 'partial') return [];
  return [...new Set(verdict.gaps.flatMap((g) => (g.node === undefined ? [] : [g.node])))].sort();
}
