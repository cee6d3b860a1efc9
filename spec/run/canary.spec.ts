import { expect } from 'chai';
import type { Backend, BackendContext, Topology } from '../../src/backends/backend.js';
import type { Outcome, Probe, ProbeKey } from '../../src/probe/types.js';
import { canaryScenario, describeVerdict, nodesWithGaps, runCanary } from '../../src/run/canary.js';
import type { ClusterState, Scenario, WorkloadSpec } from '../../src/scenario/types.js';
import { planTopology } from '../../src/simulator/plan-topology.js';
import { FakeClock } from '../fakes/simulated-backend.js';

/**
 * A cluster of nodes, written out by hand: a deny-all ingress blocks a pair when the server's
 * node enforces ingress, a deny-all egress when the client's node enforces egress. Knows
 * nothing else of policies.
 */
class NodeCluster implements Backend {
  readonly kind = 'kube' as const;
  readonly calls: string[] = [];
  private workloads = new Map<string, WorkloadSpec>();
  private policies: string[] = [];
  private applies = 0;

  constructor(
    private readonly node: {
      readonly noIngress?: readonly (string | undefined)[];
      readonly noEgress?: readonly (string | undefined)[];
      /** Applies after which a policy takes effect (slow enforcement). */
      readonly lagRounds?: number;
      readonly baseline?: Outcome;
    } = {},
  ) {}

  async setUp(scenario: Scenario, _ctx: BackendContext): Promise<Topology> {
    this.calls.push(`setUp ${scenario.workloads.map((w) => `${w.name}@${w.node ?? '-'}`).join(' ')}`);
    this.workloads = new Map(scenario.workloads.map((w) => [w.ref, w]));
    return planTopology(scenario);
  }

  async apply(state: ClusterState, _ctx: BackendContext): Promise<void> {
    this.policies = state.policies.map((p) => p.policy.metadata.name);
    this.applies = 0;
  }

  async probe(probes: readonly Probe[], _ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
    this.calls.push(`probe ${probes.map((p) => `${p.from}>${p.to.kind === 'workload' ? p.to.ref : ''}`).join(' ')}`);
    const inForce = this.applies++ >= (this.node.lagRounds ?? 0);
    return new Map(
      probes.map((p) => {
        const client = this.workloads.get(p.from)?.node;
        const server = p.to.kind === 'workload' ? this.workloads.get(p.to.ref)?.node : undefined;
        if (this.node.baseline && this.policies.length === 0) return [p.key, this.node.baseline];
        const blockedIn = inForce && this.policies.includes('deny-ingress') && !(this.node.noIngress ?? []).includes(server);
        const blockedOut = inForce && this.policies.includes('deny-egress') && !(this.node.noEgress ?? []).includes(client);
        return [p.key, blockedIn || blockedOut ? { kind: 'refused' } : { kind: 'ok' }];
      }),
    );
  }

  async tearDown(): Promise<void> {
    this.calls.push('tearDown');
  }
}

async function canary(cluster: NodeCluster, nodes: string[] = []) {
  return runCanary(cluster, { deadlineMs: 3000, clock: new FakeClock(), ctx: { signal: new AbortController().signal, progress: () => {} }, nodes });
}

describe('run/runCanary (enforcement canary)', () => {
  const rows: { desc: string; cluster: () => NodeCluster; kind: string; text: RegExp }[] = [
    { desc: 'an enforcing dataplane', cluster: () => new NodeCluster(), kind: 'enforcing', text: /^enforcing \(policies took effect within 0\.0 s\)/ },
    { desc: 'a dataplane that ignores policies', cluster: () => new NodeCluster({ noIngress: [undefined], noEgress: [undefined] }), kind: 'not-enforcing', text: /^NOT enforcing/ },
    { desc: 'a dataplane that ignores egress policies', cluster: () => new NodeCluster({ noEgress: [undefined] }), kind: 'partial', text: /did not take effect within 3 s for egress$/ },
    { desc: 'a broken pod network', cluster: () => new NodeCluster({ baseline: { kind: 'timeout' } }), kind: 'broken', text: /could not reach its server before any policy \(nph-canary\/client -> nph-canary\/server: timeout\)/ },
    { desc: 'a dataplane slow to enforce', cluster: () => new NodeCluster({ lagRounds: 2 }), kind: 'enforcing', text: /within 1\.0 s/ },
  ];
  for (const row of rows) {
    it(`tells ${row.desc}: ${row.kind}`, async () => {
      const cluster = row.cluster();
      const verdict = await canary(cluster);
      expect(verdict.kind).to.equal(row.kind);
      expect(describeVerdict(verdict)).to.match(row.text);
      expect(cluster.calls.at(-1)).to.equal('tearDown');
    });
  }

  describe('with several nodes', () => {
    const NODES = ['a', 'b', 'c'];

    it('puts a server and a client on every node; each client probes its own node and the next one', async () => {
      const cluster = new NodeCluster();
      const verdict = await canary(cluster, NODES);
      expect(verdict).to.deep.include({ kind: 'enforcing', nodes: NODES });
      expect(describeVerdict(verdict)).to.match(/^enforcing on all 3 nodes/);
      expect(cluster.calls[0]).to.equal('setUp client-0@a server-0@a client-1@b server-1@b client-2@c server-2@c');
      const pairs = cluster.calls[1]!.replace(/nph-canary\//g, '').split(' ').slice(1).sort();
      expect(pairs).to.deep.equal(['client-0>server-0', 'client-0>server-1', 'client-1>server-1', 'client-1>server-2', 'client-2>server-0', 'client-2>server-2']);
    });

    it('names the one node whose agent does not enforce, for the direction it misses', async () => {
      const verdict = await canary(new NodeCluster({ noIngress: ['b'] }), NODES);
      expect(verdict.kind).to.equal('partial');
      expect(nodesWithGaps(verdict)).to.deep.equal(['b']);
      expect(describeVerdict(verdict)).to.match(/for ingress on node b$/);
    });

    it('tells egress gaps by the client node', async () => {
      const verdict = await canary(new NodeCluster({ noEgress: ['c'], noIngress: ['a'] }), NODES);
      expect(describeVerdict(verdict)).to.match(/for ingress on node a, egress on node c$/);
    });
  });

  it('builds one unpinned pair without nodes', () => {
    expect(canaryScenario().workloads.map((w) => [w.name, w.node])).to.deep.equal([
      ['client', undefined],
      ['server', undefined],
    ]);
  });
});
