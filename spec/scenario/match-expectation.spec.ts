import { expect } from 'chai';
import fc from 'fast-check';
import { planProbes } from '../../src/probe/plan-probes.js';
import { expectationFor } from '../../src/scenario/match-expectation.js';
import { EMPTY_TOPOLOGY, expectation, external, scenario, settings, stateOf, workload } from '../fixtures/build-scenario.js';

const world = scenario({
  workloads: [
    workload('demo/frontend', ['80/http']),
    workload('demo/backend', ['80/http', '9090/metrics', '53/UDP/dns']),
    workload('ops/monitor', [9100]),
  ],
  externals: [external('partner-api', '192.0.2.10', ['443/https', 80]), { ...external('visitor', '198.51.100.7', []), client: true }],
});
const probes = planProbes(world, stateOf(world), settings({ dns: true, dnsProtocols: ['UDP', 'TCP'] }), EMPTY_TOPOLOGY);
const probe = (key: string) => {
  const found = probes.find((p) => p.key === key);
  if (!found) throw new Error(`no probe ${key} in the fixture plan`);
  return found;
};
const match = (entries: readonly string[], key: string) =>
  expectationFor(entries.map((e) => expectation(e, world)), probe(key), world)?.text;

describe('scenario/match-expectation', () => {
  const rows: Array<{ desc: string; entries: string[]; key: string; want: string | undefined }> = [
    { desc: 'no entries: not asserted', entries: [], key: 'demo/frontend -> demo/backend:80/TCP', want: undefined },
    { desc: '* -> * covers a workload', entries: ['allow * -> *'], key: 'demo/frontend -> demo/backend:80/TCP', want: 'allow * -> *' },
    { desc: '* -> * covers an external', entries: ['allow * -> *'], key: 'demo/frontend -> partner-api:443/TCP', want: 'allow * -> *' },
    { desc: '* -> * never covers dns', entries: ['allow * -> *'], key: 'demo/frontend -> dns:53/UDP', want: undefined },
    { desc: '-> dns covers dns', entries: ['deny * -> dns'], key: 'demo/frontend -> dns:53/UDP', want: 'deny * -> dns' },
    { desc: '-> dns does not cover a workload serving 53/UDP', entries: ['deny * -> dns'], key: 'demo/frontend -> demo/backend:53/UDP', want: undefined },
    { desc: 'the last matching entry wins', entries: ['deny * -> *', 'allow frontend -> backend', 'deny ops/* -> *'], key: 'demo/frontend -> demo/backend:9090/TCP', want: 'allow frontend -> backend' },
    { desc: 'a later non-matching entry does not override', entries: ['allow frontend -> backend', 'deny monitor -> backend'], key: 'demo/frontend -> demo/backend:80/TCP', want: 'allow frontend -> backend' },
    { desc: 'source <ns>/* matches its namespace', entries: ['deny ops/* -> *'], key: 'ops/monitor -> demo/frontend:80/TCP', want: 'deny ops/* -> *' },
    { desc: 'source <ns>/* skips other namespaces', entries: ['deny ops/* -> *'], key: 'demo/backend -> ops/monitor:9100/TCP', want: undefined },
    { desc: 'target <ns>/* matches workloads there', entries: ['deny * -> ops/*'], key: 'demo/backend -> ops/monitor:9100/TCP', want: 'deny * -> ops/*' },
    { desc: 'target <ns>/* never covers externals', entries: ['deny * -> demo/*'], key: 'demo/backend -> partner-api:80/TCP', want: undefined },
    { desc: 'source by full ref', entries: ['allow demo/frontend -> *'], key: 'demo/frontend -> ops/monitor:9100/TCP', want: 'allow demo/frontend -> *' },
    { desc: 'source by name is that workload only', entries: ['allow frontend -> *'], key: 'demo/backend -> ops/monitor:9100/TCP', want: undefined },
    { desc: 'numeric port matches', entries: ['allow * -> backend:9090'], key: 'demo/frontend -> demo/backend:9090/TCP', want: 'allow * -> backend:9090' },
    { desc: 'numeric port filters other ports', entries: ['allow * -> backend:9090'], key: 'demo/frontend -> demo/backend:80/TCP', want: undefined },
    { desc: 'named port matches the served port name', entries: ['allow * -> backend:metrics'], key: 'demo/frontend -> demo/backend:9090/TCP', want: 'allow * -> backend:metrics' },
    { desc: 'named port does not match another port', entries: ['allow * -> backend:metrics'], key: 'demo/frontend -> demo/backend:80/TCP', want: undefined },
    { desc: 'named port of an external', entries: ['deny * -> partner-api:https'], key: 'demo/frontend -> partner-api:443/TCP', want: 'deny * -> partner-api:https' },
    { desc: 'named port of an external, other port', entries: ['deny * -> partner-api:https'], key: 'demo/frontend -> partner-api:80/TCP', want: undefined },
    { desc: 'protocol filter matches', entries: ['allow * -> backend:53/udp'], key: 'demo/frontend -> demo/backend:53/UDP', want: 'allow * -> backend:53/udp' },
    { desc: 'protocol filter rejects another protocol', entries: ['allow * -> backend:80/udp'], key: 'demo/frontend -> demo/backend:80/TCP', want: undefined },
    { desc: 'dns:53/udp matches the dns probe', entries: ['allow * -> dns:53/udp'], key: 'demo/backend -> dns:53/UDP', want: 'allow * -> dns:53/udp' },
    { desc: 'dns with another port does not', entries: ['allow * -> dns:5353'], key: 'demo/backend -> dns:53/UDP', want: undefined },
    { desc: 'an external by name', entries: ['deny * -> partner-api'], key: 'ops/monitor -> partner-api:80/TCP', want: 'deny * -> partner-api' },
    { desc: 'source * never covers an external client', entries: ['allow * -> *'], key: 'visitor -> demo/backend:80/TCP', want: undefined },
    { desc: 'source <ns>/* never covers an external client', entries: ['allow demo/* -> *'], key: 'visitor -> demo/backend:80/TCP', want: undefined },
    { desc: 'an external client as a source, by name', entries: ['deny visitor -> *', 'allow visitor -> backend:http'], key: 'visitor -> demo/backend:80/TCP', want: 'allow visitor -> backend:http' },
    { desc: 'an external client source does not match workload probes', entries: ['deny visitor -> *'], key: 'demo/frontend -> demo/backend:80/TCP', want: undefined },
    { desc: '-> dns covers the lookups over UDP and TCP', entries: ['deny * -> dns'], key: 'demo/frontend -> dns:53/TCP', want: 'deny * -> dns' },
    { desc: 'dns:53/tcp is the lookup over TCP only', entries: ['allow * -> dns:53/tcp'], key: 'demo/frontend -> dns:53/UDP', want: undefined },
    { desc: 'dns:53/tcp matches the lookup over TCP', entries: ['allow * -> dns:53/tcp'], key: 'demo/frontend -> dns:53/TCP', want: 'allow * -> dns:53/tcp' },
  ];
  for (const row of rows) it(row.desc, () => expect(match(row.entries, row.key)).to.equal(row.want));

  it('with a single entry, matching is independent of what other entries precede it (last wins)', () => {
    const pool = ['allow * -> *', 'deny * -> dns', 'deny ops/* -> *', 'allow frontend -> backend:http', 'deny * -> partner-api:443/tcp', 'allow * -> demo/*'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 6 }), fc.constantFrom(...probes), (entries, p) => {
        const parsed = entries.map((e) => expectation(e, world));
        const got = expectationFor(parsed, p, world);
        const lastAlone = [...parsed].reverse().find((e) => expectationFor([e], p, world) !== undefined);
        expect(got).to.equal(lastAlone);
      }),
      { numRuns: 100 },
    );
  });
});
