import { expect } from 'chai';
import { planProbes } from '../../src/probe/plan-probes.js';
import { buildScenarioResult, buildStepResult } from '../../src/report/build-result.js';
import { CELL_SYMBOLS, DEFAULT_TABLE_WIDTH, cellText, renderTable } from '../../src/report/render-table.js';
import type { ProbeResult } from '../../src/report/result.js';
import { EMPTY_TOPOLOGY, prediction, scenario, stateOf, workload } from '../fixtures/build-scenario.js';
import { describe as describePrediction, shopCheck, shopRun } from '../fixtures/report-fixture.js';
import { expectGolden } from './golden.js';

// ESC starts every ANSI colour sequence.
const ESC = '\u001b';

function probeResult(overrides: Partial<ProbeResult>): ProbeResult {
  return { from: 'demo/a', to: 'demo/b', port: 80, protocol: 'TCP', expected: null, predicted: 'allow', observed: null, reason: 'r', pass: true, ...overrides };
}

/** A scenario of `n` workloads in one namespace, everything allowed, everything asserted. */
function wide(n: number) {
  const names = Array.from({ length: n }, (_, i) => `service-${String(i).padStart(2, '0')}`);
  const s = scenario({ name: 'wide', workloads: names.map((name) => workload(`demo/${name}`, [8080])), steps: [{ name: 'open', expect: ['allow * -> *'] }] });
  const step = s.steps[0]!;
  const probes = planProbes(s, stateOf(s), step.probe, EMPTY_TOPOLOGY);
  const predictions = new Map(probes.map((p) => [p.key, prediction(true)]));
  return buildScenarioResult(s, [buildStepResult({ scenario: s, step, probes, predictions, describe: describePrediction })]);
}

describe('report/render-table', () => {
  it('golden: check result', () => expectGolden('shop-check.txt', renderTable([shopCheck], { color: false })));
  it('golden: run result', () => expectGolden('shop-run.txt', renderTable([shopRun], { color: false })));

  describe('cellText', () => {
    const rows: Array<[string, ProbeResult | undefined, string]> = [
      ['not probed', undefined, CELL_SYMBOLS.none],
      ['predicted allow, not asserted', probeResult({}), '+'],
      ['predicted allow, asserted', probeResult({ expected: 'allow' }), '✓'],
      ['predicted deny, as expected', probeResult({ predicted: 'deny', expected: 'deny' }), '✗'],
      ['expected differs', probeResult({ predicted: 'deny', expected: 'allow', pass: false }), '✗*'],
      ['observed agrees, not asserted', probeResult({ observed: 'allow', outcome: 'ok' }), '+'],
      ['observed differs, not asserted', probeResult({ predicted: 'deny', observed: 'allow', outcome: 'ok', pass: false }), '-!'],
      ['observed differs, asserted', probeResult({ predicted: 'deny', expected: 'deny', observed: 'allow', outcome: 'ok', pass: false }), '✗!'],
      ['inconclusive', probeResult({ observed: null, outcome: 'error', pass: false }), '+?'],
      ['expected and observed both differ', probeResult({ expected: 'deny', observed: 'deny', outcome: 'refused', pass: false }), '✓*!'],
    ];
    for (const [desc, probe, want] of rows) it(desc, () => expect(cellText(probe)).to.equal(want));
  });

  it('lists every failed probe under its table, with the reason', () => {
    const out = renderTable([shopRun], { color: false });
    expect(out).to.include('FAIL shop/frontend -> shop/db:5432/TCP: expected allow, predicted deny, observed allow (ok)');
    expect(out).to.include('FAIL ops/backend -> dns:53/UDP: expected nothing, predicted allow, observed inconclusive (error)');
    expect(out).to.include('denied: egress of shop/frontend is isolated by "shop/lockdown" & no rule allows <5432/TCP>');
  });

  it('names every workload <ns>/<name> in a scenario of several namespaces, rows sorted as shown', () => {
    const out = renderTable([shopCheck], { color: false });
    const rows = out.split('\n').filter((l) => /^ {4}\S+\/\S+ /.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    expect(rows.slice(0, 4)).to.deep.equal(['ops/backend', 'shop/backend', 'shop/db', 'shop/frontend']);
    expect(out).to.include('ops/backend:9100  shop/backend:80  shop/db:5432  shop/frontend:80  partner-api:443  dns');
  });

  it('uses short names in a scenario of one namespace, and titles steps as written', () => {
    const out = renderTable([wide(3)], { color: false });
    expect(out).to.include('  [1/1] open — PASS · 9 probes: 6 passed, 0 failed, 3 unasserted');
    expect(out).to.match(/^ {4}service-00 /m);
  });

  it('counts unasserted and inconclusive probes apart from passed and failed', () => {
    const out = renderTable([shopRun], { color: false });
    expect(out).to.include('[1/2] open — FAIL · 20 probes: 16 passed, 0 failed, 3 unasserted, 1 inconclusive');
    expect(out).to.include('FAIL shop: 2 steps: 0 passed, 2 failed · 40 probes: 33 passed, 3 failed, 3 unasserted, 1 inconclusive');
  });

  it('colours failing cells red only when asked', () => {
    const plain = renderTable([shopRun], { color: false });
    const coloured = renderTable([shopRun], { color: true });
    expect(plain).to.not.include(ESC);
    expect(coloured).to.include(`${ESC}[31m✗*!`);
    // Same text once the colours are gone.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).to.equal(plain);
  });

  describe('12 workloads stay readable', () => {
    const result = wide(12);
    for (const width of [80, 100]) {
      it(`numbers the columns and fits ${width} columns`, () => {
        const out = renderTable([result], { color: false, width });
        const lines = out.split('\n');
        for (const line of lines) expect(line.length, line).to.be.at.most(width);
        expect(out).to.include('columns: 1 service-00:8080');
        expect(out).to.include('12 service-11:8080');
        expect(lines.find((l) => l.includes('from \\ to'))).to.match(/from \\ to\s+1 {2}2 {2}3/);
      });
    }
    it(`writes full headers when they fit (default width ${DEFAULT_TABLE_WIDTH} is too narrow for 12)`, () => {
      expect(renderTable([result], { color: false })).to.include('columns:');
      const out = renderTable([result], { color: false, width: 1000 });
      expect(out).to.not.include('columns:');
      expect(out).to.include('service-00:8080  service-01:8080');
    });
  });

  it('a step without probes, and no scenarios at all', () => {
    const empty = buildScenarioResult({ name: 'empty', file: 'e.yaml' }, [{ index: 0, name: 'nothing', pass: true, probes: [] }]);
    expect(renderTable([empty], { color: false })).to.include('(no probes)');
    expect(renderTable([], { color: false })).to.equal('no scenarios\n');
  });

  it('ends with the totals', () => {
    const lines = renderTable([shopCheck, shopRun], { color: false, width: 200 }).trimEnd().split('\n');
    expect(lines.at(-1)).to.equal('2 scenarios: 0 passed, 2 failed · 4 steps: 1 passed, 3 failed · 80 probes: 67 passed, 5 failed, 7 unasserted, 1 inconclusive');
  });
});
