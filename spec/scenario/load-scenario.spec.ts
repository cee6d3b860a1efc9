import { expect } from 'chai';
import { HINTS, type DiagnosticCode } from '../../src/scenario/diagnostic.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';
import { toPolicyKey } from '../../src/policy/types.js';
import { toWorkloadRef } from '../../src/scenario/types.js';
import { AGENT_CANDIDATES } from '../../src/probe/agent-ports.js';
import { MAX_NESTING_DEPTH, MAX_WORKLOADS } from '../../src/scenario/limits.js';
import type { ReadFailure } from '../../src/scenario/read-input.js';
import { SCENARIO_FILE, lineCol, load, policyStep, positions, scenarioText, unmark } from './fixtures.js';

interface Row {
  readonly code: DiagnosticCode;
  readonly what: string;
  readonly scenario: string;
  /** Manifests by name (relative to the project, i.e. `scn/...`); may hold the `@@` marker. */
  readonly files?: Readonly<Record<string, string>>;
  /** Manifests the reader refuses, by name, and why. */
  readonly refused?: Readonly<Record<string, ReadFailure>>;
}

/** `n` workloads `w0`..`w<n-1>` in the scenario's one namespace; `@@` before the last. */
function manyWorkloads(n: number): string {
  return Array.from({ length: n }, (_, i) => `    - ${i === n - 1 ? '@@' : ''}{name: w${i}}`).join('\n');
}

const TWO_NAMESPACES = { namespaces: '[{name: a}, {name: b}]', workloads: '    - {name: web, namespace: a}\n    - {name: web, namespace: b}' };
const step = (body: string): string => `    - name: s\n${body}`;

