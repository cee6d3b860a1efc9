import { expect } from 'chai';
import { describePrediction, renderExplanation } from '../../src/simulator/explain.js';
import { predict } from '../../src/simulator/predict.js';
import { buildWorld } from './world.js';

const world = buildWorld({
  externals: [{ name: 'partner', ip: '192.0.2.10' }],
  policies: [
    { id: 'x/deny-out', spec: { podSelector: {}, policyTypes: ['Egress'] } },
    { id: 'x/to-b', spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { pod: 'c' } } }, { podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 81 }, { port: 80 }] }] } },
    { id: 'y/deny-in', spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  ],
});

const GOLDEN: readonly [string, string][] = [
  ['x/a -> x/b:80', 'allowed: egress by x/to-b rule 0 (peer 1, port 1); ingress not isolated'],
  ['y/a -> x/a:80', 'allowed: egress not isolated; ingress not isolated'],
  ['z/a -> y/a:80', 'denied: ingress of y/a isolated by y/deny-in, no rule allows z/a on 80/TCP'],
  ['x/a -> y/a:80', 'denied: egress of x/a isolated by x/deny-out, x/to-b, no rule allows 80/TCP to y/a; ingress of y/a isolated by y/deny-in, no rule allows x/a on 80/TCP'],
  ['x/a -> x/b:80 by name', 'denied: DNS lookup blocked: egress of x/a isolated by x/deny-out, x/to-b, no rule allows 53/UDP to the cluster DNS'],
  ['y/a -> x/b:80 by name', 'allowed: egress not isolated; ingress not isolated; DNS lookup allowed'],
  ['x/a -> dns', 'denied: DNS lookup blocked: egress of x/a isolated by x/deny-out, x/to-b, no rule allows 53/UDP to the cluster DNS'],
  ['y/a -> dns', 'allowed: DNS lookup: egress not isolated; ingress not isolated'],
  ['x/a -> partner:443', 'denied: egress of x/a isolated by x/deny-out, x/to-b, no rule allows 443/TCP to partner (192.0.2.10)'],
  ['y/a -> partner:443', 'allowed: egress not isolated; no ingress side (not a pod)'],
];

describe('simulator/explain', () => {
  for (const [probe, line] of GOLDEN) {
    it(`describePrediction: ${probe}`, () => {
      const p = world.probe(probe);
      expect(describePrediction(predict(world.compiled, p), p)).to.equal(line);
    });
  }
  it('renderExplanation names the isolating policies, the allowing rule and the DNS dependency', () => {
    const p = world.probe('x/a -> x/b:80 by name');
    const text = renderExplanation(predict(world.compiled, p), p);
    expect(text.split('\n')[0]).to.equal('x/a -> x/b 80/TCP (service-name): DENIED');
    expect(text).to.include('egress of x/a: isolated by x/deny-out, x/to-b');
    expect(text).to.include('allowed by x/to-b egress rule 0 (peer 1, port 1)');
    expect(text).to.include('the lookup needs 53/UDP to a DNS pod (DESIGN rule 11): BLOCKED');
    expect(text).to.include('verdict: denied because the DNS lookup fails');
  });
});
