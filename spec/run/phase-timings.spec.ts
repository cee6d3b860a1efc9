import { expect } from 'chai';
import { describeTimings, PhaseTimings } from '../../src/run/phase-timings.js';
import type { Clock } from '../../src/util/clock.js';

describe('run/phase-timings', () => {
  it('says where the time went in whole minutes and seconds, never "11 min 60 s"', async () => {
    let now = 0;
    const clock: Clock & { advance(ms: number): void } = { now: () => now, sleep: async () => undefined, advance: (ms) => (now += ms) };
    const timings = new PhaseTimings(clock);
    await timings.time('set-up', async () => clock.advance(719_600));
    await timings.time('probe', async () => clock.advance(59_940));
    timings.probesSent = 6480;
    expect(describeTimings(timings, 300_000, 45, 4)).to.equal(
      'time: wall 5 min 0 s · set-up 12 min 0 s · apply 0.0 s · wait 0.0 s · probe 59.9 s · settle 0.0 s · teardown 0.0 s (summed over 45 scenarios, 4 at a time) · 6,480 probes, 21.6 probes/s',
    );
  });
});
