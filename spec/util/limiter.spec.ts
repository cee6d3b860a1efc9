import { expect } from 'chai';
import { createLimiter } from '../../src/util/limiter.js';

describe('util/limiter', () => {
  it('keeps at most `limit` calls in flight across every caller that shares it, and runs them all', async () => {
    const limiter = createLimiter(2);
    let active = 0;
    let peak = 0;
    const task = (i: number) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return i;
      });
    // Two "scenarios" of four execs each, started together.
    const results = await Promise.all([Promise.all([0, 1, 2, 3].map(task)), Promise.all([4, 5, 6, 7].map(task))]);
    expect(results).to.deep.equal([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(peak).to.equal(2);
  });

  it('frees the slot of a call that throws', async () => {
    const limiter = createLimiter(1);
    await limiter.run(() => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(await limiter.run(async () => 'next')).to.equal('next');
  });
});
