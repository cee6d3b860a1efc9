import { expect } from 'chai';
import { featureVerdicts, judgeCase, matchProfiles } from '../../src/conformance/feature-verdicts.js';
import type { Profile } from '../../src/conformance/profiles.js';
import { planSharedJobs, topologyKey } from '../../src/conformance/shared-topology.js';
import type { ProbeResult, ScenarioResult } from '../../src/report/result.js';
import type { Scenario } from '../../src/scenario/types.js';

function probe(from: string, to: string, expected: 'allow' | 'deny', predicted: 'allow' | 'deny', observed: 'allow' | 'deny' | null, extra: Partial<ProbeResult> = {}): ProbeResult {
  return { from, to, port: 80, protocol: 'TCP', expected, predicted, observed, reason: '', pass: expected === predicted && observed === predicted, outcome: observed === null ? 'error' : observed === 'allow' ? 'ok' : 'timeout', ...extra };
}

function result(name: string, tags: string[], probes: ProbeResult[], unsupported?: string): ScenarioResult {
  return {
    scenario: name,
    file: `${name}.yaml`,
    pass: probes.every((p) => p.pass) && unsupported === undefined,
    tags,
    steps: [{ index: 0, name: 's', pass: probes.every((p) => p.pass), probes }],
    ...(unsupported ? { unsupported: { feature: 'SCTP', reason: unsupported } } : {}),
  };
}

const CILIUM: Profile = {
  name: 'cilium',
  title: 'Cilium',
  deviations: [
    { id: 'ipblock-pod-ip', summary: 's', source: 'https://example.org/9209', tags: ['ipblock-pod-ip'], semantics: { ipBlockMatchesPods: false } },
    { id: 'sctp-disabled', summary: 's', source: 'https://example.org/sctp', tags: ['sctp'] },
  ],
};

