import { expect } from 'chai';
import { renderHtml } from '../../src/report/render-html.js';
import type { ScenarioResult } from '../../src/report/result.js';
import { CONFORMANCE, DIFF, shopCheck, shopRun } from '../fixtures/report-fixture.js';

/** A result whose names and reasons try to break out of the page. */
const hostile: ScenarioResult = {
  ...shopCheck,
  scenario: 'x</script><script>alert(1)</script>',
  steps: shopCheck.steps.map((s) => ({ ...s, name: '<img src=x onerror=alert(1)>', probes: s.probes.map((p) => ({ ...p, reason: '</script><!-- "quoted" & \'single\'', explanation: ['line </script>', '\u2028'] })) })),
};

describe('report/render-html', () => {
  it('is one self-contained page: inline style and script, a CSP that forbids the network, nothing loaded', () => {
    const html = renderHtml({ results: [shopCheck, shopRun] });
    expect(html).to.match(/^<!doctype html>\n<html lang="en">/);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    expect(html).to.not.match(/<link\b|\bsrc=|@import|url\((?!#)/);
    // The only URL is the SVG namespace, an identifier that is never fetched.
    expect(html.match(/https?:\/\/[^"\s]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).to.deep.equal([]);
  });

  it('escapes names, titles and reasons, and no text can end the data script early', () => {
    const html = renderHtml({ results: [hostile] });
    expect(html).to.not.include('<script>alert(1)');
    expect(html).to.not.include('<img src=x');
    expect(html.match(/<script/g)).to.have.length(2);
    expect(html.match(/<\/script>/g)).to.have.length(2);
    const data = /<script type="application\/json" id="nph-data">(.*?)<\/script>/s.exec(html)![1]!;
    const parsed = JSON.parse(data) as { probes: { reason: string }[]; lines: string[] };
    expect(parsed.probes[0]!.reason).to.equal('</script><!-- "quoted" & \'single\'');
    expect(parsed.lines).to.include('line </script>').and.include('\u2028');
  });

  it('leads with the counts and the disagreements, failed scenarios first', () => {
    const html = renderHtml({ results: [{ ...shopCheck, pass: true, scenario: 'green' }, shopRun] });
    expect(html.indexOf('id="disagreements"')).to.be.lessThan(html.indexOf('class="scenario"'));
    expect(html.indexOf('data-scenario="shop" data-pass="false"')).to.be.lessThan(html.indexOf('data-scenario="green"'));
    expect(html).to.include('data-scope="total" data-status="unasserted"><b>7</b>');
    expect(html).to.include('6 disagreement(s)');
  });

  it('shows settle times, observations and unexpected flows of a run', () => {
    const html = renderHtml({ results: [shopRun] });
    expect(html).to.include('settled in 2.4 s').and.include('flapping: shop/frontend -&gt; shop/db:5432/TCP');
    expect(html).to.include('<i>O</i>');
    expect(html).to.match(/class="edge unexpected" data-from="shop\/frontend" data-to="shop\/db"/);
  });

  it('a check has no observed column', () => {
    // Only the legend mentions the O mark.
    expect(renderHtml({ results: [shopCheck] }).match(/<i>O<\/i>/g)).to.have.length(1);
  });

  it('shows the conformance table and the diff only when given', () => {
    const plain = renderHtml({ results: [shopCheck] });
    expect(plain).to.not.include('id="conformance"').and.not.include('id="diff"');
    const html = renderHtml({ results: [shopCheck], conformance: CONFORMANCE, diff: DIFF });
    expect(html).to.include('<h2>Conformance on kind with Cilium: <span class="s-failed">✗ DEVIATES</span></h2>');
    expect(html).to.include('data-feature="named-port" data-verdict="inconclusive"').and.include('x/b -&gt; x/a:80/TCP expected allow, observed inconclusive (named-port &lt;&amp;&gt;, step 1)');
    expect(html).to.include('unsupported: no SCTP on this dataplane');
    expect(html).to.include('<span class="add">+  podSelector: {matchLabels: {app: web}}</span>').and.include('✓ allow</td><td class="v-deny">✗ deny');
  });

  it('says when the run is incomplete, and then never reads as a pass', () => {
    const html = renderHtml({ results: [], incomplete: 'interrupted (SIGINT)' });
    expect(html).to.include('⚠ INCOMPLETE: interrupted (SIGINT). This report covers the 0 scenario(s) that finished.');
    expect(html).to.include('data-pass="false">✗ FAIL');
  });

  it('is deterministic without a generation time', () => {
    expect(renderHtml({ results: [shopRun] })).to.equal(renderHtml({ results: [shopRun] }));
  });
});
