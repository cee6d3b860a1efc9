/**
 * NetworkPolicy v1 conformance, one row per rule of DESIGN.md's semantics checklist and its
 * edges, derived from the Kubernetes API documentation of NetworkPolicy. Each row builds a
 * small world (spec/simulator/world.ts: namespaces x, y, z with pods a, b, c unless the row
 * says otherwise) and asserts verdicts, blockers and reason fragments.
 */
import { expect } from 'chai';
import type { NetworkPolicySpec } from '../../src/policy/types.js';
import type { ServedPort } from '../../src/scenario/types.js';
import type { CompileOptions } from '../../src/simulator/compile-state.js';
import { explainers } from '../../src/simulator/explain.js';
import { predict } from '../../src/simulator/predict.js';
import { buildWorld, type WorldDef } from './world.js';

interface Row {
  readonly rule: number;
  readonly name: string;
  readonly world: WorldDef;
  /** `allow|deny <probe>`, optionally followed by ` [blocker]` and ` ~ <reason fragment>`. */
  readonly flows: readonly string[];
  readonly options?: CompileOptions;
}

const pol = (id: string, spec: NetworkPolicySpec) => ({ id, spec });
const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const denyAllIngress = (ns: string) => pol(`${ns}/deny-in`, { podSelector: {}, policyTypes: ['Ingress'] });
const denyAllEgress = (ns: string) => pol(`${ns}/deny-out`, { podSelector: {}, policyTypes: ['Egress'] });
const ACROSS: CompileOptions = { crossDirectionRules: true };
const BY_NAMESPACE: CompileOptions = { egressNamedPortsByPolicyNamespace: true };
/** The conformance case union-ingress-and-egress-policies: x/in isolates the ingress of x (from x only), x/out the egress of x/b (to x/c only). */
const unionInOut = (inSelector: Record<string, string>, from: NonNullable<NetworkPolicySpec['ingress']>) => [
  pol('x/in', { podSelector: sel(inSelector), policyTypes: ['Ingress'], ingress: from }),
  pol('x/out', { podSelector: sel({ pod: 'b' }), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: sel({ pod: 'c' }) }] }] }),
];
/** The conformance topology named-ports: `web` is 80/TCP on pods a, 81/TCP on pods b, 80/UDP on pods c. */
const NAMED_PORTS: Record<string, ServedPort[]> = {
  a: [{ port: 80, protocol: 'TCP', name: 'web' }, { port: 81, protocol: 'TCP', name: 'admin' }],
  b: [{ port: 81, protocol: 'TCP', name: 'web' }, { port: 80, protocol: 'TCP', name: 'admin' }],
  c: [{ port: 80, protocol: 'UDP', name: 'web' }, { port: 81, protocol: 'TCP', name: 'other' }],
};
const namedPortPods = (namespaces: readonly string[]) => namespaces.flatMap((ns) => ['a', 'b', 'c'].map((p) => ({ id: `${ns}/${p}`, labels: { pod: p }, ports: NAMED_PORTS[p]! })));
const egressWebOfA = (to?: NonNullable<NetworkPolicySpec['egress']>) => pol('x/named', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: to ?? [{ ports: [{ port: 'web' }] }] });
const allowDnsEgress = (ns: string) => pol(`${ns}/allow-dns`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });

