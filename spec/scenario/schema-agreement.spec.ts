/**
 * The editor schema (schema/scenario.schema.json, checked with ajv, a JSON Schema validator)
 * and the loader accept the same files: every scenario in the repository, and scenarios made
 * from a valid one by random edits (nulls where Kubernetes takes null, omitted optional keys,
 * unknown keys, wrong types, bad names, labels, ports, enumerations). What only the loader can
 * judge (references between names, CIDRs, selector values, port ranges) is listed below as the
 * schema's known limits, each shown to be accepted by the schema and rejected by the loader.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { NAME_KEYWORDS, isDns1123Label, isDns1123Subdomain, isIanaSvcName, isLabelValue, isQualifiedName } from '../../src/policy/k8s-names.js';
import { loadScenarioFile, loadScenarioSource } from '../../src/scenario/load-scenario.js';
import { mayBeScenario } from '../../src/scenario/find-scenario-files.js';
import { renderScenarioJsonSchema } from '../../src/scenario/scenario-json-schema.js';
import { readerOf } from './fixtures.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(renderScenarioJsonSchema()) as object);

function schemaAccepts(doc: unknown): boolean {
  return validate(doc) === true;
}

function loaderAccepts(doc: unknown): { ok: boolean; codes: string[] } {
  const result = loadScenarioSource(stringify(doc), 'generated.yaml', readerOf());
  return { ok: result.ok, codes: result.ok ? [] : result.diagnostics.map((d) => d.code) };
}

const BASE = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: gen, description: generated}
spec:
  namespaces: [{name: a, labels: {team: x}}, {name: b}]
  defaultNamespace: a
  workloads:
    - {name: web, labels: {app: web}, ports: [{port: 80, name: http}, {port: 53, protocol: UDP}]}
    - {name: db, namespace: b, labels: {app: db}, ports: [{port: 5432}]}
  externals: [{name: partner, ip: 192.0.2.10, ports: [{port: 443}]}]
  dns: {namespace: kube-system, labels: {k8s-app: kube-dns}}
  probe: {target: service-name, timeoutSeconds: 1, self: false, dns: true}
  steps:
    - name: open
      expect: [allow * -> *]
    - name: policy
      apply:
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: p, labels: {app: p}, annotations: {Example.com/Note: free text}}
          spec:
            podSelector: {matchLabels: {app: web}}
            policyTypes: [Ingress, Egress]
            ingress:
              - from:
                  - podSelector: {matchLabels: {app: db}}
                    namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [x]}]}
                  - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                ports: [{port: http}, {port: 8000, endPort: 8080, protocol: TCP}]
            egress:
              - to: [{namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}}]
                ports: [{port: 53, protocol: UDP}]
      label:
        - {workload: db, labels: {tier: null}}
      probe: {target: pod-ip}
      expect: [deny db -> web]
`;

// Generated edits reach anywhere into the document.
type Doc = Record<string, any>;
const policy = (d: Doc): Doc => d.spec.steps[1].apply[0];

/** Edits that keep every reference intact; `valid` says whether both must accept the result. */
const EDITS: ReadonlyArray<{ readonly name: string; readonly valid: boolean; readonly edit: (d: Doc) => void }> = [
  // Nulls Kubernetes reads as absent.
  { name: 'ingress: null', valid: true, edit: (d) => (policy(d).spec.ingress = null) },
  { name: 'egress: null', valid: true, edit: (d) => (policy(d).spec.egress = null) },
  { name: 'from: null', valid: true, edit: (d) => (policy(d).spec.ingress[0].from = null) },
  { name: 'to: null', valid: true, edit: (d) => (policy(d).spec.egress[0].to = null) },
  { name: 'ports: null', valid: true, edit: (d) => (policy(d).spec.ingress[0].ports = null) },
  { name: 'matchLabels: null', valid: true, edit: (d) => (policy(d).spec.ingress[0].from[0].podSelector.matchLabels = null) },
  { name: 'namespaceSelector: null beside a podSelector', valid: true, edit: (d) => (policy(d).spec.ingress[0].from[0].namespaceSelector = null) },
  { name: 'protocol: null', valid: true, edit: (d) => (policy(d).spec.egress[0].ports[0].protocol = null) },
  { name: 'policyTypes: null', valid: true, edit: (d) => (policy(d).spec.policyTypes = null) },
  { name: 'metadata.labels: null', valid: true, edit: (d) => (policy(d).metadata.labels = null) },
  { name: 'except: null', valid: true, edit: (d) => (policy(d).spec.ingress[0].from[1].ipBlock.except = null) },
  { name: 'values: null with Exists', valid: true, edit: (d) => (policy(d).spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values = null) },
  // Optional keys left out, and the default namespace.
  { name: 'no description', valid: true, edit: (d) => delete d.metadata.description },
  { name: 'no dns, no probe', valid: true, edit: (d) => (delete d.spec.dns, delete d.spec.probe) },
  { name: 'no externals', valid: true, edit: (d) => delete d.spec.externals },
  { name: 'defaultNamespace b', valid: true, edit: (d) => (d.spec.defaultNamespace = 'b') },
  { name: 'policy names its namespace', valid: true, edit: (d) => (policy(d).metadata.namespace = 'b') },
  { name: 'an empty rule', valid: true, edit: (d) => (policy(d).spec.ingress = [{}]) },
  // Structure.
  { name: 'unknown key in a policy spec', valid: false, edit: (d) => (policy(d).spec.ingres = []) },
  { name: 'unknown key in a port', valid: false, edit: (d) => (policy(d).spec.egress[0].ports[0].protoco = 'TCP') },
  { name: 'unknown key in a workload', valid: false, edit: (d) => (d.spec.workloads[0].label = {}) },
  { name: 'a port of the wrong type', valid: false, edit: (d) => (policy(d).spec.egress[0].ports[0].port = true) },
  { name: 'podSelector: null in spec (required)', valid: false, edit: (d) => (policy(d).spec.podSelector = null) },
  { name: 'metadata.name: null (required)', valid: false, edit: (d) => (policy(d).metadata.name = null) },
  { name: 'cidr: null (required)', valid: false, edit: (d) => (policy(d).spec.ingress[0].from[1].ipBlock.cidr = null) },
  { name: 'a null label value in matchLabels', valid: false, edit: (d) => (policy(d).spec.podSelector.matchLabels.app = null) },
  { name: 'an inline object of another kind', valid: false, edit: (d) => (policy(d).kind = 'Service') },
  { name: 'no steps', valid: false, edit: (d) => (d.spec.steps = []) },
  { name: 'a null workload labels map', valid: false, edit: (d) => (d.spec.workloads[1].labels = null) },
  // Values: names, labels, ports, enumerations.
  { name: 'a feature tag', valid: true, edit: (d) => (d.metadata.tags = ['named-port', 'ipblock']) },
  { name: 'a feature tag with an underscore', valid: false, edit: (d) => (d.metadata.tags = ['named_port']) },
  { name: 'scenario name with upper case', valid: false, edit: (d) => (d.metadata.name = 'Gen') },
  { name: 'workload name with an underscore', valid: false, edit: (d) => (d.spec.workloads[0].name = 'web_1') },
  { name: 'policy name of 254 characters', valid: false, edit: (d) => (policy(d).metadata.name = 'p'.repeat(254)) },
  { name: 'a policy name with dots is fine', valid: true, edit: (d) => (policy(d).metadata.name = 'allow.web-1') },
  { name: 'label key with a space', valid: false, edit: (d) => (d.spec.workloads[0].labels['bad key'] = 'x') },
  { name: 'label key with a prefix', valid: true, edit: (d) => (d.spec.workloads[0].labels['example.com/tier'] = 'x') },
  { name: 'label value of 64 characters', valid: false, edit: (d) => (d.spec.workloads[0].labels.app = 'x'.repeat(64)) },
  { name: 'empty label value', valid: true, edit: (d) => (d.spec.workloads[0].labels.extra = '') },
  { name: 'served port 0', valid: false, edit: (d) => (d.spec.workloads[1].ports[0].port = 0) },
  { name: 'served port 65536', valid: false, edit: (d) => (d.spec.workloads[1].ports[0].port = 65536) },
  { name: 'policy endPort 70000', valid: false, edit: (d) => (policy(d).spec.ingress[0].ports[1].endPort = 70000) },
  { name: 'port name in upper case', valid: false, edit: (d) => (policy(d).spec.ingress[0].ports[0].port = 'HTTP') },
  { name: 'port name of 16 characters', valid: false, edit: (d) => (d.spec.workloads[0].ports[0].name = 'h'.repeat(16)) },
  { name: 'port name with a double hyphen', valid: false, edit: (d) => (d.spec.workloads[0].ports[0].name = 'a--b') },
  { name: 'protocol in lower case', valid: false, edit: (d) => (policy(d).spec.egress[0].ports[0].protocol = 'udp') },
  { name: 'policy type in lower case', valid: false, edit: (d) => (policy(d).spec.policyTypes = ['ingress']) },
  { name: 'three policy types', valid: false, edit: (d) => (policy(d).spec.policyTypes = ['Ingress', 'Egress', 'Ingress']) },
  { name: 'operator in lower case', valid: false, edit: (d) => (policy(d).spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator = 'in') },
  { name: 'probe target unknown', valid: false, edit: (d) => (d.spec.probe.target = 'node-ip') },
  { name: 'timeout 0', valid: false, edit: (d) => (d.spec.probe.timeoutSeconds = 0) },
];