/** One row per code the loader emits; `@@` marks where the diagnostic must start. */
const ROWS: readonly Row[] = [
  { code: 'YAML_SYNTAX', what: 'duplicate key', scenario: scenarioText(step('      expect: []')).replace('metadata: {name: demo}', 'metadata: {name: demo, @@name: x}') },
  { code: 'YAML_SYNTAX', what: 'two documents', scenario: `${scenarioText(step('      expect: []'))}@@---\nkind: x\n` },
  { code: 'UNKNOWN_KEY', what: 'misspelled policy key', scenario: scenarioText(policyStep('{podSelector: {}, @@ingres: []}')) },
  { code: 'UNKNOWN_KEY', what: 'misspelled port key', scenario: scenarioText(policyStep('{podSelector: {}, egress: [{ports: [{port: 53, @@protoco: UDP}]}]}')) },
  { code: 'UNKNOWN_KEY', what: 'misspelled step key', scenario: scenarioText(step('      @@expects: []')) },
  { code: 'MISSING_KEY', what: 'step without name', scenario: scenarioText('    - @@expect: []') },
  { code: 'MISSING_KEY', what: 'policy without podSelector', scenario: scenarioText(policyStep('{policyTypes: [Ingress]}')).replace('spec: {policyTypes', '@@spec: {policyTypes') },
  { code: 'MISSING_KEY', what: 'label change names neither', scenario: scenarioText(step('      label: [@@{labels: {a: b}}]')) },
  { code: 'MISSING_KEY', what: 'empty file', scenario: '@@' },
  { code: 'INVALID_VALUE', what: 'probe target', scenario: scenarioText(step('      probe: {target: @@pods}')) },
  { code: 'INVALID_VALUE', what: 'wrong apiVersion', scenario: scenarioText(step('      expect: []')).replace('apiVersion: netpol-harness/v1alpha1', 'apiVersion: @@v1') },
  { code: 'INVALID_VALUE', what: 'no steps', scenario: scenarioText('').replace('  steps:\n', '  steps: @@[]\n') },
  { code: 'INVALID_VALUE', what: 'external ip', scenario: scenarioText(step('      expect: []')).replace('ip: 192.0.2.10', 'ip: @@192.0.2') },
  { code: 'INVALID_VALUE', what: 'namespace name label changed', scenario: scenarioText(step('      label: [{namespace: demo, labels: {kubernetes.io/metadata.name: @@x}}]')) },
  { code: 'INVALID_TYPE', what: 'timeout as text', scenario: scenarioText(step('      probe: {timeoutSeconds: @@fast}')) },
  { code: 'INVALID_TYPE', what: 'port as boolean', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{port: @@true}]}]}')) },
  { code: 'INVALID_TYPE', what: 'label value as number', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, labels: {app: @@1}}' }) },
  { code: 'DUPLICATE_NAME', what: 'workload twice', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web}\n    - {name: @@web}' }) },
  { code: 'DUPLICATE_NAME', what: 'port name twice', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80, name: http}, {port: 81, name: @@http}]}' }) },
  { code: 'DUPLICATE_NAME', what: 'policy twice in a step', scenario: scenarioText(`${policyStep('{podSelector: {}}')}\n        - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: @@p}, spec: {podSelector: {}}}`) },
  { code: 'UNKNOWN_NAMESPACE', what: 'workload namespace', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, namespace: @@nope}' }) },
  { code: 'UNKNOWN_NAMESPACE', what: 'defaultNamespace', scenario: scenarioText(step('      expect: []'), { extra: '  defaultNamespace: @@nope' }) },
  { code: 'UNKNOWN_NAMESPACE', what: 'policy namespace', scenario: scenarioText(policyStep('{podSelector: {}}', '{name: p, namespace: @@nope}')) },
  { code: 'UNKNOWN_NAMESPACE', what: 'expectation namespace', scenario: scenarioText(step('      expect: [allow @@nope/* -> *]')) },
  { code: 'UNKNOWN_WORKLOAD', what: 'expectation source', scenario: scenarioText(step('      expect: [allow @@nobody -> web]')) },
  { code: 'UNKNOWN_WORKLOAD', what: 'expectation target', scenario: scenarioText(step('      expect: ["deny web -> @@demo/nobody:80"]')) },
  { code: 'UNKNOWN_WORKLOAD', what: 'label change', scenario: scenarioText(step('      label: [{workload: @@nobody, labels: {a: b}}]')) },
  { code: 'UNKNOWN_WORKLOAD', what: 'placeholder', scenario: scenarioText(policyStep('{podSelector: {}, egress: [{to: [{ipBlock: {cidr: "@@${cidr:demo/nobody}"}}]}]}')) },
  { code: 'AMBIGUOUS_WORKLOAD', what: 'short name in two namespaces', scenario: scenarioText(step('      expect: [allow @@web -> *]'), TWO_NAMESPACES) },
  { code: 'UNKNOWN_POLICY', what: 'delete of a policy never applied', scenario: scenarioText(step('      delete: [@@demo/none]')) },
  { code: 'UNKNOWN_POLICY', what: 'delete in the step that applies it', scenario: scenarioText(`${policyStep('{podSelector: {}}')}\n      delete: [@@demo/p]`) },
  { code: 'UNKNOWN_PORT', what: 'named port the target lacks', scenario: scenarioText(step('      expect: ["allow web -> db:@@http"]')) },
  { code: 'UNKNOWN_PORT', what: 'dns on tcp', scenario: scenarioText(step('      expect: ["allow web -> dns:@@53/tcp"]')) },
  { code: 'NAMESPACE_REQUIRED', what: 'workload without namespace', scenario: scenarioText(step('      expect: []'), { namespaces: '[{name: a}, {name: b}]', workloads: '    - {name: @@web}' }) },
  { code: 'NAMESPACE_REQUIRED', what: 'policy without namespace', scenario: scenarioText(policyStep('{podSelector: {}}', '@@{name: p}'), { namespaces: '[{name: a}, {name: b}]', workloads: '    - {name: web, namespace: a}' }) },
  { code: 'NOT_A_NETWORK_POLICY', what: 'a Deployment', scenario: scenarioText(policyStep('{}').replace('kind: NetworkPolicy', 'kind: @@Deployment')) },
  { code: 'NOT_A_NETWORK_POLICY', what: 'an old apiVersion', scenario: scenarioText(policyStep('{podSelector: {}}').replace('apiVersion: networking.k8s.io/v1', 'apiVersion: @@extensions/v1beta1')) },
  { code: 'INVALID_TYPE', what: 'an apply entry that is text', scenario: scenarioText(step('      apply: [@@hello]')) },
  { code: 'INVALID_EXPECTATION', what: 'verdict', scenario: scenarioText(step('      expect: [@@maybe web -> db]')) },
  { code: 'INVALID_EXPECTATION', what: 'no arrow', scenario: scenarioText(step('      expect: [@@allow web db]')) },
  { code: 'INVALID_EXPECTATION', what: 'protocol without port', scenario: scenarioText(step('      expect: ["allow web -> db@@/udp"]')) },
  { code: 'INVALID_EXPECTATION', what: 'an external that is no client as a source', scenario: scenarioText(step('      expect: [allow @@partner -> web]')) },
  { code: 'INVALID_VALUE', what: 'a DNS protocol other than UDP and TCP', scenario: scenarioText(step('      expect: []'), { extra: '  probe: {dnsProtocols: [UDP, @@SCTP]}' }) },
  { code: 'INVALID_VALUE', what: 'no DNS protocol', scenario: scenarioText(step('      expect: []'), { extra: '  probe: {dnsProtocols: @@[]}' }) },
  { code: 'INVALID_TYPE', what: 'client as text', scenario: scenarioText(step('      expect: []')).replace('ports: [{port: 443, name: https}]}]', 'ports: [{port: 443, name: https}], client: @@yes}]') },
  { code: 'UNKNOWN_KEY', what: 'dnsProtocols on a step (scenario-wide only)', scenario: scenarioText(step('      probe: {@@dnsProtocols: [TCP]}')) },
  { code: 'INVALID_PLACEHOLDER', what: 'ip without workload', scenario: scenarioText(policyStep('{podSelector: {}, egress: [{to: [{ipBlock: {cidr: "@@${ip:demo}/32"}}]}]}')) },
  { code: 'FILE_NOT_FOUND', what: 'manifest', scenario: scenarioText(step('      apply: [{file: @@missing.yaml}]')) },
  { code: 'INVALID_NAME', what: 'scenario name', scenario: scenarioText(step('      expect: []')).replace('{name: demo}', '{name: @@Demo}') },
  { code: 'INVALID_NAME', what: 'policy name', scenario: scenarioText(policyStep('{podSelector: {}}', '{name: @@P_1}')) },
  { code: 'INVALID_LABEL_KEY', what: 'workload label key', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, labels: {@@"a b": x}}' }) },
  { code: 'INVALID_LABEL_KEY', what: 'policy matchLabels key', scenario: scenarioText(policyStep('{podSelector: {matchLabels: {@@-x: y}}}')) },
  { code: 'INVALID_LABEL_VALUE', what: 'namespace label value', scenario: scenarioText(step('      expect: []'), { namespaces: '[{name: demo, labels: {team: @@-x}}]' }) },
  { code: 'INVALID_SELECTOR', what: 'In without values', scenario: scenarioText(policyStep('{podSelector: {matchExpressions: [{key: app, operator: In, values: @@[]}]}}')) },
  { code: 'INVALID_PORT', what: 'workload port 0', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: @@0}]}' }) },
  { code: 'INVALID_PORT', what: 'expectation port', scenario: scenarioText(step('      expect: ["allow web -> db:@@70000"]')) },
  { code: 'INVALID_PORT', what: 'policy port', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{port: @@65536}]}]}')) },
  { code: 'INVALID_PORT_NAME', what: 'workload port name', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80, name: @@HTTP}]}' }) },
  { code: 'INVALID_PROTOCOL', what: 'workload port protocol', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80, protocol: @@tcp}]}' }) },
  { code: 'INVALID_PROTOCOL', what: 'policy port protocol', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{protocol: @@ICMP}]}]}')) },
  { code: 'INVALID_PROTOCOL', what: 'expectation protocol', scenario: scenarioText(step('      expect: ["allow web -> db:53/@@icmp"]')) },
  { code: 'ENDPORT_WITHOUT_PORT', what: 'endPort alone', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{endPort: @@90}]}]}')) },
  { code: 'ENDPORT_WITH_NAMED_PORT', what: 'endPort on a name', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{port: http, endPort: @@90}]}]}')) },
  { code: 'ENDPORT_BELOW_PORT', what: 'endPort < port', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{ports: [{port: 90, endPort: @@80}]}]}')) },
  { code: 'INVALID_CIDR', what: 'bad cidr', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: @@10.0.0.0/33}}]}]}')) },
  { code: 'EXCEPT_OUTSIDE_CIDR', what: 'except outside', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [@@11.0.0.0/16]}}]}]}')) },
  { code: 'IPBLOCK_WITH_SELECTOR', what: 'ipBlock and podSelector', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{from: [@@{podSelector: {}, ipBlock: {cidr: 10.0.0.0/8}}]}]}')) },
  { code: 'EMPTY_PEER', what: 'empty peer', scenario: scenarioText(policyStep('{podSelector: {}, ingress: [{from: [@@{}]}]}')) },
  { code: 'INVALID_POLICY_TYPE', what: 'bad policy type', scenario: scenarioText(policyStep('{podSelector: {}, policyTypes: [@@ingress]}')) },
  {
    code: 'UNKNOWN_KEY',
    what: 'in a manifest file (names that file)',
    scenario: scenarioText(step('      apply: [{file: m/p.yaml}]')),
    files: { 'scn/m/p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  @@ingres: []\n' },
  },
  {
    code: 'YAML_SYNTAX',
    what: 'in the second document of a manifest',
    scenario: scenarioText(step('      apply: [{file: m/p.yaml, namespace: demo}]')),
    files: { 'scn/m/p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n---\na: 1\n@@a: 2\n' },
  },
  { code: 'FILE_UNREADABLE', what: 'a manifest that is a FIFO', scenario: scenarioText(step('      apply: [{file: @@pipe.yaml}]')), refused: { 'scn/pipe.yaml': { code: 'FILE_UNREADABLE', reason: 'a FIFO (named pipe), not a regular file' } } },
  { code: 'FILE_OUTSIDE_ROOT', what: 'a manifest outside the scenario folder', scenario: scenarioText(step('      apply: [{file: @@../../etc/passwd}]')), refused: { '../etc/passwd': { code: 'FILE_OUTSIDE_ROOT', reason: 'it is outside the folder scn' } } },
  { code: 'LIMIT_EXCEEDED', what: 'too many workloads', scenario: scenarioText(step('      expect: []'), { workloads: manyWorkloads(MAX_WORKLOADS + 1) }) },
  { code: 'LIMIT_EXCEEDED', what: 'too deep', scenario: scenarioText(step('      expect: []')).replace('metadata: {name: demo}', `metadata: {name: demo, description: ${'['.repeat(MAX_NESTING_DEPTH)}@@${'['.repeat(100)}}`) },
  { code: 'RESERVED_NAME', what: 'namespace kube-system', scenario: scenarioText(step('      expect: []'), { namespaces: '[{name: @@kube-system}]' }) },
  { code: 'RESERVED_NAME', what: 'a label key of the harness', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, labels: {@@netpol-harness/workload: x}}' }) },
  { code: 'RESERVED_ADDRESS', what: 'a loopback external', scenario: scenarioText(step('      expect: []')).replace('ip: 192.0.2.10', 'ip: @@127.0.0.1') },
  { code: 'PORT_CONFLICT', what: 'every agent port served', scenario: scenarioText(step('      expect: []'), { workloads: `    - {name: web, ports: @@[${AGENT_CANDIDATES.map((p) => `{port: ${p}}`).join(', ')}]}` }) },
  {
    code: 'NOT_A_NETWORK_POLICY',
    what: 'a ConfigMap in a manifest',
    scenario: scenarioText(step('      apply: [{file: m/p.yaml}]')),
    files: { 'scn/m/p.yaml': 'apiVersion: v1\nkind: @@ConfigMap\nmetadata: {name: c}\n' },
  },
  // Services written on a workload, checked like the API server (and against the served ports).
  { code: 'INVALID_NAME', what: 'Service name starting with a digit (DNS-1035)', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}], services: [{name: @@1web, ports: [{port: 80}]}]}' }) },
  { code: 'INVALID_PORT', what: 'Service port 0', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}], services: [{name: web, ports: [{port: @@0, targetPort: 80}]}]}' }) },
  { code: 'INVALID_PORT_NAME', what: 'named targetPort not an IANA name', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}], services: [{name: web, ports: [{port: 80, targetPort: @@HTTP}]}]}' }) },
  { code: 'UNKNOWN_PORT', what: 'targetPort the workload does not serve', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 8080}], services: [{name: web, ports: [{port: 80, targetPort: @@9090}]}]}' }) },
  { code: 'UNKNOWN_PORT', what: 'named targetPort over another protocol', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 53, name: dns}], services: [{name: web, ports: [{port: 53, protocol: UDP, targetPort: @@dns}]}]}' }) },
  { code: 'MISSING_KEY', what: 'Service port without a name beside another', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}, {port: 81}], services: [{name: web, ports: [@@{port: 80}, {port: 81, name: b}]}]}' }) },
  { code: 'DUPLICATE_NAME', what: 'Service port listed twice', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}], services: [{name: web, ports: [{port: 80, name: a}, {port: @@80, name: b}]}]}' }) },
  { code: 'DUPLICATE_NAME', what: 'Service name used by another workload\'s default Service', scenario: scenarioText(step('      expect: []'), { workloads: '    - {name: web, ports: [{port: 80}]}\n    - {name: api, ports: [{port: 80}], services: [{name: @@web, ports: [{port: 80}]}]}' }) },
  { code: 'INVALID_TYPE', what: 'skipOtherKinds as text', scenario: scenarioText(step('      apply: [{file: m/p.yaml, skipOtherKinds: @@yes}]')), files: { 'scn/m/p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' } },
];

