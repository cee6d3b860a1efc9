import { expect } from 'chai';
import fc from 'fast-check';
import { planProbes } from '../../src/probe/plan-probes.js';
import { countProbes } from '../../src/scenario/count-probes.js';
import { stepStates } from '../../src/scenario/step-states.js';
import { EMPTY_TOPOLOGY, external, scenario, workload } from '../fixtures/build-scenario.js';

describe('scenario/count-probes', () => {
  it('property: equals the summed length of the probe plans of every step', () => {
    const ports = fc.subarray<string | number>([80, 443, '53/UDP', '8080/http', '9000/SCTP']);
    fc.assert(
      fc.property(
        fc.array(ports, { maxLength: 6 }),
        fc.array(fc.record({ ports: fc.subarray([443, 8443]), client: fc.boolean() }), { maxLength: 2 }),
        fc.array(
          fc.record({
            dns: fc.boolean(),
            target: fc.constantFrom('service-name' as const, 'pod-ip' as const),
            dnsProtocols: fc.constantFrom(undefined, ['UDP' as const, 'TCP' as const], ['TCP' as const]),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.boolean(),
        (served, externals, steps, self) => {
          const s = scenario({
            workloads: served.map((p, i) => workload(`demo/w${i}`, [...p])),
            // An external client also starts probes, to every port of every workload.
            externals: externals.map((e, i) => ({ ...external(`x${i}`, `192.0.2.${i + 1}`, e.ports), ...(e.client ? { client: true as const } : {}) })),
            steps: steps.map(({ dnsProtocols, ...probe }, i) => ({ name: `s${i}`, probe: { ...probe, self, ...(dnsProtocols ? { dnsProtocols } : {}) } })),
          });
          const states = stepStates(s);
          const planned = s.steps.reduce((n, step, i) => n + planProbes(s, states[i]!, step.probe, EMPTY_TOPOLOGY).length, 0);
          expect(countProbes(s)).to.equal(planned);
        },
      ),
      { numRuns: 200 },
    );
  });
});