/** What the schema cannot say: each is accepted by the schema and rejected by the loader, with this code. */
const KNOWN_LIMITS: ReadonlyArray<{ readonly name: string; readonly code: string; readonly edit: (d: Doc) => void }> = [
  { name: 'a reference to an undeclared namespace', code: 'UNKNOWN_NAMESPACE', edit: (d) => (d.spec.workloads[1].namespace = 'c') },
  { name: 'an expectation naming an unknown workload', code: 'UNKNOWN_WORKLOAD', edit: (d) => (d.spec.steps[0].expect = ['allow * -> api']) },
  { name: 'an expectation that does not parse', code: 'INVALID_EXPECTATION', edit: (d) => (d.spec.steps[0].expect = ['permit * -> *']) },
  { name: 'two workloads of one name', code: 'DUPLICATE_NAME', edit: (d) => d.spec.workloads.push({ name: 'web', namespace: 'a' }) },
  { name: 'a CIDR that does not parse', code: 'INVALID_CIDR', edit: (d) => (policy(d).spec.ingress[0].from[1].ipBlock.cidr = '10.0.0.0/33') },
  { name: 'an except outside its cidr', code: 'EXCEPT_OUTSIDE_CIDR', edit: (d) => (policy(d).spec.ingress[0].from[1].ipBlock.except = ['11.0.0.0/16']) },
  { name: 'an ipBlock beside a selector', code: 'IPBLOCK_WITH_SELECTOR', edit: (d) => (policy(d).spec.ingress[0].from[1].podSelector = {}) },
  { name: 'an empty peer', code: 'EMPTY_PEER', edit: (d) => (policy(d).spec.ingress[0].from[1] = {}) },
  { name: 'endPort below port', code: 'ENDPORT_BELOW_PORT', edit: (d) => (policy(d).spec.ingress[0].ports[1].endPort = 10) },
  { name: 'In without values', code: 'INVALID_SELECTOR', edit: (d) => (policy(d).spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values = []) },
  { name: 'an external IP that is not an address', code: 'INVALID_VALUE', edit: (d) => (d.spec.externals[0].ip = 'partner.example') },
  { name: 'a delete of a policy never applied', code: 'UNKNOWN_POLICY', edit: (d) => (d.spec.steps[0].delete = ['a/nope']) },
];

