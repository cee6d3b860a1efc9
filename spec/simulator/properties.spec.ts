/**
 * Properties of the compiled simulator on random small worlds (STYLE section 6):
 * it agrees with a naive per-pair evaluator written here from the API documentation; a policy
 * never changes a side of a pod it does not select; on an isolated side adding a policy never
 * removes an allow; the bulk matrix agrees with per-probe prediction.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec, Protocol } from '../../src/policy/types.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import { hasBit } from '../../src/simulator/bitset.js';
import type { CompileOptions } from '../../src/simulator/compile-state.js';
import { evaluateMatrix } from '../../src/simulator/evaluate-matrix.js';
import { explainProbe, type ProbeExplanation, type SideExplanation } from '../../src/simulator/explain-flow.js';
import { predict } from '../../src/simulator/predict.js';
import type { ServedPort } from '../../src/scenario/types.js';
import { buildWorld, networkPolicy, type PolicyDef, type World, type WorldDef } from './world.js';

// ---- random worlds -------------------------------------------------------------------------

const NAMESPACES = ['x', 'y'] as const;
const keyArb = fc.constantFrom('app', 'tier');
const valueArb = fc.constantFrom('a', 'b');
const labelsArb = fc.dictionary(keyArb, valueArb, { maxKeys: 2 });
const servedArb: fc.Arbitrary<ServedPort[]> = fc.subarray([
  { port: 80, protocol: 'TCP' as const, name: 'http' },
  { port: 8080, protocol: 'TCP' as const, name: 'alt' },
  { port: 53, protocol: 'UDP' as const, name: 'dns' },
  { port: 443, protocol: 'TCP' as const },
]);
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(keyArb, valueArb, { maxKeys: 1 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: fc.oneof(keyArb, fc.constant('env')), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(valueArb, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: fc.oneof(keyArb, fc.constant('env')), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);
const ipBlockArb = fc.constantFrom(
  { cidr: '10.244.0.0/16', except: ['10.244.0.10/32'] },
  { cidr: '10.244.0.8/29' },
  { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] },
  { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] },
  { cidr: '10.244.0.2/32' },
);
const peerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  selectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc.tuple(selectorArb, selectorArb).map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  ipBlockArb.map((ipBlock) => ({ ipBlock })),
);
const portArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.constantFrom<NetworkPolicyPort>({ port: 80 }, { port: 53, protocol: 'UDP' }, { protocol: 'UDP' }, { port: 'http' }, { port: 'dns', protocol: 'UDP' }, { port: 'dns' }, { port: 'alt' }, { port: 443, protocol: 'TCP' }),
  fc.tuple(fc.integer({ min: 50, max: 450 }), fc.integer({ min: 0, max: 8000 })).map(([port, span]) => ({ port, endPort: port + span })),
);
const ruleArb = fc.record({ peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }) });
const specArb: fc.Arbitrary<NetworkPolicySpec> = fc
  .record({
    podSelector: selectorArb,
    types: fc.constantFrom(undefined, [], ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  })
  .map(({ podSelector, types, ingress, egress }) => {
    const spec: { podSelector: LabelSelector; policyTypes?: NetworkPolicySpec['policyTypes']; ingress?: NetworkPolicySpec['ingress']; egress?: NetworkPolicySpec['egress'] } = { podSelector };
    if (types) spec.policyTypes = types as NetworkPolicySpec['policyTypes'];
    if (ingress) spec.ingress = ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
    if (egress) spec.egress = egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
    return spec as NetworkPolicySpec;
  });
const policyArb = (i: number): fc.Arbitrary<PolicyDef> => fc.tuple(fc.constantFrom(...NAMESPACES), specArb).map(([ns, spec]) => ({ id: `${ns}/p${i}`, spec }));
const worldArb: fc.Arbitrary<WorldDef> = fc
  .record({
    nsLabels: fc.tuple(fc.dictionary(fc.constantFrom('env', 'app'), valueArb, { maxKeys: 1 }), fc.dictionary(fc.constantFrom('env', 'app'), valueArb, { maxKeys: 1 })),
    pods: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), labels: labelsArb, ports: servedArb }), { minLength: 1, maxLength: 5 }),
    policies: fc.array(fc.nat(), { maxLength: 4 }),
    withDnsPolicy: fc.boolean(),
  })
  .chain(({ nsLabels, pods, policies, withDnsPolicy }) =>
    fc.tuple(fc.tuple(...policies.map((_, i) => policyArb(i))), withDnsPolicy ? specArb : fc.constant(undefined)).map(([ps, dnsSpec]) => ({
      namespaces: { x: nsLabels[0], y: nsLabels[1], 'kube-system': {} },
      pods: pods.map((p, i) => ({ id: `${p.ns}/w${i}`, labels: p.labels, ports: p.ports })),
      externals: [{ name: 'ext', ip: '192.0.2.10' }, { name: 'far', ip: '198.51.100.7' }],
      policies: dnsSpec ? [...ps, { id: 'kube-system/dns-lock', spec: dnsSpec }] : ps,
    })),
  );

// ---- the naive reference: straight from the API documentation, one pair at a time ----------

interface NaivePod {
  readonly ns: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nsLabels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly ports: readonly { port: number; protocol: Protocol; name?: string }[];
}

function naivePods(world: World): { pods: Map<string, NaivePod>; dns: NaivePod[] } {
  const nsLabels = new Map(world.state.namespaces.map((n) => [n.name, n.labels]));
  const pods = new Map<string, NaivePod>();
  for (const w of world.state.workloads) pods.set(w.ref, { ns: w.namespace, labels: w.labels, nsLabels: nsLabels.get(w.namespace)!, ip: world.topology.podIps.get(w.ref)!, ports: w.ports });
  const dns = world.topology.dnsPods.map((d) => ({
    ns: d.namespace,
    labels: d.labels,
    nsLabels: nsLabels.get(d.namespace) ?? d.namespaceLabels,
    ip: d.ip,
    ports: [{ port: 53, protocol: 'UDP' as const, name: 'dns' }, { port: 53, protocol: 'TCP' as const, name: 'dns-tcp' }, { port: 9153, protocol: 'TCP' as const, name: 'metrics' }],
  }));
  return { pods, dns };
}

/**
 * metav1.LabelSelector as its documentation states it, independent of src/policy/selector.ts:
 * every matchLabels pair AND every requirement; NotIn and DoesNotExist hold for a missing key.
 */
function naiveMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(labels);
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => keys.includes(k) && labels[k] === v);
  return (
    pairs &&
    (selector.matchExpressions ?? []).every((r) => {
      const present = keys.includes(r.key);
      const values = r.values ?? [];
      if (r.operator === 'In') return present && values.includes(labels[r.key]!);
      if (r.operator === 'NotIn') return !present || !values.includes(labels[r.key]!);
      if (r.operator === 'Exists') return present;
      return !present;
    })
  );
}

type Peer = { kind: 'pod'; pod: NaivePod } | { kind: 'ip'; ip: string };

function inBlock(block: { cidr: string; except?: readonly string[] }, ip: string): boolean {
  const inside = (c: string): boolean => {
    const [net, prefix] = ipaddr.parseCIDR(c);
    const a = ipaddr.parse(ip);
    return a.kind() === net.kind() && a.match(net, prefix);
  };
  return inside(block.cidr) && !(block.except ?? []).some(inside);
}

type NaivePolicy = World['state']['policies'][number]['policy'];

function naiveTypes(policy: NaivePolicy): string[] {
  const spec = policy.spec;
  return spec.policyTypes && spec.policyTypes.length > 0 ? [...spec.policyTypes] : ['Ingress', ...((spec.egress ?? []).length > 0 ? ['Egress'] : [])];
}

function naiveSelects(policy: NaivePolicy, who: Peer): boolean {
  return who.kind === 'pod' && who.pod.ns === policy.metadata.namespace && naiveMatches(policy.spec.podSelector, who.pod.labels);
}