/** Codes the loader cannot emit: NO_SCENARIOS comes from findScenarioFiles; an unknown bare target is UNKNOWN_WORKLOAD (it could be either). */
const NOT_FROM_THE_LOADER: readonly DiagnosticCode[] = ['NO_SCENARIOS', 'UNKNOWN_EXTERNAL'];

describe('scenario/load-scenario: diagnostics, one row per code', () => {
  for (const row of ROWS) {
    it(`${row.code}: ${row.what}`, () => {
      const markedFile = Object.entries(row.files ?? {}).find(([, text]) => text.includes('@@'));
      const [file, marked] = markedFile ? [markedFile[0], unmark(markedFile[1])] : [SCENARIO_FILE, unmark(row.scenario)];
      expect(marked.at, 'fixture has a @@ marker').to.be.at.least(0);
      const result = load(row.scenario, row.files, row.refused);
      expect(result.ok).to.equal(false);
      expect(positions(result)).to.include(`${file}:${lineCol(marked.text, marked.at)} ${row.code}`);
    });
  }

  it('covers every DiagnosticCode (derived from HINTS)', () => {
    const covered = new Set(ROWS.map((r) => r.code));
    const missing = (Object.keys(HINTS) as DiagnosticCode[]).filter((c) => !covered.has(c) && !NOT_FROM_THE_LOADER.includes(c));
    expect(missing).to.deep.equal([]);
  });

  it('reports every problem of a file in one pass, sorted by file then offset', () => {
    const result = load(
      scenarioText(policyStep('{podSelector: {}, ingres: [], egress: [{ports: [{port: 5, endPort: 2}]}]}') + '\n      expect: [maybe a -> b, "allow web -> db:nope"]', {
        workloads: '    - {name: web, ports: [{port: 0}]}\n    - {name: db}',
      }),
    );
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => d.code)).to.deep.equal(['INVALID_PORT', 'UNKNOWN_KEY', 'ENDPORT_BELOW_PORT', 'INVALID_EXPECTATION', 'UNKNOWN_WORKLOAD', 'UNKNOWN_WORKLOAD', 'UNKNOWN_PORT']);
    const starts = result.diagnostics.map((d) => d.range[0]);
    expect(starts).to.deep.equal([...starts].sort((a, b) => a - b));
  });

  it('rewords zod: names the unknown key, where it is, and what is expected', () => {
    const result = load(scenarioText(policyStep('{podSelector: {}, ingres: []}')));
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.message).to.equal('unknown key "ingres" in spec.steps[0].apply[0].spec; expected one of podSelector, policyTypes, ingress, egress');
  });

  it('returns the text of every file read, for rendering', () => {
    const result = load(scenarioText(step('      apply: [{file: m/p.yaml}]')), { 'scn/m/p.yaml': 'kind: ConfigMap\n' });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect([...result.sources.keys()].sort()).to.deep.equal(['scn/demo.yaml', 'scn/m/p.yaml']);
  });

  it('loadScenarioFile: a missing file is one FILE_NOT_FOUND', () => {
    const result = loadScenarioFile('nope/missing.yaml');
    expect(positions(result)).to.deep.equal(['nope/missing.yaml:1:1 FILE_NOT_FOUND']);
  });
});