const base = (): Doc => parse(BASE) as Doc;

/** Every scenario file in the repository (tracked YAML whose kind is Scenario). */
function repoScenarios(): string[] {
  const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return files.filter((f) => mayBeScenario(readFileSync(f, 'utf8')) && /^kind:\s*Scenario\s*$/m.test(readFileSync(f, 'utf8')));
}

describe('scenario/schema agreement: the editor schema accepts what the loader accepts', () => {
  it('the base of the generated cases is valid for both', () => {
    expect(loaderAccepts(base())).to.deep.equal({ ok: true, codes: [] });
    expect(schemaAccepts(base()), JSON.stringify(validate.errors)).to.equal(true);
  });

  const scenarios = repoScenarios();
  it('finds the repository scenarios', () => expect(scenarios.length).to.be.at.least(5));
  for (const file of scenarios) {
    it(`both accept ${file}`, () => {
      const result = loadScenarioFile(file);
      expect(result.ok, result.ok ? '' : JSON.stringify(result.diagnostics)).to.equal(true);
      expect(schemaAccepts(parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).to.equal(true);
    });
  }

  for (const { name, valid, edit } of EDITS) {
    it(`${valid ? 'both accept' : 'both reject'}: ${name}`, () => {
      const doc = base();
      edit(doc);
      expect(loaderAccepts(doc).ok, `loader: ${JSON.stringify(loaderAccepts(doc).codes)}`).to.equal(valid);
      expect(schemaAccepts(doc), `schema: ${JSON.stringify(validate.errors)}`).to.equal(valid);
    });
  }

  it('agree on random combinations of the edits', () => {
    fc.assert(
      fc.property(fc.subarray([...EDITS.keys()], { maxLength: 4 }), (picked) => {
        const doc = base();
        for (const i of picked) {
          try {
            EDITS[i]!.edit(doc);
          } catch {
            // An earlier edit removed what this one changes: skip it.
          }
        }
        const loader = loaderAccepts(doc);
        const schema = schemaAccepts(doc);
        if (loader.ok !== schema) throw new Error(`${picked.map((i) => EDITS[i]!.name).join(' + ')}: loader ${loader.ok} ${loader.codes.join(',')}, schema ${schema} ${JSON.stringify(validate.errors)}`);
      }),
      { numRuns: 300 },
    );
  });

  describe('known limits: what only the loader judges', () => {
    for (const { name, code, edit } of KNOWN_LIMITS) {
      it(`${name} (${code})`, () => {
        const doc = base();
        edit(doc);
        expect(schemaAccepts(doc), JSON.stringify(validate.errors)).to.equal(true);
        expect(loaderAccepts(doc).codes).to.include(code);
      });
    }
  });

  describe('name patterns agree with the name checks', () => {
    const alphabet = fc.constantFrom(...'abcXYZ019-_./ '.split(''));
    const text = fc.oneof(fc.string({ unit: alphabet, maxLength: 20 }), fc.string({ unit: alphabet, minLength: 60, maxLength: 70 }), fc.string({ unit: alphabet, minLength: 250, maxLength: 260 }));
    const rows: Array<[string, { pattern: string; maxLength?: number }, (s: string) => boolean]> = [
      ['DNS-1123 label', NAME_KEYWORDS.dns1123Label, isDns1123Label],
      ['DNS-1123 subdomain', NAME_KEYWORDS.dns1123Subdomain, isDns1123Subdomain],
      ['label key', NAME_KEYWORDS.labelKey, isQualifiedName],
      ['annotation key', NAME_KEYWORDS.annotationKey, (s) => isQualifiedName(s.toLowerCase())],
      ['label value', NAME_KEYWORDS.labelValue, isLabelValue],
      ['IANA service name', NAME_KEYWORDS.ianaSvcName, isIanaSvcName],
    ];
    for (const [what, keywords, check] of rows) {
      it(what, () => {
        const re = new RegExp(keywords.pattern, 'u');
        fc.assert(fc.property(text, (s) => (re.test(s) && s.length <= (keywords.maxLength ?? Infinity)) === check(s)), { numRuns: 2000 });
        for (const s of ['a', 'a-b', 'a.b/c', 'example.com/Tier_1', `${'a'.repeat(63)}`, `${'a'.repeat(64)}`, '', '-a', 'a-', 'A']) {
          expect(re.test(s) && s.length <= (keywords.maxLength ?? Infinity), JSON.stringify(s)).to.equal(check(s));
        }
      });
    }
  });
});
