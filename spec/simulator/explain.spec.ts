/**
 * Explanations of recipe-style cases (the patterns of public NetworkPolicy recipe
 * collections), loaded from YAML so `file:line` and the quoted rules are real: for a denial
 * the closest rule of each isolating policy, quoted, and the part of it that fails.
 */
import { expect } from 'chai';
import { planProbes } from '../../src/probe/plan-probes.js';
import type { Probe } from '../../src/probe/types.js';
import { resolveState } from '../../src/run/resolve-state.js';
import { loadScenarioSource } from '../../src/scenario/load-scenario.js';
import { stepStates } from '../../src/scenario/step-states.js';
import type { Scenario } from '../../src/scenario/types.js';
import { explainers } from '../../src/simulator/explain.js';
import { explainProbe } from '../../src/simulator/explain-flow.js';
import { planTopology } from '../../src/simulator/plan-topology.js';
import { compileState, predict } from '../../src/simulator/simulate.js';
import { buildWorld } from './world.js';
import { readerOf } from '../scenario/fixtures.js';

const MANIFESTS: Readonly<Record<string, string>> = {
  'recipes/allow-ops.yaml': `# only the operations team's namespaces may scrape the web pods
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-ops
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: operations
      ports:
        - port: http
`,
  'recipes/api-allowlist.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-allowlist
spec:
  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: bookstore
    - ports:
        - port: 5000
    - from:
        - namespaceSelector:
            matchLabels:
              team: operations
          podSelector:
            matchLabels:
              app: bookstore
      ports:
        - port: 5000
`,
};

const SCENARIO = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: recipes}
spec:
  namespaces:
    - {name: default}
    - {name: monitoring, labels: {team: operations}}
  workloads:
    - {name: web, namespace: default, labels: {app: web}, ports: [{port: 80, name: http}]}
    - {name: test, namespace: default, labels: {run: test}}
    - {name: api, namespace: default, labels: {app: api}, ports: [{port: 80}, {port: 5000}]}
    - {name: shop, namespace: default, labels: {app: shop}}
    - {name: scraper, namespace: monitoring, labels: {app: scraper}}
    - {name: gateway, namespace: monitoring, labels: {app: gateway}}
  externals:
    - {name: partner, ip: 192.0.2.200, ports: [{port: 443}]}
  steps:
    - name: recipes
      apply:
        - file: recipes/allow-ops.yaml
          namespace: default
        - file: recipes/api-allowlist.yaml
          namespace: default
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: egress-lockdown, namespace: monitoring}
          spec:
            podSelector: {matchLabels: {app: gateway}}
            policyTypes: [Egress]
            egress:
              - to:
                  - ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}
              - ports: [{port: 80, protocol: UDP}]
      expect:
        - deny test -> web
        - allow scraper -> web
        - allow shop -> api:80
`;

function load(): Scenario {
  const result = loadScenarioSource(SCENARIO, 'recipes.yaml', readerOf(MANIFESTS));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.scenario;
}

const scenario = load();
const topology = planTopology(scenario);
const state = resolveState(stepStates(scenario)[0]!, topology);
const compiled = compileState(state, topology);
const probes = planProbes(scenario, state, scenario.steps[0]!.probe, topology);
const { describe: describeProbe, explain } = explainers(compiled, state);

function probe(key: string): Probe {
  const found = probes.find((p) => p.key === key);
  if (!found) throw new Error(`no probe ${key}; have ${probes.map((p) => p.key).join(', ')}`);
  return found;
}

function explainKey(key: string): { reason: string; lines: readonly string[]; text: string } {
  const p = probe(key);
  const prediction = predict(compiled, p);
  const lines = explain(prediction, p);
  return { reason: describeProbe(prediction, p), lines, text: lines.join('\n') };
}

interface Case {
  readonly name: string;
  readonly key: string;
  /** Fragments of the one-line reason. */
  readonly reason: readonly string[];
  /** Fragments of the full explanation. */
  readonly explanation: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'namespace labels: the peer needs team=operations, the namespace has none',
    key: 'default/test -> default/web:80/TCP',
    reason: ['denied: ingress of default/web isolated by default/allow-ops', 'closest: default/allow-ops rule 1 (recipes/allow-ops.yaml:11): namespace default lacks team=operations'],
    explanation: [
      'default/allow-ops: closest is rule 1 (recipes/allow-ops.yaml:11), which fails on one part:',
      '11 │ - from:',
      '14 │           team: operations',
      '16 │     - port: http',
      'from: its peer (namespaceSelector {team=operations}) does not match: namespace default lacks team=operations',
      'ports: 80/TCP matches http/TCP (= 80/TCP on default/web)',
      'verdict: denied at the ingress of default/web',
    ],
  },
  {
    name: 'allowed through a named port: the port is shown resolved',
    key: 'monitoring/scraper -> default/web:80/TCP',
    reason: ['allowed: egress not isolated; ingress by default/allow-ops rule 1 (recipes/allow-ops.yaml:11), port http/TCP (= 80/TCP on default/web)'],
    explanation: ['allowed by default/allow-ops rule 1 (recipes/allow-ops.yaml:11):', 'from: its peer (namespaceSelector {team=operations}) matches', 'ports: 80/TCP matches http/TCP (= 80/TCP on default/web)'],
  },
  {
    name: 'pod labels or port: the rules failing on fewest parts are shown, a rule failing on more is not',
    key: 'default/shop -> default/api:80/TCP',
    reason: ['closest: default/api-allowlist rule 1 (recipes/api-allowlist.yaml:10): pod default/shop has app=shop, needs app=bookstore'],
    explanation: [
      'default/api-allowlist: closest are rules 1 and 2, which fail on one part each:',
      'from: its peer (podSelector {app=bookstore}) does not match: pod default/shop has app=shop, needs app=bookstore',
      '10 │ - from:',
      '14 │ - ports:',
      'ports: 80/TCP is not 5000/TCP',
    ],
  },
  {
    name: 'port: a rule for every source on another port admits that port',
    key: 'monitoring/scraper -> default/api:5000/TCP',
    reason: ['ingress by default/api-allowlist rule 2 (recipes/api-allowlist.yaml:14)'],
    explanation: ['allowed by default/api-allowlist rule 2 (recipes/api-allowlist.yaml:14):', '14 │ - ports:', 'from: every source (the rule has no `from`)', 'ports: 5000/TCP matches 5000/TCP'],
  },
  {
    name: 'ipBlock except: the address is cut out of the block',
    key: 'monitoring/gateway -> partner:443/TCP',
    reason: ['closest: monitoring/egress-lockdown rule 1 (recipes.yaml:31): 192.0.2.200 is in ipBlock 192.0.2.0/24 but in its except 192.0.2.128/25'],
    explanation: ['31 │ - to:', '32 │     - ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.128/25]}', 'to: its peer (ipBlock 192.0.2.0/24 except 192.0.2.128/25) does not match'],
  },
  {
    name: 'protocol: a rule on 80/UDP does not admit 80/TCP',
    key: 'monitoring/gateway -> default/web:80/TCP',
    reason: ['closest: monitoring/egress-lockdown rule 1 (recipes.yaml:31): 10.244.0.10 is outside ipBlock 192.0.2.0/24'],
    explanation: ['monitoring/egress-lockdown: closest are rules 1 and 2, which fail on one part each:', '33 │ - ports: [{port: 80, protocol: UDP}]', 'ports: 80/TCP is not 80/UDP'],
  },
  {
    name: 'the DNS dependency is spelled out',
    key: 'monitoring/gateway -> dns:53/UDP',
    reason: ['denied: DNS lookup blocked: egress of monitoring/gateway isolated by monitoring/egress-lockdown'],
    explanation: ['a lookup of a Service name: monitoring/gateway must reach a DNS pod (kube-system/dns) on 53/UDP, and that pod must admit it', 'ports: 53/UDP is not 80/UDP'],
  },
];

