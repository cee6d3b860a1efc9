import { expect } from 'chai';
import { OUTCOME_KINDS, type OutcomeKind } from '../../src/probe/types.js';
import { OUTPUT_FORMATS, REPORTERS, renderReport } from '../../src/report/reporters.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { ScenarioResult } from '../../src/report/result.js';
import { resultWithOutcome, shopCheck, shopRun } from '../fixtures/report-fixture.js';

/** Each reporter, and how it must show that the one probe ended in `kind`. */
const SHOWS_OUTCOME: ReadonlyArray<readonly [string, (r: ScenarioResult) => string, (out: string, kind: OutcomeKind) => boolean]> = [
  ['table', (r) => renderReport('table', [r], { color: false }), (out, kind) => out.includes(`observed: ${kind} 1`)],
  ['json', (r) => renderReport('json', [r], { color: false }), (out, kind) => JSON.parse(out).steps[0].probes[0].outcome === kind],
  // The fixture predicts a connect-deny: a DNS failure or an unreachable network is no evidence of it (inconclusive).
  ['junit', (r) => renderJunit([r]), (out, kind) => out.includes(`observed: ${['error', 'dns', 'unreachable'].includes(kind) ? 'inconclusive' : kind === 'ok' ? 'allow' : 'deny'} (${kind})`)],
  ['markdown', (r) => renderMarkdown([r]), (out, kind) => out.includes(`observed: ${kind} 1`)],
];

describe('report/reporters', () => {
  it('has exactly one reporter per legal --output value', () => {
    expect(Object.keys(REPORTERS).sort()).to.deep.equal([...OUTPUT_FORMATS].sort());
  });

  for (const format of OUTPUT_FORMATS) {
    it(`${format}: text ending in a newline, the same on every call`, () => {
      const out = renderReport(format, [shopCheck, shopRun], { color: false });
      expect(out.endsWith('\n')).to.equal(true);
      expect(renderReport(format, [shopCheck, shopRun], { color: false })).to.equal(out);
    });
  }

  describe('every outcome kind renders in every reporter', () => {
    for (const [name, render, shows] of SHOWS_OUTCOME) {
      for (const kind of OUTCOME_KINDS) {
        it(`${name} shows ${kind}`, () => expect(shows(render(resultWithOutcome(kind)), kind)).to.equal(true));
      }
    }
  });
});
