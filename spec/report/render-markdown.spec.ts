import { expect } from 'chai';
import fc from 'fast-check';
import { renderGraph, renderMarkdown, toMermaidId } from '../../src/report/render-markdown.js';
import { shopCheck, shopRun } from '../fixtures/report-fixture.js';
import { expectGolden } from './golden.js';

describe('report/render-markdown', () => {
  it('golden: check result', () => expectGolden('shop-check.md', renderMarkdown([shopCheck])));
  it('golden: run result', () => expectGolden('shop-run.md', renderMarkdown([shopRun])));

  describe('toMermaidId', () => {
    const rows: Array<[Parameters<typeof toMermaidId>[0], string, string]> = [
      ['workload', 'demo/frontend', 'w_demo_2f_frontend'],
      ['workload', 'netpol-demo/api-v2', 'w_netpol_2d_demo_2f_api_2d_v2'],
      ['external', 'partner-api', 'x_partner_2d_api'],
      ['external', 'end', 'x_end'],
      ['external', 'a_b', 'x_a_5f_b'],
      ['external', 'a.b', 'x_a_2e_b'],
      ['dns', 'dns', 'dns'],
    ];
    for (const [kind, name, want] of rows) it(`${kind} ${name} -> ${want}`, () => expect(toMermaidId(kind, name)).to.equal(want));

    it('is injective and yields only [A-Za-z0-9_]', () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), fc.constantFrom('workload' as const, 'external' as const), (a, b, kind) => {
          const ia = toMermaidId(kind, a);
          expect(ia).to.match(/^[A-Za-z0-9_]+$/);
          if (a !== b) expect(ia).to.not.equal(toMermaidId(kind, b));
        }),
        { numRuns: 300 },
      );
    });

    it('never collides across kinds', () => expect(toMermaidId('workload', 'x')).to.not.equal(toMermaidId('external', 'x')));
  });

  describe('graph of allowed flows', () => {
    it('draws the predicted allows under check, every node, no denied edge', () => {
      const lines = renderGraph(shopCheck.steps[1]!.probes);
      expect(lines[0]).to.equal('```mermaid');
      expect(lines[1]).to.equal('graph LR');
      expect(lines.filter((l) => l.includes('-->') || l.includes('==>'))).to.deep.equal([
        '  w_ops_2f_backend --> dns',
        '  w_shop_2f_backend -->|"5432"| w_shop_2f_db',
        '  w_shop_2f_backend -->|"443"| x_partner_2d_api',
        '  w_shop_2f_backend --> dns',
        '  w_shop_2f_frontend -->|"80"| w_shop_2f_backend',
        '  w_shop_2f_frontend --> dns',
      ]);
      expect(lines).to.include('  x_partner_2d_api[/"partner-api"/]').and.include('  dns(("dns"))').and.include('  w_shop_2f_db["shop/db"]');
    });

    it('draws the observed allows under run; an unforeseen one is thick and marked', () => {
      const lines = renderGraph(shopRun.steps[1]!.probes);
      expect(lines).to.include('  w_shop_2f_frontend ==>|"5432, unexpected"| w_shop_2f_db');
      // step 0: ops/backend's lookup was inconclusive, so it is not drawn as allowed.
      expect(renderGraph(shopRun.steps[0]!.probes)).to.not.include('  w_ops_2f_backend --> dns');
    });

    it('joins several ports of one pair into one edge', () => {
      const probes = [80, 443].map((port) => ({ from: 'd/a', to: 'd/b', port, protocol: 'TCP' as const, expected: null, predicted: 'allow' as const, observed: null, reason: '', pass: true }));
      expect(renderGraph(probes)).to.include('  w_d_2f_a -->|"80, 443"| w_d_2f_b');
    });
  });

  it('counts at the top, a failure table per failing step', () => {
    const out = renderMarkdown([shopCheck, shopRun]);
    expect(out.split('\n')[2]).to.equal('**❌ FAIL** · scenarios: 0 passed, 2 failed · steps: 1 passed, 3 failed · 80 probes: 67 passed, 5 failed, 7 unasserted, 1 inconclusive');
    expect(out).to.include('| shop/frontend | shop/db:5432/TCP | allow | deny | allow (ok) | denied: egress of shop/frontend is isolated by "shop/lockdown" &amp; no rule allows &lt;5432/TCP&gt; |');
    expect(out).to.include('| shop/db | dns:53/UDP | allow | deny | denied: egress');
    expect(out).to.include('| ❌ | shop | scenarios/shop.yaml | 0/2 | 33 | 3 | 3 | 1 |');
  });

  it('no results', () => expect(renderMarkdown([])).to.equal('# netpol-harness\n\n**✅ PASS** · scenarios: 0 passed, 0 failed · steps: 0 passed, 0 failed · 0 probes: 0 passed, 0 failed, 0 unasserted\n\n'));

  it('an incomplete run says so at the top and does not read as a pass', () => {
    const out = renderMarkdown([], { incomplete: 'interrupted (SIGINT)' });
    expect(out).to.include('> **⚠️ INCOMPLETE:** interrupted (SIGINT). This report covers the 0 scenario(s) that finished.');
    expect(out).to.include('**❌ FAIL**');
  });
});