describe('scenario/load-scenario: a valid scenario', () => {
  const manifests = {
    'scn/m/deny.yaml': '# two objects\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: dns, namespace: other}\nspec: {podSelector: {}, egress: [{ports: [{port: 53, protocol: UDP}]}]}\n---\n',
  };
  const text = scenarioText(
    [
      '    - name: open',
      '      expect: [allow * -> *]',
      '    - name: lock',
      '      apply: [{file: m/deny.yaml, namespace: demo}]',
      '      probe: {target: pod-ip}',
      '      expect: ["deny * -> *", "allow web -> db:pg", "deny demo/* -> partner:https/tcp", "allow other/api -> dns"]',
      '    - name: relabel',
      '      delete: [demo/deny-all]',
      '      label: [{namespace: demo, labels: {stage: prod}}, {workload: web, labels: {app: null, tier: web}}]',
      '      apply:',
      '        - apiVersion: networking.k8s.io/v1',
      '          kind: NetworkPolicy',
      '          metadata: {name: to-db, namespace: demo}',
      '          spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: "${cidr:demo/db}", except: ["${cidr:demo/db/32}"]}}]}]}',
    ].join('\n'),
    {
      namespaces: '[{name: demo, labels: {team: a}}, {name: other}]',
      workloads: '    - {name: web, namespace: demo, labels: {app: web}, ports: [{port: 80, name: http}]}\n    - {name: db, namespace: demo, ports: [{port: 53, protocol: UDP}, {port: 5432, name: pg}, {port: 22}]}\n    - {name: api, namespace: other}',
      extra: '  probe: {timeoutSeconds: 1.5}',
    },
  );
  const result = load(text, manifests);

  it('loads', () => {
    expect(positions(result)).to.deep.equal([]);
    expect(result.ok).to.equal(true);
  });
  if (!result.ok) return;
  const scenario = result.scenario;

  it('adds kubernetes.io/metadata.name to every namespace', () => {
    expect(scenario.namespaces).to.deep.equal([
      { name: 'demo', labels: { team: 'a', 'kubernetes.io/metadata.name': 'demo' } },
      { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' } },
    ]);
  });

  it('defaults protocol to TCP and sorts ports by protocol then port', () => {
    expect(scenario.workloads[1]!.ports).to.deep.equal([
      { port: 22, protocol: 'TCP' },
      { port: 5432, protocol: 'TCP', name: 'pg' },
      { port: 53, protocol: 'UDP' },
    ]);
  });

  it('defaults dns, and probe settings per step (1.5 s rounds up to 2 s, as the probe tools take whole seconds)', () => {
    expect(scenario.dns).to.deep.equal({ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
    expect(scenario.steps.map((s) => s.probe)).to.deep.equal([
      { target: 'service-name', timeoutMs: 2000, self: false, dns: true },
      { target: 'pod-ip', timeoutMs: 2000, self: false, dns: false },
      { target: 'service-name', timeoutMs: 2000, self: false, dns: true },
    ]);
  });

  it('takes the file entry namespace, keeps a written one, and names the manifest in origins', () => {
    const applied = scenario.steps[1]!.apply;
    expect(applied.map((m) => m.key)).to.deep.equal([toPolicyKey('demo', 'deny-all'), toPolicyKey('other', 'dns')]);
    expect(applied.map((m) => m.origin.file)).to.deep.equal(['scn/m/deny.yaml', 'scn/m/deny.yaml']);
    expect(applied[0]!.policy.metadata).to.deep.equal({ name: 'deny-all', namespace: 'demo' });
  });

  it('resolves expectations', () => {
    expect(scenario.steps[1]!.expect.map((e) => [e.verdict, e.from, e.to])).to.deep.equal([
      ['deny', { kind: 'all' }, { target: { kind: 'all' } }],
      ['allow', { kind: 'workload', ref: toWorkloadRef('demo', 'web') }, { target: { kind: 'workload', ref: toWorkloadRef('demo', 'db') }, port: 'pg' }],
      ['deny', { kind: 'namespace', namespace: 'demo' }, { target: { kind: 'external', name: 'partner' }, port: 'https', protocol: 'TCP' }],
      ['allow', { kind: 'workload', ref: toWorkloadRef('other', 'api') }, { target: { kind: 'dns' } }],
    ]);
  });

  it('keeps placeholders unresolved, deletes and labels in order', () => {
    const last = scenario.steps[2]!;
    expect(last.delete).to.deep.equal(['demo/deny-all']);
    expect(last.apply[0]!.policy.spec.egress?.[0]?.to?.[0]?.ipBlock?.cidr).to.equal('${cidr:demo/db}');
    expect(last.label.map((l) => [l.kind, l.labels])).to.deep.equal([
      ['namespace', { stage: 'prod' }],
      ['workload', { app: null, tier: 'web' }],
    ]);
  });
});

describe('scenario/load-scenario: external clients and DNS over TCP', () => {
  const clientText = (expectLines: string, probe = ''): string =>
    scenarioText(step(`      expect: [${expectLines}]`), { extra: probe }).replace('ports: [{port: 443, name: https}]}]', 'ports: [{port: 443, name: https}], client: true}]');

  it('an external with client: true is a source expectations name; `*` as a source stays the workloads', () => {
    const result = load(clientText('"allow * -> *", "deny partner -> web:http"'));
    expect(result.ok, JSON.stringify(!result.ok && result.diagnostics)).to.equal(true);
    if (!result.ok) return;
    expect(result.scenario.externals[0]).to.deep.include({ name: 'partner', client: true });
    expect(result.scenario.steps[0]!.expect.map((e) => e.from)).to.deep.equal([{ kind: 'all' }, { kind: 'external', name: 'partner' }]);
  });

  it('without client, an external is no source: one error at the name, saying what to add', () => {
    const result = load(scenarioText(step('      expect: [deny partner -> web]')));
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => d.message)).to.deep.equal(['external "partner" starts no probes; add `client: true` to it under spec.externals to probe from it']);
  });

  it('probe.dnsProtocols: [UDP, TCP] reaches every step and admits dns:53/tcp; the default keeps settings as they were', () => {
    const result = load(clientText('"deny web -> dns:53/tcp", "allow web -> dns:53/udp"', '  probe: {dnsProtocols: [TCP, UDP, TCP]}'));
    expect(result.ok, JSON.stringify(!result.ok && result.diagnostics)).to.equal(true);
    if (!result.ok) return;
    expect(result.scenario.steps[0]!.probe.dnsProtocols).to.deep.equal(['UDP', 'TCP']);
    const udpOnly = load(clientText('"allow * -> dns"', '  probe: {dnsProtocols: [UDP]}'));
    expect(udpOnly.ok && udpOnly.scenario.steps[0]!.probe).to.not.have.property('dnsProtocols');
  });

  it('dns:53/tcp without TCP among dnsProtocols is UNKNOWN_PORT saying what dns serves', () => {
    const result = load(clientText('"deny web -> dns:53/tcp"', '  probe: {dnsProtocols: [UDP]}'));
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).to.deep.equal(['UNKNOWN_PORT dns serves no port 53/TCP; it serves 53/UDP']);
  });
});