const ROWS: readonly Row[] = [
  // Rule 1: defaulting.
  { rule: 1, name: 'no policyTypes and only ingress rules: Ingress only, egress stays open', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/b -> x/a', 'deny x/c -> x/a [ingress] ~ ingress of x/a isolated by x/p', 'allow x/a -> z/c ~ egress not isolated'] },
  { rule: 1, name: 'no policyTypes with `egress: []` is not an egress policy', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), egress: [] })] }, flows: ['allow x/a -> y/b', 'deny x/b -> x/a [ingress]'] },
  { rule: 1, name: 'no policyTypes with `egress: [{}]` is Ingress+Egress: ingress denied, egress all', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), egress: [{}] })] }, flows: ['allow x/a -> y/b ~ egress by x/p rule 1 ~ to: every destination ~ ports: every port', 'deny x/b -> x/a [ingress]'] },
  { rule: 1, name: 'no policyTypes with an egress rule restricts egress and isolates ingress', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/a -> x/b', 'deny x/a -> x/c [egress]', 'deny x/b -> x/a [ingress]'] },
  { rule: 1, name: 'empty policyTypes list is inferred like an absent one', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: [], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['deny x/a -> x/c [egress]', 'deny x/c -> x/a [ingress]'] },
  { rule: 1, name: 'policyTypes [Egress] ignores the ingress rules it has', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/c -> x/a ~ ingress not isolated', 'deny x/a -> x/b [egress] ~ egress of x/a isolated by x/p'] },
  { rule: 1, name: 'policyTypes [Ingress] ignores the egress rules it has', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/a -> x/c', 'allow x/c -> x/a'] },
  { rule: 1, name: 'a port without protocol is TCP', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] })] }, flows: ['allow y/a -> x/a:53/TCP', 'deny y/a -> x/a:53/UDP [ingress]'] },
  // Rule 2: isolation per direction, additive policies.
  { rule: 2, name: 'a pod no policy selects is not isolated', world: { policies: [denyAllIngress('x')] }, flows: ['allow x/a -> y/a ~ ingress not isolated', 'deny y/a -> x/a'] },
  { rule: 2, name: 'an ingress-only policy leaves the egress side open', world: { policies: [denyAllIngress('x')] }, flows: ['allow x/a -> z/b ~ egress not isolated'] },
  { rule: 2, name: 'policies are additive: deny-all plus an allow allows', world: { policies: [denyAllIngress('x'), pol('x/allow-b', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/b -> x/a ~ ingress by x/allow-b rule 1 ~ from: its peer (podSelector {pod=b}) matches', 'deny x/c -> x/a ~ isolated by x/allow-b, x/deny-in (no ingress rules); closest: x/allow-b rule 1: pod x/c has pod=c, needs pod=b'] },
  { rule: 2, name: 'two policies allowing different sources allow both', world: { policies: [pol('x/p1', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] }), pol('x/p2', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'c' }) }] }] })] }, flows: ['allow x/b -> x/a ~ x/p1 rule 1', 'allow x/c -> x/a ~ x/p2 rule 1', 'deny y/b -> x/a'] },
  { rule: 2, name: 'the first allowing rule is reported in policy-key then rule order', world: { policies: [pol('x/zz', { podSelector: {}, ingress: [{}] }), pol('x/aa', { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }, { from: [{ namespaceSelector: {} }] }] })] }, flows: ['allow y/a -> x/a ~ ingress by x/aa rule 2 ~ from: its peer (namespaceSelector {}) matches', 'allow y/a -> x/a:81 ~ ingress by x/aa rule 1 ~ ports: 81/TCP matches 81/TCP'] },
  // Rule 3: egress at the source AND ingress at the destination.
  { rule: 3, name: 'egress allowed but destination ingress denies', world: { policies: [denyAllIngress('y'), pol('x/out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })] }, flows: ['deny x/a -> y/a [ingress] ~ ingress of y/a isolated by y/deny-in, which has no ingress rules'] },
  { rule: 3, name: 'ingress allowed but source egress denies', world: { policies: [denyAllEgress('x'), pol('y/in', { podSelector: {}, ingress: [{}] })] }, flows: ['deny x/a -> y/a [egress] ~ egress of x/a isolated by x/deny-out, which has no egress rules'] },
  { rule: 3, name: 'both sides allow: allowed, both rules reported', world: { policies: [pol('x/out', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }) }] }] }), pol('y/in', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'x' }), podSelector: sel({ pod: 'a' }) }] }] })] }, flows: ['allow x/a -> y/a ~ egress by x/out rule 1; ingress by y/in rule 1', 'deny x/a -> z/a [egress] ~ closest: x/out rule 1: namespace z has ns=z, needs ns=y', 'deny x/b -> y/a [ingress] ~ closest: y/in rule 1: pod x/b has pod=b, needs pod=a ~ from: its peer (namespaceSelector {ns=x} AND podSelector {pod=a}) does not match'] },
  { rule: 3, name: 'both sides deny: both are named, egress blocks first', world: { policies: [denyAllEgress('x'), denyAllIngress('y')] }, flows: ['deny x/a -> y/a [egress] ~ ingress of y/a isolated by y/deny-in'] },
  // Rule 4: podSelector {} selects the policy's namespace only.
  { rule: 4, name: 'podSelector {} selects every pod of its namespace and no other', world: { policies: [denyAllIngress('x')] }, flows: ['deny y/a -> x/a', 'deny y/a -> x/b', 'deny y/a -> x/c', 'allow x/a -> y/b', 'allow x/a -> z/c'] },
  { rule: 4, name: 'a policy selecting by label never selects same-labelled pods of other namespaces', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Ingress'] })] }, flows: ['deny z/c -> x/a', 'allow z/c -> y/a', 'allow z/c -> z/a'] },
  // Rule 5: peers.
  { rule: 5, name: 'podSelector alone means the policy namespace', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/b -> x/a', 'deny y/b -> x/a', 'deny z/b -> x/a'] },
  { rule: 5, name: 'namespaceSelector alone means every pod of matching namespaces', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }] }] })] }, flows: ['allow y/a -> x/a', 'allow y/b -> x/a', 'allow y/c -> x/a', 'deny z/a -> x/a', 'deny x/b -> x/a'] },
  { rule: 5, name: 'both selectors in one peer are ANDed', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }), podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow y/b -> x/a', 'deny y/c -> x/a', 'deny z/b -> x/a', 'deny x/b -> x/a'] },
  { rule: 5, name: 'separate peers are ORed', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }, { podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow y/c -> x/a ~ from: peer 1 of 2 (namespaceSelector {ns=y}) matches', 'allow x/b -> x/a ~ from: peer 2 of 2 (podSelector {pod=b}) matches', 'deny z/b -> x/a ~ from: none matches; closest is peer 1 of 2 (namespaceSelector {ns=y}): namespace z has ns=z, needs ns=y', 'deny x/c -> x/a'] },
  { rule: 5, name: 'namespaceSelector {} means every namespace, the DNS one included', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] })] }, flows: ['allow x/a -> z/c', 'allow x/a -> x/b', 'allow x/a -> dns'] },
  { rule: 5, name: 'namespaceSelector {} with a podSelector: that label in every namespace', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: {}, podSelector: sel({ pod: 'c' }) }] }] })] }, flows: ['allow z/c -> x/a', 'allow x/c -> x/a', 'deny z/b -> x/a'] },
  { rule: 5, name: 'every namespace carries kubernetes.io/metadata.name', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'z' }) }] }] })] }, flows: ['allow z/a -> x/b', 'deny y/a -> x/b'] },
  { rule: 5, name: 'namespace labels are matched, not pod labels', world: { pods: [{ id: 'x/a', labels: { pod: 'a' } }, { id: 'y/b', labels: { ns: 'x' } }], policies: [pol('x/p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }] })] }, flows: ['deny y/b -> x/a', 'allow x/a -> x/a'] },
  { rule: 5, name: 'podSelector {} alone in a peer is every pod of the policy namespace', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: {} }] }] })] }, flows: ['allow x/b -> x/a', 'allow x/c -> x/a', 'deny y/a -> x/a ~ y/a is in namespace y, but a podSelector alone selects in the policy\'s namespace x'] },
  // Rule 6: empty rules and lists.
  { rule: 6, name: '`ingress: [{}]` allows everything', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{}] })] }, flows: ['allow z/c -> x/a:81 ~ ingress by x/p rule 1 ~ from: every source ~ ports: every port', 'allow y/a -> x/b:53/UDP'] },
  { rule: 6, name: '`ingress: []` with the type denies everything', world: { policies: [pol('x/p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })] }, flows: ['deny z/c -> x/a', 'deny x/b -> x/a'] },
  { rule: 6, name: 'an empty `from` list is the same as none: all peers', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ from: [], ports: [{ port: 80 }] }] })] }, flows: ['allow z/c -> x/a:80 ~ from: every source ~ ports: 80/TCP matches 80/TCP', 'deny z/c -> x/a:81'] },
  { rule: 6, name: 'an empty `ports` list is the same as none: all ports', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ from: [{ podSelector: sel({ pod: 'b' }) }], ports: [] }] })] }, flows: ['allow x/b -> x/a:81 ~ from: its peer (podSelector {pod=b}) matches ~ ports: every port', 'allow x/b -> x/a:53/UDP', 'deny x/c -> x/a:80'] },
  { rule: 6, name: '`egress: [{}]` with policyTypes [Egress] allows all destinations, externals too', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })] }, flows: ['allow x/a -> partner:443', 'allow x/a -> z/b'] },
  // Rule 7: ports.
  { rule: 7, name: 'a protocol without a port means all ports of it', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })] }, flows: ['allow y/a -> x/a:53/UDP ~ ports: 53/UDP matches all UDP ports', 'deny y/a -> x/a:80/TCP'] },
  { rule: 7, name: 'a named port resolves on each destination pod', world: { pods: [{ id: 'x/a', labels: { app: 'client' } }, { id: 'x/b', labels: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', name: 'http' }] }, { id: 'x/c', labels: { app: 'web' }, ports: [{ port: 8080, protocol: 'TCP', name: 'http' }, { port: 80, protocol: 'TCP', name: 'other' }] }], policies: [pol('x/p', { podSelector: sel({ app: 'web' }), ingress: [{ ports: [{ port: 'http' }] }] })] }, flows: ['allow x/a -> x/b:80 ~ port http/TCP (= 80/TCP on x/b)', 'allow x/a -> x/c:8080 ~ port http/TCP (= 8080/TCP on x/c)', 'deny x/a -> x/c:80 ~ 80/TCP is not http/TCP (= 8080/TCP on x/c)'] },
  { rule: 7, name: 'a named port matches by name AND protocol', world: { pods: [{ id: 'x/a' }, { id: 'x/b', ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }] }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'dns', protocol: 'TCP' }] }] })] }, flows: ['deny x/a -> x/b:53/UDP', 'deny x/a -> x/b:53/TCP'] },
  { rule: 7, name: 'an egress named port resolves on the destination, not the source', world: { pods: [{ id: 'x/a', labels: { role: 'client' }, ports: [{ port: 9000, protocol: 'TCP', name: 'web' }] }, { id: 'x/b', ports: [{ port: 8080, protocol: 'TCP', name: 'web' }] }], policies: [pol('x/p', { podSelector: sel({ role: 'client' }), policyTypes: ['Egress'], egress: [{ ports: [{ port: 'web' }] }] })] }, flows: ['allow x/a -> x/b:8080 ~ egress by x/p rule 1, port web/TCP (= 8080/TCP on x/b)', 'deny x/a -> x/b:9000 [egress] ~ 9000/TCP is not web/TCP (= 8080/TCP on x/b)'] },
  { rule: 7, name: 'a named port the destination does not declare matches nothing', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ ports: [{ port: 'grpc' }] }] })] }, flows: ['deny y/a -> x/a:80 ~ 80/TCP is not grpc/TCP (x/a serves no such port)', 'deny y/a -> x/a:81'] },
  { rule: 7, name: 'endPort is an inclusive range', world: { pods: [{ id: 'x/a' }, { id: 'x/b', ports: [7999, 8000, 8080, 8081].map((port) => ({ port, protocol: 'TCP' as const })) }], policies: [pol('x/p', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] })] }, flows: ['deny x/a -> x/b:7999', 'allow x/a -> x/b:8000', 'allow x/a -> x/b:8080', 'deny x/a -> x/b:8081'] },
  { rule: 7, name: 'the second port of a rule is reported when it is the one that matches', world: { policies: [pol('x/p', { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'UDP' }, { port: 81 }] }] })] }, flows: ['allow y/a -> x/a:81 ~ ports: 81/TCP matches 81/TCP', 'deny y/a -> x/a:80 ~ 80/TCP is not among 80/UDP, 81/TCP'] },
  { rule: 7, name: 'a named egress port never matches an external (no container ports)', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'https' }] }, { ports: [{ port: 443, protocol: 'UDP' }] }] })] }, flows: ['deny x/a -> partner:443 [egress] ~ 443/TCP is not https/TCP (a named port; the destination is not a pod)'] },
  // Rule 8: selectors.
  { rule: 8, name: 'NotIn matches a pod lacking the key', world: { pods: [{ id: 'x/a', labels: { pod: 'a' } }, { id: 'x/b', labels: { pod: 'b', env: 'prod' } }, { id: 'x/c', labels: { pod: 'c', env: 'dev' } }, { id: 'x/d', labels: { pod: 'd' } }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }] }] })] }, flows: ['allow x/d -> x/a', 'allow x/c -> x/a', 'deny x/b -> x/a'] },
  { rule: 8, name: 'DoesNotExist matches a pod lacking the key only', world: { pods: [{ id: 'x/a', labels: { pod: 'a' } }, { id: 'x/b', labels: { env: '' } }, { id: 'x/c', labels: {} }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] } }] }] })] }, flows: ['allow x/c -> x/a', 'deny x/b -> x/a ~ pod x/b has env=, needs !env'] },
  { rule: 8, name: 'Exists matches any value, the empty one included', world: { pods: [{ id: 'x/a', labels: { pod: 'a' } }, { id: 'x/b', labels: { env: '' } }, { id: 'x/c', labels: {} }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }] }] })] }, flows: ['allow x/b -> x/a', 'deny x/c -> x/a'] },
  { rule: 8, name: 'In needs the key with one of the values', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'q'] }] } }] }] })] }, flows: ['allow x/b -> x/a', 'deny x/c -> x/a'] },
  { rule: 8, name: 'matchLabels AND matchExpressions', world: { pods: [{ id: 'x/a', labels: { pod: 'a' } }, { id: 'x/b', labels: { app: 'web', tier: 'fe' } }, { id: 'x/c', labels: { app: 'web', tier: 'be' } }, { id: 'x/d', labels: { tier: 'fe' } }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } }] }] })] }, flows: ['allow x/b -> x/a', 'deny x/c -> x/a ~ pod x/c has tier=be, needs tier in (fe)', 'deny x/d -> x/a ~ pod x/d lacks app=web'] },
  { rule: 8, name: 'NotIn on a namespaceSelector matches namespaces lacking the key', world: { namespaces: { y: { env: 'prod' }, z: {} }, policies: [pol('x/p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }] }] })] }, flows: ['allow z/a -> x/a', 'allow x/b -> x/a', 'deny y/a -> x/a ~ namespace y has env=prod, needs env notin (prod)'] },
  { rule: 8, name: 'the policy podSelector uses matchExpressions too (DoesNotExist)', world: { pods: [{ id: 'x/a', labels: {} }, { id: 'x/b', labels: { locked: 'no' } }, { id: 'x/c' }], policies: [pol('x/p', { podSelector: { matchExpressions: [{ key: 'locked', operator: 'DoesNotExist' }] }, policyTypes: ['Ingress'] })] }, flows: ['deny x/b -> x/a ~ ingress of x/a isolated by x/p, which has no ingress rules', 'allow x/a -> x/b'] },
  // Rule 9: ipBlock.
  { rule: 9, name: 'ipBlock cidr minus except, for externals', world: { externals: [{ name: 'in', ip: '192.0.2.10' }, { name: 'out', ip: '192.0.2.200' }, { name: 'far', ip: '198.51.100.1' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }] }] })] }, flows: ['allow x/a -> in:443 ~ egress by x/p rule 1; no ingress side', 'deny x/a -> out:443 [egress] ~ 192.0.2.200 is in ipBlock 192.0.2.0/24 but in its except 192.0.2.128/25', 'deny x/a -> far:443 ~ 198.51.100.1 is outside ipBlock 192.0.2.0/24'] },
  { rule: 9, name: 'ipBlock matches pod IPs (standard profile)', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.0.11/32'] } }] }] })] }, flows: ['allow y/a -> x/a', 'deny x/b -> x/a', 'allow x/a -> x/a'] },
  { rule: 9, name: 'ipBlock does not match pod IPs under the Cilium-like profile', options: { ipBlockMatchesPods: false }, world: { externals: [{ name: 'ext', ip: '10.244.200.1' }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16' } }] }], egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16' } }] }] })] }, flows: ['deny y/a -> x/a ~ ipBlock 10.244.0.0/16 does not match pods under this CNI profile', 'deny x/a -> y/a [egress]', 'allow x/a -> ext:443'] },
  { rule: 9, name: 'egress ipBlock to a pod IP, host CIDR', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.244.0.13/32' } }] }] })] }, flows: ['allow x/a -> y/a', 'deny x/a -> y/b'] },
  { rule: 9, name: 'selectors never match externals', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }, { podSelector: {} }] }] })] }, flows: ['deny x/a -> partner:443 [egress] ~ 192.0.2.10 is outside the cluster, and selectors match pods only', 'allow x/a -> y/c'] },
  { rule: 9, name: 'externals have no ingress side: ingress policies do not matter', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [denyAllIngress('x')] }, flows: ['allow x/a -> partner:443 ~ no ingress side'] },
  { rule: 9, name: 'an IPv6 ipBlock never matches IPv4 addresses', world: { externals: [{ name: 'v6', ip: '2001:db8::10' }, { name: 'v4', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] })] }, flows: ['allow x/a -> v6:443', 'deny x/a -> v4:443', 'deny x/a -> y/a'] },
  { rule: 9, name: 'ipBlock 0.0.0.0/0 with the pod network excepted: externals only', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }] }] })] }, flows: ['allow x/a -> partner:443', 'deny x/a -> y/a'] },
  // Rule 10: Service traffic is judged on the target pod and port.
  { rule: 10, name: 'service-ip probes are judged on the target pod and container port', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'b' }), ingress: [{ from: [{ podSelector: sel({ pod: 'a' }) }], ports: [{ port: 'http' }] }] })] }, flows: ['allow x/a -> x/b:80 by ip', 'deny x/a -> x/b:81 by ip', 'deny x/c -> x/b:80 by ip'] },
  // Rule 11: DNS dependency.
  { rule: 11, name: 'service-name probe without DNS egress is blocked by DNS only', world: { policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['deny x/a -> x/b:80 by name [dns] ~ DNS lookup blocked: egress of x/a isolated by x/p', 'allow x/a -> x/b:80', 'deny x/a -> dns [egress]'] },
  { rule: 11, name: 'allowing 53/UDP egress makes service names work', world: { policies: [denyAllEgress('x'), allowDnsEgress('x'), pol('x/to-b', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/a -> x/b:80 by name ~ DNS lookup allowed', 'allow x/a -> dns ~ egress by x/allow-dns rule 1', 'deny x/a -> x/c:80 by name [egress]'] },
  { rule: 11, name: 'DNS over 53/TCP only does not satisfy the lookup', world: { policies: [denyAllEgress('x'), pol('x/dns-tcp', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }] })] }, flows: ['deny x/a -> dns', 'deny x/a -> x/b:53/UDP [egress]'] },
  { rule: 11, name: 'egress to the DNS pods by namespace and pod label, with the named port dns/UDP', world: { policies: [denyAllEgress('x'), pol('x/dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }), podSelector: sel({ 'k8s-app': 'kube-dns' }) }], ports: [{ port: 'dns', protocol: 'UDP' }] }] })] }, flows: ['allow x/a -> dns', 'deny x/a -> y/a:53/UDP'] },
  { rule: 11, name: 'a policy isolating the DNS pods ingress blocks lookups', world: { namespaces: { 'kube-system': {} }, policies: [pol('kube-system/lock', { podSelector: sel({ 'k8s-app': 'kube-dns' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }] }] })] }, flows: ['deny x/a -> dns [ingress] ~ ingress of kube-system/dns isolated by kube-system/lock; closest: kube-system/lock rule 1: namespace x has ns=x, needs ns=y', 'allow y/a -> dns', 'deny x/a -> x/b:80 by name [dns]', 'allow y/a -> x/b:80 by name'] },
  { rule: 11, name: 'pod-ip probes do not need DNS', world: { policies: [denyAllEgress('x'), pol('x/to-b', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: sel({ pod: 'b' }) }] }] })] }, flows: ['allow x/a -> x/b:80', 'allow x/a -> x/b:80 by ip', 'deny x/a -> x/b:80 by name [dns]'] },
  { rule: 11, name: 'a denied connection by name names the connection as blocker, and the DNS too', world: { policies: [denyAllEgress('x')] }, flows: ['deny x/a -> y/b:80 by name [egress] ~ DNS lookup blocked ~ DNS: x/a reaches y/b by its Service name, so it must first look the name up'] },
  { rule: 11, name: 'a custom DNS spec: the DNS pods are found by its namespace and labels', world: { dns: { namespace: 'dns-system', labels: { app: 'coredns' } }, policies: [denyAllEgress('x'), pol('x/dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'dns-system' }), podSelector: sel({ app: 'coredns' }) }] }] })] }, flows: ['allow x/a -> dns', 'deny x/a -> y/a'] },
  { rule: 11, name: 'a lookup over TCP needs egress to a DNS pod on 53/TCP', world: { policies: [denyAllEgress('x'), allowDnsEgress('x')] }, flows: ['allow x/a -> dns', 'deny x/a -> dns:53/TCP [egress] ~ DNS lookup over TCP blocked ~ 53/TCP is not 53/UDP ~ a lookup of a Service name over TCP'] },
  { rule: 11, name: 'and the DNS pod\'s ingress on 53/TCP', world: { namespaces: { 'kube-system': {} }, policies: [pol('kube-system/lock', { podSelector: sel({ 'k8s-app': 'kube-dns' }), ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })] }, flows: ['allow x/a -> dns', 'deny x/a -> dns:53/TCP [ingress] ~ ingress of kube-system/dns isolated by kube-system/lock'] },
  { rule: 11, name: 'the DNS pod\'s named port dns-tcp admits lookups over TCP only', world: { policies: [pol('x/dns-tcp', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'dns-tcp', protocol: 'TCP' }] }] })] }, flows: ['allow x/a -> dns:53/TCP ~ port dns-tcp/TCP (= 53/TCP on kube-system/dns)', 'deny x/a -> dns [egress]'] },
  // Rules 3, 5, 9 from outside: an external client has no egress side; only ipBlock peers of the target's ingress match it.
  { rule: 9, name: 'an external client is admitted by an ingress ipBlock and refused by its except, by port', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }, { name: 'stranger', ip: '192.0.2.200' }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }], ports: [{ port: 80 }] }] })] }, flows: ['allow partner -> x/a:80 ~ no egress side (partner (192.0.2.10) is outside the cluster) ~ ingress by x/p rule 1 ~ is outside the cluster: no egress side', 'deny stranger -> x/a:80 [ingress] ~ 192.0.2.200 is in ipBlock 192.0.2.0/24 but in its except 192.0.2.128/25', 'deny partner -> x/a:81 [ingress] ~ 81/TCP is not 80/TCP', 'allow stranger -> x/b:80 ~ ingress not isolated', 'deny y/a -> x/a:80 [ingress]'] },
  { rule: 5, name: 'selectors never match an external client: namespaceSelector {} admits every pod and no client', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [pol('x/p', { podSelector: sel({ pod: 'a' }), ingress: [{ from: [{ namespaceSelector: {} }] }] })] }, flows: ['allow z/c -> x/a', 'deny partner -> x/a:80 [ingress] ~ partner (192.0.2.10) is outside the cluster, and selectors match pods only'] },
  { rule: 3, name: 'an egress deny-all does not stop an external client reaching the pod: the flow has no egress side', world: { externals: [{ name: 'partner', ip: '192.0.2.10' }], policies: [denyAllEgress('x')] }, flows: ['allow partner -> x/a:80 ~ verdict: allowed (ingress allows it)', 'deny x/a -> x/b [egress]'] },
  // Rule 12: self-traffic. Kubernetes documents "a pod cannot block access to itself".
  { rule: 12, name: 'a pod cannot block access to itself: its own ingress deny-all does not', world: { policies: [denyAllIngress('x')] }, flows: ['allow x/a -> x/a ~ a pod cannot block access to itself', 'deny x/b -> x/a [ingress]'] },
  { rule: 12, name: 'nor its own egress deny-all', world: { policies: [denyAllEgress('x')] }, flows: ['allow x/a -> x/a', 'deny x/a -> x/b [egress]'] },
  { rule: 12, name: 'a profile that judges self-traffic like any flow (hairpin enforced)', options: { selfTrafficAllowed: false }, world: { policies: [denyAllIngress('x')] }, flows: ['deny x/a -> x/a [ingress]'] },
  { rule: 12, name: 'judged like any flow, self-traffic is allowed when its own policies allow its labels', options: { selfTrafficAllowed: false }, world: { policies: [denyAllEgress('x'), pol('x/self', { podSelector: sel({ pod: 'a' }), policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: sel({ pod: 'a' }) }] }], egress: [{ to: [{ podSelector: sel({ pod: 'a' }) }] }] })] }, flows: ['allow x/a -> x/a', 'deny x/b -> x/a', 'deny x/a -> x/b [egress]'] },
  // Rule 3 under a profile whose pod firewall runs every policy selecting the pod in both
  // directions (kube-router before 1.3): the case union-ingress-and-egress-policies.
  { rule: 3, name: 'standard: an ingress policy selecting the source never opens its egress', world: { policies: unionInOut({}, [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }]) }, flows: ['deny x/b -> x/a:80 [egress] ~ egress of x/b isolated by x/out', 'deny x/b -> x/a:81 [egress]', 'allow x/b -> x/c'] },
  { rule: 3, name: 'both directions: an ingress rule of a policy selecting both ends, admitting the source, opens its egress', options: ACROSS, world: { policies: unionInOut({}, [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }]) }, flows: [
    'allow x/b -> x/a:80 ~ egress by ingress rule 1 of x/in: this CNI profile runs every policy selecting a pod in both directions, and x/in selects both x/b and x/a; ingress by x/in rule 1 ~ allowed by ingress rule 1 of x/in, as this CNI profile runs every policy selecting a pod in both directions (x/in selects both x/b and x/a): ~ from: its peer (namespaceSelector {ns=x}) matches',
    'allow x/b -> x/a:81',
    'allow x/b -> x/c ~ egress by x/out rule 1;',
    'deny x/b -> y/a [egress] ~ egress of x/b isolated by x/out; closest: x/out rule 1',
    'deny y/a -> x/a [ingress]',
    'allow x/a -> x/b ~ egress not isolated; ingress by x/in rule 1',
  ] },
  { rule: 3, name: 'both directions, the ingress side: an egress rule of a policy selecting both ends, admitting the destination, opens its ingress', options: ACROSS, world: { policies: [pol('x/in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: sel({ pod: 'c' }) }] }] }), pol('x/out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] })] }, flows: [
    'allow x/b -> x/a:80 ~ ingress by egress rule 1 of x/out, port http/TCP (= 80/TCP on x/a): this CNI profile runs every policy selecting a pod in both directions, and x/out selects both x/b and x/a ~ to: its peer (podSelector {}) matches',
    'deny x/b -> x/a:81 [egress] ~ ingress of x/a isolated by x/in; closest: x/in rule 1: pod x/b has pod=b, needs pod=c',
    'allow x/c -> x/a:81 ~ ingress by x/in rule 1',
    'deny y/b -> x/a:80 [ingress]',
  ] },
  { rule: 3, name: 'the same ingress-side world under standard semantics denies at ingress', world: { policies: [pol('x/in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: sel({ pod: 'c' }) }] }] }), pol('x/out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] })] }, flows: ['deny x/b -> x/a:80 [ingress]'] },
  { rule: 3, name: 'both directions change nothing when the policy does not select the destination', options: ACROSS, world: { policies: unionInOut({ pod: 'b' }, [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }]) }, flows: ['deny x/b -> x/a:80 [egress] ~ egress of x/b isolated by x/out', 'allow x/b -> x/c', 'allow x/a -> x/b'] },
  { rule: 3, name: 'nor when it does not select the source', options: ACROSS, world: { policies: unionInOut({ pod: 'a' }, [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }]) }, flows: ['deny x/b -> x/a:80 [egress] ~ egress of x/b isolated by x/out', 'allow x/c -> x/a'] },
  { rule: 3, name: 'nor when its rule does not admit the pod itself', options: ACROSS, world: { policies: unionInOut({}, [{ from: [{ namespaceSelector: sel({ ns: 'y' }) }] }]) }, flows: ['deny x/b -> x/a:80 [egress]', 'allow y/a -> x/a'] },
  // Rule 7 under a profile that resolves the named ports of an egress rule without `to` in the
  // policy's namespace (kube-router): the case named-port-egress-tcp.
  { rule: 7, name: 'standard: an egress named port without `to` resolves on each destination', world: { pods: namedPortPods(['x', 'y', 'z']), policies: [egressWebOfA()] }, flows: ['deny x/a -> x/b:80 [egress] ~ 80/TCP is not web/TCP (= 81/TCP on x/b)', 'allow x/a -> y/b:81', 'deny x/a -> y/a:81 [egress]'] },
  { rule: 7, name: 'by namespace: an egress named port without `to` opens its numbers in the policy namespace towards every destination', options: BY_NAMESPACE, world: { pods: namedPortPods(['x', 'y', 'z']), policies: [egressWebOfA()] }, flows: [
    'allow x/a -> x/b:80 ~ egress by x/named rule 1, port web/TCP (= 80/TCP or 81/TCP in namespace x: this CNI profile resolves a named port of an egress rule without `to` in the policy\'s namespace and opens it to every destination)',
    ...['x/c:81', 'y/a:81', 'y/b:80', 'y/c:81', 'z/a:81', 'z/b:80', 'z/c:81'].map((t) => `allow x/a -> ${t}`),
    'allow x/a -> y/a:80',
    'allow x/a -> y/b:81',
    'deny x/a -> y/c:80/UDP [egress] ~ 80/UDP is not web/TCP (= 80/TCP or 81/TCP in namespace x',
  ] },
  { rule: 7, name: 'by namespace: a name no pod of the policy namespace serves opens nothing, even where the destination serves it', options: BY_NAMESPACE, world: { pods: [{ id: 'x/a', labels: { pod: 'a' }, ports: [] }, { id: 'y/b', ports: [{ port: 8080, protocol: 'TCP', name: 'web' }] }], policies: [egressWebOfA()] }, flows: ['deny x/a -> y/b:8080 [egress] ~ 8080/TCP is not web/TCP (no pod of namespace x serves it'] },
  { rule: 7, name: 'by namespace: a rule with `to` still resolves on the destination', options: BY_NAMESPACE, world: { pods: namedPortPods(['x', 'y']), policies: [egressWebOfA([{ to: [{ namespaceSelector: {} }], ports: [{ port: 'web' }] }])] }, flows: ['deny x/a -> x/b:80 [egress] ~ 80/TCP is not web/TCP (= 81/TCP on x/b)', 'allow x/a -> y/b:81 ~ port web/TCP (= 81/TCP on y/b)'] },
  // Rules 2+3 across namespaces.
  { rule: 2, name: 'additive across namespaces: egress in x and ingress in y both needed', world: { policies: [denyAllEgress('x'), denyAllIngress('y'), pol('x/out', { podSelector: sel({ pod: 'a' }), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: sel({ ns: 'y' }) }] }] }), pol('y/in', { podSelector: sel({ pod: 'b' }), ingress: [{ from: [{ namespaceSelector: sel({ ns: 'x' }) }] }] })] }, flows: ['allow x/a -> y/b', 'deny x/a -> y/c [ingress]', 'deny x/b -> y/b [egress]', 'allow y/a -> z/a'] },
];