/**
 * Whether one rule admits the flow: `peer` is the end its from/to must match, `dest` the
 * destination pod (named ports resolve there), undefined for an address. With the world's
 * `egressNamedPortsByPolicyNamespace`, an egress rule without `to` resolves its named ports on
 * every pod of the policy's namespace instead and opens those numbers to any destination.
 */
function naiveRule(world: World, policy: NaivePolicy, dir: 'Ingress' | 'Egress', rule: { peers?: readonly NetworkPolicyPeer[]; ports?: readonly NetworkPolicyPort[] }, peer: Peer, dest: NaivePod | undefined, port: number, protocol: Protocol): boolean {
  const ns = policy.metadata.namespace;
  const everyPeer = !rule.peers || rule.peers.length === 0;
  const peerOk =
    everyPeer ||
    rule.peers!.some((p) => {
      if (p.ipBlock) return inBlock(p.ipBlock, peer.kind === 'pod' ? peer.pod.ip : peer.ip);
      if (peer.kind !== 'pod') return false;
      const nsOk = p.namespaceSelector ? naiveMatches(p.namespaceSelector, peer.pod.nsLabels) : peer.pod.ns === ns;
      const podOk = p.podSelector ? naiveMatches(p.podSelector, peer.pod.labels) : true;
      return nsOk && podOk;
    });
  const { pods, dns } = naivePods(world);
  const inNamespace = world.compiled.options.egressNamedPortsByPolicyNamespace && dir === 'Egress' && everyPeer;
  const portOk =
    !rule.ports ||
    rule.ports.length === 0 ||
    rule.ports.some((rp) => {
      if ((rp.protocol ?? 'TCP') !== protocol) return false;
      if (rp.port === undefined) return true;
      if (typeof rp.port === 'number') return port >= rp.port && port <= (rp.endPort ?? rp.port);
      const servers = inNamespace ? [...pods.values(), ...dns].filter((q) => q.ns === ns) : dest ? [dest] : [];
      return servers.some((q) => q.ports.some((c) => c.name === rp.port && c.protocol === protocol && c.port === port));
    });
  return peerOk && portOk;
}

