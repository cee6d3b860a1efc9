import { expect } from 'chai';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadScenarioSource, type LoadResult } from '../../src/scenario/load-scenario.js';
import { load, readerOf, scenarioText } from './fixtures.js';

const FILE = 'p/s.yaml';

/** Never throws; every diagnostic names a file whose text was returned and lies within it. */
function checkResult(result: LoadResult, source: string): void {
  if (result.ok) return;
  expect(result.diagnostics.length).to.be.greaterThan(0);
  for (const d of result.diagnostics) {
    const text = d.file === FILE ? source : result.sources.get(d.file);
    expect(text, `text of ${d.file}`).to.be.a('string');
    expect(d.range[0]).to.be.within(0, text!.length);
    expect(d.range[1]).to.be.within(d.range[0], text!.length);
  }
}

function loadAny(source: string, manifest: string): LoadResult {
  return loadScenarioSource(source, FILE, readerOf({ 'p/m.yaml': manifest }));
}

const VALID = scenarioText(
  ['    - name: s', '      apply: [{file: m.yaml}]', '      expect: ["allow web -> db:pg", "deny * -> dns"]'].join('\n'),
);

describe('scenario/load-scenario: properties', function () {
  this.timeout(120_000);
  it('never throws on fc.anything() stringified as YAML', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        let source: unknown;
        try {
          source = stringify(value);
        } catch {
          return;
        }
        if (typeof source !== 'string') return;
        checkResult(loadAny(source, source), source);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random text, or on a scenario and a manifest with random edits', () => {
    const tokens = fc.constantFrom('\n', ' ', ':', '-', '{', '}', '[', ']', '"', "'", '&a', '*a', '!!binary', '---', '#', 'kind', 'spec', '__proto__', '${ip:', '${cidr:demo/db/', '->', '/', 'null', '~', '0x1F', '\t');
    const edit = (text: string) =>
      fc.tuple(fc.nat(text.length), fc.nat(20), fc.array(tokens, { maxLength: 4 })).map(([at, cut, inserted]) => text.slice(0, at) + inserted.join('') + text.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), edit(VALID)), edit('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: "${cidr:demo/db/24}"}}]}]}\n'), (source, manifest) => {
        checkResult(loadAny(source, manifest), source);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws when any value of a valid scenario (with an inline policy) is replaced by anything', () => {
    const base = parse(VALID.replace('[{file: m.yaml}]', '[{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: ["${cidr:demo/db/16}"]}}], ports: [{port: 80, endPort: 90}]}]}}]')) as unknown;
    const paths: (string | number)[][] = [];
    const collect = (v: unknown, at: (string | number)[]): void => {
      paths.push(at);
      if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...at, i]));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, [...at, k]);
    };
    collect(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything({ withNullPrototype: false }), (path, value) => {
        const copy = structuredClone(base) as Record<string | number, unknown>;
        let target: Record<string | number, unknown> = copy;
        for (const segment of path.slice(0, -1)) target = target[segment] as Record<string | number, unknown>;
        const source = path.length === 0 ? stringify(value) : (((target[path[path.length - 1]!] = value), stringify(copy)) as string);
        if (typeof source !== 'string') return;
        checkResult(loadAny(source, ''), source);
      }),
      { numRuns: 500 },
    );
  });

  it('round trip: a loaded scenario re-stringified by yaml loads to the same Scenario (origins aside)', () => {
    const names = fc.constantFrom('web', 'db', 'api', 'cache');
    fc.assert(
      fc.property(fc.uniqueArray(names, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.constantFrom('allow', 'deny'), fc.constantFrom('*', 'demo/*', 'web', 'db'), fc.constantFrom('*', 'dns', 'partner', 'demo/*')), { maxLength: 5 }), (workloads, expectations) => {
        const doc = {
          apiVersion: 'netpol-harness/v1alpha1',
          kind: 'Scenario',
          metadata: { name: 'rt' },
          spec: {
            namespaces: [{ name: 'demo' }],
            workloads: ['web', 'db', ...workloads.filter((w) => w !== 'web' && w !== 'db')].map((name) => ({ name, labels: { app: name }, ports: [{ port: 80, name: 'http' }] })),
            externals: [{ name: 'partner', ip: '192.0.2.1', ports: [{ port: 443 }] }],
            steps: [{ name: 'one', expect: expectations.map(([v, f, t]) => `${v} ${f} -> ${t}`) }],
          },
        };
        const first = loadScenarioSource(stringify(doc), FILE, readerOf());
        const second = loadScenarioSource(stringify(doc, { collectionStyle: 'flow' }), FILE, readerOf());
        expect(first.ok && second.ok).to.equal(true);
        if (!first.ok || !second.ok) return;
        const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'origin' ? undefined : x)));
        expect(strip(second.scenario)).to.deep.equal(strip(first.scenario));
        expect(first.scenario.steps[0]!.expect.map((e) => e.text)).to.deep.equal(doc.spec.steps[0]!.expect);
      }),
      { numRuns: 100 },
    );
  });

  it('the valid base scenario loads', () => {
    const result = load(VALID.replace('[{file: m.yaml}]', '[]'));
    expect(result.ok).to.equal(true);
  });
});
