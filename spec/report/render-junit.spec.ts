import { expect } from 'chai';
import { renderJunit } from '../../src/report/render-junit.js';
import { countResults } from '../../src/report/count-results.js';
import { shopCheck, shopRun } from '../fixtures/report-fixture.js';
import { expectGolden } from './golden.js';

/** Every `&` starts an entity or character reference; no raw `<` inside attribute values. */
function expectWellEscaped(xml: string): void {
  expect(xml).to.not.match(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
  for (const attr of xml.match(/="[^"]*"/g) ?? []) expect(attr).to.not.match(/[<>]/);
}

describe('report/render-junit', () => {
  it('golden: check result', () => expectGolden('shop-check.xml', renderJunit([shopCheck])));
  it('golden: run result', () => expectGolden('shop-run.xml', renderJunit([shopRun])));

  it('reasons with XML specials are escaped everywhere', () => {
    const xml = renderJunit([shopCheck, shopRun]);
    expectWellEscaped(xml);
    expect(xml).to.include('isolated by &quot;shop/lockdown&quot; &amp; no rule allows &lt;5432/TCP&gt;');
  });

  it('one testcase per asserted or failing probe, with matching totals', () => {
    const xml = renderJunit([shopCheck, shopRun]);
    const totals = countResults([shopCheck, shopRun]);
    expect(xml.match(/<testcase /g)).to.have.length(totals.probes.passed + totals.probes.failed + totals.probes.inconclusive);
    expect(xml.match(/<testsuite /g)).to.have.length(4);
    expect(xml).to.include('<testsuites name="netpol-harness" tests="73" failures="5" errors="1">');
  });

  it('names a testcase like `frontend -> backend:80/TCP expect deny`', () => {
    const xml = renderJunit([shopCheck]);
    expect(xml).to.include('name="shop/frontend -&gt; shop/backend:80/TCP expect allow"');
    expect(xml).to.include('name="shop/db -&gt; dns:53/UDP expect allow"');
    expect(xml).to.include('classname="shop.step1"');
  });

  it('an inconclusive observation is an error, a mismatch a failure', () => {
    const xml = renderJunit([shopRun]);
    expect(xml).to.match(/<error message="inconclusive observation \(error\)" type="inconclusive">/);
    expect(xml).to.match(/<failure message="predicted deny, observed allow \(ok\)" type="mismatch">/);
    expect(xml).to.match(/<failure message="expected allow, but the policies deny it; predicted deny, observed allow \(ok\)" type="mismatch">/);
    expect(xml).to.match(/<failure message="expected allow, but the policies deny it" type="mismatch">/);
  });

  it('no timestamp or host unless given', () => {
    expect(renderJunit([shopRun])).to.not.match(/timestamp=|hostname=/);
    const stamped = renderJunit([shopRun], { timestamp: '2025-01-02T03:04:05Z', hostname: 'ci-1' });
    expect(stamped.match(/timestamp="2025-01-02T03:04:05Z" hostname="ci-1"/g)).to.have.length(2);
  });

  it('settle time becomes the suite time under run only', () => {
    expect(renderJunit([shopRun])).to.include('time="2.350"');
    expect(renderJunit([shopCheck])).to.not.include('time=');
  });

  it('no results: an empty, valid document', () => {
    expect(renderJunit([])).to.equal('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="netpol-harness" tests="0" failures="0" errors="0">\n</testsuites>\n');
  });
});