function naiveRules(policy: NaivePolicy, dir: 'Ingress' | 'Egress'): { peers?: readonly NetworkPolicyPeer[]; ports?: readonly NetworkPolicyPort[] }[] {
  const spec = policy.spec;
  return dir === 'Ingress' ? (spec.ingress ?? []).map((r) => ({ ...(r.from ? { peers: r.from } : {}), ...(r.ports ? { ports: r.ports } : {}) })) : (spec.egress ?? []).map((r) => ({ ...(r.to ? { peers: r.to } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
}

/**
 * One side: is `self` isolated in `dir`, and does some rule admit `other` on port/protocol to
 * `dest`? With the world's `crossDirectionRules`, written the way kube-router 1.2 builds its
 * iptables chains instead: the pod's one chain runs every policy selecting it, each with its
 * ingress rules (the source a peer, the destination selected by the policy) and its egress
 * rules (the source selected by the policy, the destination a peer).
 */
function naiveSide(world: World, dir: 'Ingress' | 'Egress', self: NaivePod, other: Peer, dest: NaivePod | undefined, port: number, protocol: Protocol): boolean {
  const me: Peer = { kind: 'pod', pod: self };
  const [source, destination] = dir === 'Egress' ? [me, other] : [other, me];
  const selecting = world.state.policies.map((m) => m.policy).filter((policy) => naiveSelects(policy, me));
  if (!selecting.some((policy) => naiveTypes(policy).includes(dir))) return true;
  if (!world.compiled.options.crossDirectionRules) {
    return selecting.some((policy) => naiveTypes(policy).includes(dir) && naiveRules(policy, dir).some((rule) => naiveRule(world, policy, dir, rule, other, dest, port, protocol)));
  }
  return selecting.some((policy) =>
    naiveTypes(policy).some((type) =>
      type === 'Ingress'
        ? naiveSelects(policy, destination) && naiveRules(policy, 'Ingress').some((rule) => naiveRule(world, policy, 'Ingress', rule, source, dest, port, protocol))
        : naiveSelects(policy, source) && naiveRules(policy, 'Egress').some((rule) => naiveRule(world, policy, 'Egress', rule, destination, dest, port, protocol)),
    ),
  );
}

function naiveFlow(world: World, src: NaivePod, dst: NaivePod, port: number, protocol: Protocol): boolean {
  // "A pod cannot block access to itself" (Kubernetes docs).
  if (src === dst) return true;
  return naiveSide(world, 'Egress', src, { kind: 'pod', pod: dst }, dst, port, protocol) && naiveSide(world, 'Ingress', dst, { kind: 'pod', pod: src }, dst, port, protocol);
}

/** Every probe kind for every source: pod-ip and service-name to each pod and port, externals, dns. */
function probesOf(world: World): string[] {
  const out: string[] = [];
  for (const s of world.state.workloads) {
    for (const t of world.state.workloads) {
      for (const p of [...t.ports, { port: 9999, protocol: 'TCP' as const }]) {
        out.push(`${s.ref} -> ${t.ref}:${p.port}/${p.protocol}`);
        out.push(`${s.ref} -> ${t.ref}:${p.port}/${p.protocol} by name`);
      }
    }
    out.push(`${s.ref} -> ext:443`, `${s.ref} -> far:80`, `${s.ref} -> dns`);
  }
  return out;
}

function naiveProbe(world: World, text: string): boolean {
  const { pods, dns } = naivePods(world);
  const probe = world.probe(text);
  const src = pods.get(probe.from)!;
  const dnsOk = (): boolean => dns.some((d) => naiveFlow(world, src, d, 53, 'UDP'));
  switch (probe.to.kind) {
    case 'dns':
      return dnsOk();
    case 'external':
      return naiveSide(world, 'Egress', src, { kind: 'ip', ip: probe.to.ip }, undefined, probe.port, probe.protocol);
    case 'workload': {
      const ok = naiveFlow(world, src, pods.get(probe.to.ref)!, probe.port, probe.protocol);
      return probe.addressing === 'service-name' ? ok && dnsOk() : ok;
    }
  }
}

// ---- properties ----------------------------------------------------------------------------

const RUNS = 150;

/** The switches of the kube-router profile, in every combination. */
const kubeRouterArb: fc.Arbitrary<CompileOptions> = fc.record({ crossDirectionRules: fc.boolean(), egressNamedPortsByPolicyNamespace: fc.boolean() });

describe('simulator properties', () => {
  it('random policies are valid (the generator only makes what the API server accepts)', () => {
    fc.assert(fc.property(worldArb, (w) => (w.policies ?? []).every((p) => validatePolicy(networkPolicy(p.id, p.spec)).length === 0)), { numRuns: 50 });
  });

  it('the compiled evaluator agrees with the naive per-pair evaluator', () => {
    fc.assert(
      fc.property(worldArb, (def) => {
        const world = buildWorld(def);
        for (const text of probesOf(world)) {
          const got = predict(world.compiled, world.probe(text)).allowed;
          if (got !== naiveProbe(world, text)) throw new Error(`${text}: compiled ${got}, naive ${!got}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('under the kube-router switches too: the compiled evaluator agrees with a naive model of its iptables chains', () => {
    fc.assert(
      fc.property(worldArb, kubeRouterArb, (def, options) => {
        const world = buildWorld(def, options);
        for (const text of probesOf(world)) {
          const got = predict(world.compiled, world.probe(text)).allowed;
          if (got !== naiveProbe(world, text)) throw new Error(`${JSON.stringify(options)} ${text}: compiled ${got}, naive ${!got}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(a) a policy never changes the ingress or egress side of a pod it does not select', () => {
    fc.assert(
      fc.property(worldArb, policyArb(99), (def, extra) => {
        const before = buildWorld(def);
        const after = buildWorld({ ...def, policies: [...(def.policies ?? []), extra] });
        const [ns] = extra.id.split('/');
        const selects = (ref: string): boolean => {
          const w = before.state.workloads.find((x) => x.ref === ref)!;
          return w.namespace === ns && naiveMatches(extra.spec.podSelector, w.labels);
        };
        for (const text of probesOf(before)) {
          const p = before.probe(text);
          const b = predict(before.compiled, p).flow;
          const a = predict(after.compiled, p).flow;
          if (!selects(p.from)) expect(a.egress.allowed, text).to.equal(b.egress.allowed);
          if (p.to.kind === 'workload' && !selects(p.to.ref)) expect(a.ingress?.allowed, text).to.equal(b.ingress?.allowed);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) on a side already isolated, adding a policy never removes an allow', () => {
    fc.assert(
      fc.property(worldArb, policyArb(99), (def, extra) => {
        const before = buildWorld(def);
        const after = buildWorld({ ...def, policies: [...(def.policies ?? []), extra] });
        for (const text of probesOf(before)) {
          const p = before.probe(text);
          const b = predict(before.compiled, p).flow;
          const a = predict(after.compiled, p).flow;
          if (b.egress.isolatedBy.length > 0 && b.egress.allowed) expect(a.egress.allowed, text).to.equal(true);
          if (b.ingress && b.ingress.isolatedBy.length > 0 && b.ingress.allowed) expect(a.ingress?.allowed, text).to.equal(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('explanations agree with the verdict (under the kube-router switches too): an admitting rule fails on no part, every closest rule of a denied side on one or more', () => {
    const sides = (e: ProbeExplanation): SideExplanation[] => [e.flow, ...(e.dns ? [e.dns] : [])].flatMap((f) => [f.egress, ...(f.ingress ? [f.ingress] : [])]);
    fc.assert(
      fc.property(worldArb, fc.oneof(fc.constant({}), kubeRouterArb), (def, options) => {
        const world = buildWorld(def, options);
        for (const text of probesOf(world)) {
          const p = world.probe(text);
          const prediction = predict(world.compiled, p);
          for (const side of sides(explainProbe(world.compiled, p, prediction))) {
            if (side.allowedBy) expect(side.allowedBy.misses, `${text}: allowed by`).to.equal(0);
            if (!side.verdict.allowed) {
              expect(side.misses?.length ?? 0, `${text}: one entry per isolating policy`).to.equal(side.verdict.isolatedBy.length);
              for (const m of side.misses ?? []) for (const c of m.closest) expect(c.misses, `${text}: ${m.policy} rule ${c.rule + 1}`).to.be.greaterThan(0);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('evaluateMatrix agrees with predict on every pod pair (self and DNS pods included; under the kube-router switches too)', () => {
    fc.assert(
      fc.property(worldArb, fc.constantFrom<[number, Protocol]>([80, 'TCP'], [53, 'UDP'], [8080, 'TCP'], [443, 'TCP']), fc.oneof(fc.constant({}), kubeRouterArb), (def, [port, protocol], options) => {
        const world = buildWorld(def, options);
        const c = world.compiled;
        const m = evaluateMatrix(c, port, protocol);
        let count = 0;
        for (const s of c.pods) {
          for (const t of c.pods) {
            const want = predictPods(world, s.index, t.index, port, protocol);
            expect(hasBit(m.rows[s.index]!, t.index), `${s.display} -> ${t.display}`).to.equal(want);
            if (want) count++;
          }
        }
        expect(m.allowedCount).to.equal(count);
      }),
      { numRuns: RUNS },
    );
  });
});

/** The naive verdict for compiled pod indexes (workloads, then DNS pods), pod-IP addressing. */
function predictPods(world: World, s: number, t: number, port: number, protocol: Protocol): boolean {
  const { pods, dns } = naivePods(world);
  const all = [...world.state.workloads.map((w) => pods.get(w.ref)!), ...dns];
  return naiveFlow(world, all[s]!, all[t]!, port, protocol);
}
