import { expect } from 'chai';
import { escapeXml, renderJunit } from '../../src/report/render-junit.js';
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

  describe('escapeXml', () => {
    const rows: Array<[string, string, string]> = [
      ['the five specials', `a & b < c > d " e ' f`, 'a &amp; b &lt; c &gt; d &quot; e &apos; f'],
      ['no double escaping of text that looks like an entity', '&amp;', '&amp;amp;'],
      ['line breaks and tabs survive attribute normalization', 'a\nb\tc\rd', 'a&#10;b&#9;c&#13;d'],
      ['forbidden control characters', 'a\u0000b\u0008c\u001fd', 'a\uFFFDb\uFFFDc\uFFFDd'],
      ['lone surrogates', 'x\uD800y\uDC00z', 'x\uFFFDy\uFFFDz'],
      ['a valid surrogate pair stays', 'ok 🔒', 'ok 🔒'],
      ['U+FFFE and U+FFFF', '\uFFFE\uFFFF', '\uFFFD\uFFFD'],
      ['plain text', 'demo/frontend -> demo/backend:80/TCP', 'demo/frontend -&gt; demo/backend:80/TCP'],
    ];
    for (const [desc, input, want] of rows) it(desc, () => expect(escapeXml(input)).to.equal(want));
  });

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

  it('is deterministic: no timestamp or host unless given', () => {
    expect(renderJunit([shopRun])).to.equal(renderJunit([shopRun]));
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
