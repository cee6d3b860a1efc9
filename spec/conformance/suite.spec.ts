import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { SUITE_CASES, loadSuite, suiteFiles } from '../../src/conformance/suite.js';
import { checkScenario } from '../../src/run/check-scenario.js';
import { expectGolden } from '../report/golden.js';

describe('conformance/suite (the generated cases)', () => {
  const { scenarios, diagnostics } = loadSuite();

  it('has at least 150 cases over at least 20 feature tags, every one valid', () => {
    expect(diagnostics).to.deep.equal([]);
    expect(scenarios).to.have.length(SUITE_CASES.length);
    expect(SUITE_CASES.length).to.be.at.least(150);
    expect(new Set(SUITE_CASES.flatMap((c) => c.tags)).size).to.be.at.least(20);
  });

  it('covers every feature family the issue names', () => {
    const tags = new Set(SUITE_CASES.flatMap((c) => c.tags));
    for (const tag of [
      'select-all', 'match-labels', 'op-in', 'op-notin', 'op-exists', 'op-doesnotexist', 'peer-pod', 'peer-namespace', 'peer-and', 'peer-or',
      'namespace-selector-empty', 'ipblock-except', 'ipblock-pod-ip', 'port-numeric', 'named-port', 'named-port-per-pod', 'named-port-protocol',
      'end-port', 'protocol-without-port', 'port-several', 'udp', 'sctp', 'policy-types', 'policy-types-inferred', 'ingress-egress', 'union',
      'deny-all', 'allow-all', 'dns', 'self', 'namespace-relabel', 'pod-relabel', 'policy-update', 'policy-delete', 'upstream-e2e',
    ]) {
      expect(tags.has(tag), tag).to.equal(true);
    }
  });

  it('has unique names, and each case asserts every probe of every step', async () => {
    expect(new Set(SUITE_CASES.map((c) => c.name)).size).to.equal(SUITE_CASES.length);
    for (const s of scenarios) {
      const result = await checkScenario(s);
      const unasserted = result.steps.flatMap((st) => st.probes.filter((p) => p.expected === null));
      expect(unasserted, s.name).to.deep.equal([]);
    }
  });

  // The expectations are written from the spec by hand; the simulator must agree with every one.
  it('expectations equal the simulator predictions for every probe of every case', async () => {
    const wrong: string[] = [];
    for (const s of scenarios) {
      const result = await checkScenario(s);
      for (const st of result.steps) for (const p of st.probes) if (!p.pass) wrong.push(`${s.name} step ${st.index + 1}: ${p.from} -> ${p.to}:${p.port}/${p.protocol} expected ${p.expected}, predicted ${p.predicted}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('golden: the list of case names and their tags', () => {
    expectGolden('conformance-cases.txt', `${SUITE_CASES.map((c) => `${c.name}  [${[...c.tags].sort().join(' ')}]`).join('\n')}\n`);
  });

  it('writes each case as a scenario file with its title and tags', () => {
    const file = suiteFiles().find((f) => f.name === 'peer-ingress-pod-and-namespace.yaml')!;
    expect(file.text).to.match(/^# An ingress rule on x\/a whose from is namespaceSelector ns=y AND podSelector pod=b/);
    expect(file.text).to.contain('tags:');
    expect(file.text).to.contain('- peer-and');
    expect(readFileSync('schema/scenario.schema.json', 'utf8')).to.contain('"tags"');
  });
});
