import { expect } from 'chai';
import { trapStopSignals, type SignalSource, type StopSignal } from '../../src/run/interrupt.js';

/** A signal source that records handlers and exits, and delivers signals on demand. */
class FakeSignals implements SignalSource {
  readonly handlers = new Map<StopSignal, Array<() => void>>();
  readonly exits: number[] = [];
  on(event: StopSignal, listener: () => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]);
  }
  off(event: StopSignal, listener: () => void): void {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((l) => l !== listener));
  }
  exit(code: number): never {
    this.exits.push(code);
    // A real exit never returns; the trap must not rely on running on.
    throw new Error(`exit ${code}`);
  }
  send(signal: StopSignal): void {
    for (const handler of this.handlers.get(signal) ?? []) handler();
  }
}

describe('run/interrupt: Ctrl-C and SIGTERM', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: the first aborts the run and says how to leave at once; the second exits ${code}`, () => {
      const signals = new FakeSignals();
      const messages: string[] = [];
      const trap = trapStopSignals((m) => messages.push(m), signals);
      expect(trap.signal.aborted).to.equal(false);
      expect(trap.received()).to.equal(undefined);
      signals.send(signal);
      expect(trap.signal.aborted).to.equal(true);
      expect(String(trap.signal.reason)).to.contain(`interrupted by ${signal}`);
      expect(trap.received()).to.equal(signal);
      expect(messages).to.deep.equal([`${signal}: stopping and cleaning up (press Ctrl-C again to leave at once)`]);
      expect(() => signals.send(signal)).to.throw(`exit ${code}`);
      expect(signals.exits).to.deep.equal([code]);
      expect(messages[1]).to.contain('netpol-harness cleanup');
      trap.dispose();
    });
  }

  it('a second signal of the other kind exits with its own code', () => {
    const signals = new FakeSignals();
    trapStopSignals(() => undefined, signals);
    signals.send('SIGINT');
    expect(() => signals.send('SIGTERM')).to.throw('exit 143');
  });

  it('dispose removes both handlers: later signals reach nothing', () => {
    const signals = new FakeSignals();
    const trap = trapStopSignals(() => undefined, signals);
    expect(signals.handlers.get('SIGINT')).to.have.length(1);
    trap.dispose();
    expect(signals.handlers.get('SIGINT')).to.deep.equal([]);
    expect(signals.handlers.get('SIGTERM')).to.deep.equal([]);
    signals.send('SIGINT');
    expect(trap.signal.aborted).to.equal(false);
  });

  it('with the real process: handlers are added and removed again', () => {
    const before = process.listenerCount('SIGINT');
    const trap = trapStopSignals(() => undefined);
    expect(process.listenerCount('SIGINT')).to.equal(before + 1);
    trap.dispose();
    expect(process.listenerCount('SIGINT')).to.equal(before);
  });
});