describe('scenario/load-scenario: spec.defaultNamespace', () => {
  const head = { namespaces: '[{name: a}, {name: b}]', workloads: '    - {name: web}\n    - {name: api, namespace: a}', extra: '  defaultNamespace: b' };

  it('is the namespace of workloads and inline policies that name none', () => {
    const result = load(scenarioText(policyStep('{podSelector: {}}'), head));
    expect(positions(result)).to.deep.equal([]);
    if (!result.ok) return;
    expect(result.scenario.workloads.map((w) => w.ref)).to.deep.equal(['b/web', 'a/api']);
    expect(result.scenario.steps[0]!.apply[0]!.key).to.equal('b/p');
  });

  it('yields to a file entry namespace and to a namespace written on the object', () => {
    const files = { 'scn/m.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: q}\nspec: {podSelector: {}}\n' };
    const steps = `${policyStep('{podSelector: {}}', '{name: p, namespace: a}')}\n        - {file: m.yaml, namespace: a}`;
    const result = load(scenarioText(steps, head), files);
    expect(positions(result)).to.deep.equal([]);
    if (result.ok) expect(result.scenario.steps[0]!.apply.map((m) => m.key)).to.deep.equal(['a/p', 'a/q']);
  });

  it('without it, an inline policy of a scenario of several namespaces needs one, and the hint does not send it to a file entry', () => {
    const result = load(scenarioText(policyStep('{podSelector: {}}'), { ...head, extra: '' }));
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    const policyDiag = result.diagnostics.find((d) => d.code === 'NAMESPACE_REQUIRED' && d.message.startsWith('policy'))!;
    expect(policyDiag.message).to.include('set metadata.namespace or spec.defaultNamespace').and.not.include('file entry');
    expect(HINTS.NAMESPACE_REQUIRED).to.include('spec.defaultNamespace').and.not.include('file entry');
  });
});