describe('conformance/feature-verdicts', () => {
  it('a cell observed as the spec says passes; one observed otherwise deviates, with the cell', () => {
    const outcome = judgeCase(result('c', ['ingress'], [probe('x/b', 'x/a', 'allow', 'allow', 'allow'), probe('y/b', 'x/a', 'deny', 'deny', 'allow')]));
    expect(outcome.verdict).to.equal('deviates');
    expect(outcome.cells).to.deep.equal([{ case: 'c', step: 0, from: 'y/b', to: 'x/a', port: 80, protocol: 'TCP', expected: 'deny', observed: 'allow' }]);
  });

  it('under a profile, a cell observed as the profile predicts is a known deviation; another is new', () => {
    const known = judgeCase(result('ip', ['ipblock-pod-ip'], [probe('y/b', 'x/a', 'allow', 'deny', 'deny')]), CILIUM);
    expect(known).to.include({ verdict: 'known-deviation' });
    expect(known.known.map((d) => d.id)).to.deep.equal(['ipblock-pod-ip']);
    const fresh = judgeCase(result('p', ['peer-pod'], [probe('y/b', 'x/a', 'deny', 'deny', 'allow')]), CILIUM);
    expect(fresh.verdict).to.equal('deviates');
  });

  it('a deviation the profile predicts never excuses a cell it does not predict, whatever its tags', () => {
    const outcome = judgeCase(result('ip', ['ipblock-pod-ip'], [probe('x/b', 'x/a', 'allow', 'allow', 'deny')]), CILIUM);
    expect(outcome.verdict).to.equal('deviates');
    expect(outcome.known).to.deep.equal([]);
  });

  it('a predicted cell is told by the deviation with semantics whose tags the case carries', () => {
    const twoWays: Profile = {
      name: 'two',
      title: 'Two readings',
      deviations: [
        { id: 'both-ways', summary: 's', source: 'https://example.org/b', tags: ['union'], semantics: { crossDirectionRules: true } },
        { id: 'by-namespace', summary: 's', source: 'https://example.org/n', tags: ['named-port-per-pod'], semantics: { egressNamedPortsByPolicyNamespace: true } },
      ],
    };
    const told = (tags: string[]): string[] => judgeCase(result('c', tags, [probe('x/b', 'x/a', 'deny', 'allow', 'allow')]), twoWays).known.map((d) => d.id);
    expect(told(['union', 'egress'])).to.deep.equal(['both-ways']);
    expect(told(['named-port-per-pod'])).to.deep.equal(['by-namespace']);
    // A case neither names: either may be the one.
    expect(told(['egress'])).to.deep.equal(['both-ways', 'by-namespace']);
  });

  it('a failing case whose tags a profile deviation names is known (SCTP off)', () => {
    const outcome = judgeCase(result('s', ['sctp'], [probe('y/b', 'x/a', 'allow', 'allow', 'deny')]), CILIUM);
    expect(outcome.verdict).to.equal('known-deviation');
    expect(outcome.known.map((d) => d.id)).to.deep.equal(['sctp-disabled']);
  });

  it('an expectation the standard prediction contradicts is an error of the suite, never a pass', () => {
    expect(judgeCase(result('e', ['x'], [probe('a', 'b', 'allow', 'deny', 'deny')])).verdict).to.equal('suite-error');
  });

  it('an inconclusive cell makes the case inconclusive, unless something deviates', () => {
    expect(judgeCase(result('i', ['x'], [probe('a', 'b', 'allow', 'allow', null)])).verdict).to.equal('inconclusive');
    expect(judgeCase(result('i', ['x'], [probe('a', 'b', 'allow', 'allow', null), probe('b', 'a', 'allow', 'allow', 'deny')])).verdict).to.equal('deviates');
  });

  it('a flapping cell deviates even when its last observation agrees', () => {
    expect(judgeCase(result('f', ['x'], [probe('a', 'b', 'deny', 'deny', 'deny', { flapped: true })])).verdict).to.equal('deviates');
  });

  it('per tag: the worst verdict of its supported cases; unsupported only when all are', () => {
    const outcomes = [
      judgeCase(result('a', ['ingress', 'sctp'], [], 'the local dataplane cannot serve or probe SCTP')),
      judgeCase(result('b', ['ingress'], [probe('x', 'y', 'allow', 'allow', 'allow')])),
      judgeCase(result('c', ['ingress', 'udp'], [probe('x', 'y', 'deny', 'deny', 'allow')])),
    ];
    const verdicts = Object.fromEntries(featureVerdicts(outcomes).map((f) => [f.tag, [f.verdict, f.counts.pass, f.cases]]));
    expect(verdicts).to.deep.equal({ ingress: ['deviates', 1, 3], sctp: ['unsupported', 0, 1], udp: ['deviates', 0, 1] });
    expect(featureVerdicts(outcomes).find((f) => f.tag === 'sctp')!.unsupported).to.deep.equal(['the local dataplane cannot serve or probe SCTP']);
  });

  it('names the profile whose predictions explain the deviations', () => {
    const results = [result('ip', ['ipblock-pod-ip'], [probe('y/b', 'x/a', 'allow', 'allow', 'deny')]), result('p', ['peer-pod'], [probe('x/b', 'x/a', 'allow', 'allow', 'allow')])];
    const other: Profile = { name: 'other', title: 'o', deviations: [{ id: 'd', summary: 's', source: 'https://example.org/o', tags: ['udp'] }] };
    const matches = matchProfiles(results, [other, CILIUM], (p, r) => (p.name === 'cilium' && r.scenario === 'ip' ? 'deny' : 'allow'));
    expect(matches.map((m) => [m.profile, m.explained, m.deviations])).to.deep.equal([
      ['cilium', 1, 1],
      ['other', 0, 1],
    ]);
  });
});

describe('conformance/shared-topology: planning jobs', () => {
  const scenario = (name: string, topology: string): Scenario => ({
    name,
    file: `${name}.yaml`,
    namespaces: [{ name: topology, labels: {} }],
    workloads: [],
    externals: [],
    dns: { namespace: 'kube-system', labels: {} },
    steps: [],
  });

  it('one topology per job, bigger groups split over more jobs, every case once', () => {
    const scenarios = [...Array.from({ length: 9 }, (_, i) => scenario(`a${i}`, 'a')), scenario('b0', 'b'), scenario('b1', 'b'), scenario('c0', 'c')];
    const jobs = planSharedJobs(scenarios, 4);
    expect(jobs.flat().sort((x, y) => x - y)).to.deep.equal(scenarios.map((_, i) => i));
    for (const job of jobs) expect(new Set(job.map((i) => topologyKey(scenarios[i]!))).size).to.equal(1);
    expect(jobs.filter((j) => topologyKey(scenarios[j[0]!]!) === topologyKey(scenarios[0]!))).to.have.length(3);
    expect(jobs.map((j) => j.length)).to.deep.equal([3, 3, 3, 2, 1]);
  });
});