/** `allow|deny <probe> [blocker] ~ fragment ~ fragment`: each fragment is in the reason or the explanation. */
function parseFlow(text: string): { verdict: 'allow' | 'deny'; probe: string; blocker?: string; fragments: string[] } {
  const [head, ...fragments] = text.split(' ~ ') as [string, ...string[]];
  const m = /^(allow|deny) (.*?)(?: \[(egress|ingress|dns)\])?$/.exec(head);
  if (!m) throw new Error(`bad flow ${text}`);
  const out: { verdict: 'allow' | 'deny'; probe: string; blocker?: string; fragments: string[] } = { verdict: m[1] as 'allow' | 'deny', probe: m[2]!, fragments };
  if (m[3]) out.blocker = m[3];
  return out;
}

describe('simulator conformance (DESIGN NetworkPolicy v1 semantics)', () => {
  for (const row of ROWS) {
    it(`rule ${row.rule}: ${row.name}`, () => {
      const world = buildWorld(row.world, row.options ?? {});
      for (const text of row.flows) {
        const f = parseFlow(text);
        const probe = world.probe(f.probe);
        const prediction = predict(world.compiled, probe);
        const { describe, explain } = explainers(world.compiled, world.state);
        const reason = describe(prediction, probe);
        const explanation = explain(prediction, probe);
        const ctx = `${text}\n  reason: ${reason}\n${explanation.join('\n')}`;
        expect(prediction.allowed ? 'allow' : 'deny', ctx).to.equal(f.verdict);
        expect(reason.startsWith(f.verdict === 'allow' ? 'allowed: ' : 'denied: '), ctx).to.equal(true);
        if (f.verdict === 'allow') expect(prediction.blocker, ctx).to.equal(undefined);
        if (f.blocker) expect(prediction.blocker, ctx).to.equal(f.blocker);
        for (const fragment of f.fragments) expect(`${reason}\n${explanation.join('\n')}`, ctx).to.include(fragment);
        expect(explanation.length, ctx).to.be.greaterThan(2);
      }
    });
  }

  it('covers every semantic rule 1-12 with at least one row', () => {
    const covered = new Set(ROWS.map((r) => r.rule));
    for (let rule = 1; rule <= 12; rule++) expect(covered.has(rule), `rule ${rule}`).to.equal(true);
  });
});
