import { expect } from 'chai';
import { describeVerdict, runCanary } from '../../src/run/canary.js';
import { FakeClock, SimulatedBackend, type Deviation } from '../fakes/simulated-backend.js';

async function canary(deviations: Deviation[]) {
  const backend = new SimulatedBackend(deviations);
  const verdict = await runCanary(backend, { deadlineMs: 3000, clock: new FakeClock(), ctx: { signal: new AbortController().signal, progress: () => {} } });
  return { backend, verdict };
}

describe('run/runCanary (enforcement canary)', () => {
  const rows: { desc: string; deviations: Deviation[]; kind: string; text: RegExp }[] = [
    { desc: 'an enforcing dataplane', deviations: [], kind: 'enforcing', text: /^enforcing \(policies took effect within 0\.0 s\)/ },
    { desc: 'a dataplane that ignores policies', deviations: [{ kind: 'not-enforcing' }], kind: 'not-enforcing', text: /^NOT enforcing/ },
    { desc: 'a dataplane that ignores egress policies', deviations: [{ kind: 'ignores-egress' }], kind: 'partial', text: /ingress policies took effect .* egress policies did not/ },
    { desc: 'a broken pod network', deviations: [{ kind: 'drops-everything' }], kind: 'broken', text: /could not reach its server before any policy \(timeout\)/ },
    { desc: 'a dataplane slow to enforce', deviations: [{ kind: 'slow', rounds: 2 }], kind: 'enforcing', text: /within 1\.0 s/ },
  ];
  for (const row of rows) {
    it(`tells ${row.desc}: ${row.kind}`, async () => {
      const { backend, verdict } = await canary(row.deviations);
      expect(verdict.kind).to.equal(row.kind);
      expect(describeVerdict(verdict)).to.match(row.text);
      expect(backend.calls.at(-1)).to.equal('tearDown');
    });
  }
});
