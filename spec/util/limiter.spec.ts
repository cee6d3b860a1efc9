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

  it('weighs calls: light ones share the capacity, a heavy one waits its turn in order and is not overtaken', async () => {
    const limiter = createLimiter(8);
    const log: string[] = [];
    let used = 0;
    let peak = 0;
    const task = (name: string, units: number, ms: number) =>
      limiter.run(async () => {
        used += units;
        peak = Math.max(peak, used);
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        used -= units;
      }, units);
    await Promise.all([task('a', 4, 20), task('b', 4, 20), task('heavy', 8, 5), task('c', 1, 5)]);
    expect(peak).to.equal(8);
    // c (1 unit) arrived after heavy: it starts only after heavy, never before.
    expect(log).to.deep.equal(['start a', 'start b', 'start heavy', 'start c']);
  });

  it('runs a call heavier than the whole capacity alone', async () => {
    const limiter = createLimiter(2);
    expect(await limiter.run(async () => 'ran', 50)).to.equal('ran');
  });

  it('lets a caller give its units back before its work ends, once however often it calls', async () => {
    const limiter = createLimiter(2);
    /** An acquire in flight, and whether it was admitted after a moment. */
    const waiting = async (units: number) => {
      let admitted = false;
      const release = limiter.acquire(units).then((r) => {
        admitted = true;
        return r;
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { admitted, release };
    };
    const first = await limiter.acquire(2);
    const second = await waiting(1);
    expect(second.admitted).to.equal(false);
    first();
    first(); // a second call gives nothing back twice
    const releaseSecond = await second.release;
    // 1 of 2 units in use: one more fits, a second one must wait.
    const third = await limiter.acquire(1);
    const fourth = await waiting(1);
    expect(fourth.admitted).to.equal(false);
    releaseSecond();
    (await fourth.release)();
    third();
  });
});