describe('scenario/load-scenario: null in policies, as the API server reads it', () => {
  it('an optional field written as null is absent (`- to:` with nothing after it)', () => {
    const result = load(scenarioText(policyStep('{podSelector: {}, policyTypes: [Egress], egress: [{to: null, ports: [{port: 53, protocol: UDP}]}], ingress: null}')));
    expect(positions(result)).to.deep.equal([]);
    if (!result.ok) return;
    expect(result.scenario.steps[0]!.apply[0]!.policy.spec).to.deep.equal({ podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
  });

  it('a required field written as null is INVALID_TYPE', () => {
    const text = scenarioText(policyStep('{podSelector: @@null}'));
    const marked = unmark(text);
    expect(positions(load(text))).to.deep.equal([`${SCENARIO_FILE}:${lineCol(marked.text, marked.at)} INVALID_TYPE`]);
  });
});

describe('scenario/load-scenario: Services that differ from the pod', () => {
  const text = scenarioText(
    [
      '    - name: app',
      '      apply: [{file: m/app.yaml, skipOtherKinds: true}]',
      '      expect: ["allow web -> db:80", "allow web -> db:http-alt"]',
    ].join('\n'),
    {
      workloads: [
        '    - {name: web, ports: [{port: 8080, name: http}]}',
        '    - name: db',
        '      ports: [{port: 8080, name: http}, {port: 9090}]',
        '      services:',
        '        - {name: db, ports: [{port: 80, targetPort: http}]}',
        '        - {name: db-admin, ports: [{name: admin, port: 9000, targetPort: 9090}, {name: http-alt, port: 8081, targetPort: 8080}]}',
        '    - {name: job, services: []}',
      ].join('\n'),
    },
  );
  const app = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}',
    'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: web}}\n  - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: in-list}, spec: {podSelector: {}}}',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}',
  ].join('\n---\n');
  const result = load(text, { 'scn/m/app.yaml': app });

  it('loads, with each targetPort resolved to the pod port and sorted Service ports', () => {
    expect(positions(result)).to.deep.equal([]);
    if (!result.ok) return;
    const db = result.scenario.workloads[1]!;
    expect(db.services).to.deep.equal([
      { ref: 'demo/db', namespace: 'demo', name: 'db', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, targetPortName: 'http' }] },
      {
        ref: 'demo/db-admin',
        namespace: 'demo',
        name: 'db-admin',
        ports: [
          { name: 'http-alt', port: 8081, protocol: 'TCP', targetPort: 8080 },
          { name: 'admin', port: 9000, protocol: 'TCP', targetPort: 9090 },
        ],
      },
    ]);
    expect(result.scenario.workloads[0]!.services, 'not written: the default').to.equal(undefined);
    expect(result.scenario.workloads[2]!.services).to.deep.equal([]);
  });

  it('skipOtherKinds: takes the NetworkPolicies of an application manifest, in Lists too, and nothing else', () => {
    if (!result.ok) return;
    expect(result.scenario.steps[0]!.apply.map((m) => m.key)).to.deep.equal(['demo/in-list', 'demo/deny']);
  });

  it('an expectation names a Service port (number or name) as well as a pod port', () => {
    if (!result.ok) return;
    expect(result.scenario.steps[0]!.expect.map((e) => e.to.port)).to.deep.equal([80, 'http-alt']);
  });
});