describe('simulator/explain: recipe-style cases', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { reason, text } = explainKey(c.key);
      for (const fragment of c.reason) expect(reason, text).to.include(fragment);
      for (const fragment of c.explanation) expect(text, reason).to.include(fragment);
    });
  }

  it('a probe by Service name spells out the lookup it needs', () => {
    const { text } = explainKey('monitoring/gateway -> default/api:80/TCP');
    expect(text).to.include('DNS: monitoring/gateway reaches default/api by its Service name, so it must first look the name up: egress to a DNS pod (kube-system/dns) on 53/UDP');
    expect(text).to.include("and that pod's ingress: BLOCKED");
  });

  it('structured: per isolating policy the rules failing on fewest parts, each part a value', () => {
    const p = probe('default/shop -> default/api:80/TCP');
    const ingress = explainProbe(compiled, p, predict(compiled, p)).flow.ingress!;
    const [miss] = ingress.misses!;
    expect(miss!.closest.map((c) => [c.rule, c.misses])).to.deep.equal([[0, 1], [1, 1]]);
    expect(miss!.closest[0]!.peer!.misses).to.deep.equal([
      { kind: 'pod-labels', pod: 'default/shop', selector: { matchLabels: { app: 'bookstore' } }, unmet: [{ wanted: 'app=bookstore', key: 'app', actual: 'shop' }], labels: { app: 'shop' } },
    ]);
    expect(miss!.closest[1]!.portMissed).to.equal(true);
  });

  it('one peer failing on its namespace labels AND its pod labels fails on two parts', () => {
    const world = buildWorld({
      policies: [{ id: 'x/p', spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'agent' } } }] }] } }],
    });
    const p = world.probe('y/b -> x/a:80');
    const { explain } = explainers(world.compiled, world.state);
    const text = explain(predict(world.compiled, p), p).join('\n');
    expect(text).to.include('x/p: closest is rule 1, which fails on 2 parts:');
    expect(text).to.include('from: its peer (namespaceSelector {team=ops} AND podSelector {app=agent}) does not match: namespace y lacks team=ops; pod y/b lacks app=agent');
  });

  it('numbers rules, peers and ports from 1 and names no internal document', () => {
    for (const p of probes) {
      const { reason, text } = explainKey(p.key);
      expect(`${reason}\n${text}`, p.key).to.not.match(/DESIGN|rule 0|peer 0|port 0\b/);
    }
  });

  it('never contradicts the verdict: an allowed side has no failing part, a denied side names one per policy with rules', () => {
    for (const p of probes) {
      const { reason, lines } = explainKey(p.key);
      const prediction = predict(compiled, p);
      expect(reason.startsWith(prediction.allowed ? 'allowed:' : 'denied:'), p.key).to.equal(true);
      expect(lines[0], p.key).to.match(prediction.allowed ? /ALLOWED$/ : /DENIED$/);
    }
  });
});
