import { expect } from 'chai';
import fc from 'fast-check';
import { planProbes, sourcePlanner, toProbeKey } from '../../src/probe/plan-probes.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import type { ProbeSettings, WorkloadSpec } from '../../src/scenario/types.js';
import { toMillis, toServiceRef, toWorkloadRef } from '../../src/scenario/types.js';
import { EMPTY_TOPOLOGY, external, scenario, settings, stateOf, workload, type PortSpec } from '../fixtures/build-scenario.js';

function plan(workloads: readonly WorkloadSpec[], probe: Partial<ProbeSettings>, externals = scenario({ workloads: [] }).externals) {
  const s = scenario({ workloads, externals });
  return planProbes(s, stateOf(s), settings(probe), EMPTY_TOPOLOGY);
}

describe('probe/plan-probes', () => {
  describe('toProbeKey', () => {
    const from = toWorkloadRef('demo', 'frontend');
    const rows: Array<{ to: ProbeTarget; port: number; protocol: 'TCP' | 'UDP' | 'SCTP'; want: string }> = [
      { to: { kind: 'workload', ref: toWorkloadRef('demo', 'backend'), portName: 'http' }, port: 80, protocol: 'TCP', want: 'demo/frontend -> demo/backend:80/TCP' },
      { to: { kind: 'external', name: 'partner-api', ip: '192.0.2.10' }, port: 443, protocol: 'TCP', want: 'demo/frontend -> partner-api:443/TCP' },
      { to: { kind: 'dns' }, port: 53, protocol: 'UDP', want: 'demo/frontend -> dns:53/UDP' },
      { to: { kind: 'workload', ref: toWorkloadRef('other', 'db') }, port: 5432, protocol: 'SCTP', want: 'demo/frontend -> other/db:5432/SCTP' },
    ];
    for (const row of rows) it(`${row.to.kind} -> ${row.want}`, () => expect(toProbeKey(from, row.to, row.port, row.protocol)).to.equal(row.want));
  });

  describe('which probes, in which order', () => {
    const rows: Array<{ desc: string; workloads: WorkloadSpec[]; probe: Partial<ProbeSettings>; externals?: ReturnType<typeof external>[]; want: string[] }> = [
      {
        desc: 'every ordered pair, never a workload to itself by default',
        workloads: [workload('demo/b', [80]), workload('demo/a', [80])],
        probe: { dns: false },
        want: ['demo/a -> demo/b:80/TCP', 'demo/b -> demo/a:80/TCP'],
      },
      {
        desc: 'probe.self adds A -> A',
        workloads: [workload('demo/a', [80]), workload('demo/b', [80])],
        probe: { dns: false, self: true },
        want: ['demo/a -> demo/a:80/TCP', 'demo/a -> demo/b:80/TCP', 'demo/b -> demo/a:80/TCP', 'demo/b -> demo/b:80/TCP'],
      },
      {
        desc: 'every port the target serves, by port then protocol',
        workloads: [workload('demo/a'), workload('demo/b', [443, '80/UDP', 80, '53/UDP'])],
        probe: { dns: false },
        want: ['demo/a -> demo/b:53/UDP', 'demo/a -> demo/b:80/TCP', 'demo/a -> demo/b:80/UDP', 'demo/a -> demo/b:443/TCP'],
      },
      {
        desc: 'namespace before name, whatever the separator sorts like',
        workloads: [workload('a-b/x', [1]), workload('a/y', [1]), workload('a/x', [1])],
        probe: { dns: false },
        want: [
          'a/x -> a/y:1/TCP', 'a/x -> a-b/x:1/TCP',
          'a/y -> a/x:1/TCP', 'a/y -> a-b/x:1/TCP',
          'a-b/x -> a/x:1/TCP', 'a-b/x -> a/y:1/TCP',
        ],
      },
      {
        desc: 'workloads, then externals by name, then dns',
        workloads: [workload('demo/a', [80]), workload('demo/b', [80])],
        externals: [external('zeta', '192.0.2.2', [443, 80]), external('alpha', '192.0.2.1', [22])],
        probe: { dns: true },
        want: [
          'demo/a -> demo/b:80/TCP', 'demo/a -> alpha:22/TCP', 'demo/a -> zeta:80/TCP', 'demo/a -> zeta:443/TCP', 'demo/a -> dns:53/UDP',
          'demo/b -> demo/a:80/TCP', 'demo/b -> alpha:22/TCP', 'demo/b -> zeta:80/TCP', 'demo/b -> zeta:443/TCP', 'demo/b -> dns:53/UDP',
        ],
      },
      {
        desc: 'a workload serving nothing is a source only',
        workloads: [workload('demo/client'), workload('demo/server', [8080])],
        probe: { dns: false },
        want: ['demo/client -> demo/server:8080/TCP'],
      },
      {
        desc: 'dns probes even without any served port',
        workloads: [workload('demo/a'), workload('demo/b')],
        probe: { dns: true },
        want: ['demo/a -> dns:53/UDP', 'demo/b -> dns:53/UDP'],
      },
      {
        desc: 'probe.dnsProtocols: one lookup per workload and protocol, UDP first',
        workloads: [workload('demo/a'), workload('demo/b')],
        probe: { dns: true, dnsProtocols: ['UDP', 'TCP'] },
        want: ['demo/a -> dns:53/UDP', 'demo/a -> dns:53/TCP', 'demo/b -> dns:53/UDP', 'demo/b -> dns:53/TCP'],
      },
      {
        desc: 'external clients after every workload, by name, to every served port of every workload (never to externals or dns)',
        workloads: [workload('demo/b', [80, '53/UDP']), workload('demo/a', [443])],
        externals: [
          { ...external('zeta', '192.0.2.2', [22]), client: true },
          external('target-only', '192.0.2.3', []),
          { ...external('alpha', '192.0.2.1', []), client: true },
        ],
        probe: { dns: true },
        want: [
          'demo/a -> demo/b:53/UDP', 'demo/a -> demo/b:80/TCP', 'demo/a -> zeta:22/TCP', 'demo/a -> dns:53/UDP',
          'demo/b -> demo/a:443/TCP', 'demo/b -> zeta:22/TCP', 'demo/b -> dns:53/UDP',
          'alpha -> demo/a:443/TCP', 'alpha -> demo/b:53/UDP', 'alpha -> demo/b:80/TCP',
          'zeta -> demo/a:443/TCP', 'zeta -> demo/b:53/UDP', 'zeta -> demo/b:80/TCP',
        ],
      },
    ];
    for (const row of rows) {
      it(row.desc, () => expect(plan(row.workloads, row.probe, row.externals).map((p) => p.key)).to.deep.equal(row.want));
    }
  });

  describe('probe fields', () => {
    const workloads = [workload('demo/a', [80]), workload('demo/b', ['80/http', '9090/UDP'])];
    const externals = [external('partner-api', '192.0.2.10', [443])];
    for (const target of ['service-name', 'service-ip', 'pod-ip'] as const) {
      it(`workload targets are addressed as the step says (${target}); externals by IP; dns by lookup`, () => {
        const probes = plan(workloads, { target, dns: true, timeoutMs: toMillis(1500) }, externals);
        const byKey = new Map(probes.map((p) => [p.key as string, p]));
        expect(byKey.get('demo/a -> demo/b:80/TCP')).to.deep.equal({
          key: 'demo/a -> demo/b:80/TCP',
          from: 'demo/a',
          to: { kind: 'workload', ref: 'demo/b', portName: 'http' },
          port: 80,
          protocol: 'TCP',
          addressing: target,
          timeoutMs: 1500,
        });
        expect(byKey.get('demo/a -> demo/b:9090/UDP')?.to).to.deep.equal({ kind: 'workload', ref: 'demo/b' });
        expect(byKey.get('demo/a -> partner-api:443/TCP')).to.include({ addressing: 'external-ip', port: 443, protocol: 'TCP' });
        expect(byKey.get('demo/a -> partner-api:443/TCP')?.to).to.deep.equal({ kind: 'external', name: 'partner-api', ip: '192.0.2.10' });
        expect(byKey.get('demo/b -> dns:53/UDP')).to.deep.include({ to: { kind: 'dns' }, port: 53, protocol: 'UDP', addressing: 'dns-lookup' });
      });
    }

    it('an external client probes by pod IP whatever the step says, and carries its address', () => {
      const clients = [{ ...external('partner', '192.0.2.10', []), client: true as const }];
      const probes = plan(workloads, { target: 'service-name', dns: true }, clients);
      expect(probes.find((p) => p.key === 'partner -> demo/b:80/TCP')).to.deep.equal({
        key: 'partner -> demo/b:80/TCP',
        from: 'partner',
        fromExternal: { name: 'partner', ip: '192.0.2.10' },
        to: { kind: 'workload', ref: 'demo/b', portName: 'http' },
        port: 80,
        protocol: 'TCP',
        addressing: 'pod-ip',
        timeoutMs: 2000,
      });
      expect(probes.filter((p) => p.from !== 'partner').every((p) => p.fromExternal === undefined)).to.equal(true);
    });

    it('a port without a name has no portName key at all (exactOptionalPropertyTypes)', () => {
      const [probe] = plan([workload('demo/a'), workload('demo/b', [80])], { dns: false });
      expect(probe?.to).to.not.have.property('portName');
    });
  });

  describe('Services that differ from the pod', () => {
    const db: WorkloadSpec = {
      ...workload('demo/db', ['8080/http', 9090, 7000]),
      services: [
        { ref: toServiceRef('demo', 'db'), namespace: 'demo', name: 'db', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, targetPortName: 'http' }] },
        { ref: toServiceRef('demo', 'db-admin'), namespace: 'demo', name: 'db-admin', ports: [{ name: 'admin', port: 9000, protocol: 'TCP', targetPort: 9090 }, { name: 'direct', port: 8080, protocol: 'TCP', targetPort: 8080 }] },
      ],
    };
    const a = workload('demo/a');

    it('dials every Service port, keyed by the pod port and the Service; a port no Service exposes by pod IP', () => {
      const probes = plan([a, db], { dns: false });
      expect(probes.map((p) => [p.key, p.addressing, p.port, p.service?.port])).to.deep.equal([
        ['demo/a -> demo/db:7000/TCP', 'pod-ip', 7000, undefined],
        ['demo/a -> demo/db:8080/TCP via db:80', 'service-name', 8080, 80],
        ['demo/a -> demo/db:8080/TCP via db-admin:8080', 'service-name', 8080, 8080],
        ['demo/a -> demo/db:9090/TCP via db-admin:9000', 'service-name', 9090, 9000],
      ]);
      expect(probes[1]!.to).to.deep.equal({ kind: 'workload', ref: 'demo/db', portName: 'http' });
      expect(probes[3]!.service).to.deep.equal({ ref: 'demo/db-admin', name: 'db-admin', port: 9000, portName: 'admin' });
    });

    it('by pod IP, Services play no part', () => {
      expect(plan([a, db], { dns: false, target: 'pod-ip' }).map((p) => p.key)).to.deep.equal(['demo/a -> demo/db:7000/TCP', 'demo/a -> demo/db:8080/TCP', 'demo/a -> demo/db:9090/TCP']);
    });

    it('a workload with `services: []` is probed by pod IP on every port, and count() agrees with the plan', () => {
      const lone: WorkloadSpec = { ...workload('demo/lone', [80, '53/UDP']), services: [] };
      const s = scenario({ workloads: [a, db, lone] });
      const probes = planProbes(s, stateOf(s), settings({ dns: true }), EMPTY_TOPOLOGY);
      expect(probes.filter((p) => p.to.kind === 'workload' && p.to.ref === lone.ref).every((p) => p.addressing === 'pod-ip')).to.equal(true);
      expect(sourcePlanner(s, stateOf(s), settings({ dns: true })).count()).to.equal(probes.length);
      expect(sourcePlanner(s, stateOf(s), settings({ dns: false, self: true })).count()).to.equal(planProbes(s, stateOf(s), settings({ dns: false, self: true }), EMPTY_TOPOLOGY).length);
    });
  });

  describe('properties', () => {
    const portArb = fc.record({ port: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') });
    const workloadsArb = fc
      .uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'a-b'), fc.constantFrom('x', 'y', 'z-1')), { selector: ([n, w]) => `${n}/${w}`, minLength: 1, maxLength: 5 })
      .chain((refs) =>
        fc.tuple(...refs.map(([ns, name]) =>
          fc.uniqueArray(portArb, { selector: (p) => `${p.port}/${p.protocol}`, maxLength: 3 }).map((ports) =>
            workload(`${ns}/${name}`, ports.map((p): PortSpec => `${p.port}/${p.protocol}`)),
          ),
        )),
      );

    it('plans the documented number of probes, with unique keys, independent of input order', () => {
      fc.assert(
        fc.property(workloadsArb, fc.boolean(), fc.boolean(), (workloads, self, dns) => {
          const probes = plan(workloads, { self, dns });
          const ports = workloads.reduce((n, w) => n + w.ports.length, 0);
          const expected = workloads.reduce((n, w) => n + ports - (self ? 0 : w.ports.length) + (dns ? 1 : 0), 0);
          expect(probes).to.have.length(expected);
          expect(new Set(probes.map((p) => p.key)).size).to.equal(probes.length);
          expect(plan([...workloads].reverse(), { self, dns }).map((p) => p.key)).to.deep.equal(probes.map((p) => p.key));
        }),
        { numRuns: 60 },
      );
    });
  });
});
