/**
 * Where a run's time went, summed over scenarios: set-up; apply; wait (after a change, for the
 * dataplane to enforce it, as the canary measured); probe (the first round of each step);
 * settle (further rounds, until one agrees or the budget is spent); teardown. Plus how many
 * probes were sent. `run` prints one line of it at the end.
 */
import type { Clock } from '../util/clock.js';

export const PHASES = ['set-up', 'apply', 'wait', 'probe', 'settle', 'teardown'] as const;
export type Phase = (typeof PHASES)[number];

export class PhaseTimings {
  private readonly ms = new Map<Phase, number>(PHASES.map((p) => [p, 0]));
  /** Probe results received (every round counts). */
  probesSent = 0;

  constructor(private readonly clock: Clock) {}

  /** Runs `fn`, adding its duration to `phase` (also when it throws). */
  async time<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
    const start = this.clock.now();
    try {
      return await fn();
    } finally {
      this.ms.set(phase, (this.ms.get(phase) ?? 0) + this.clock.now() - start);
    }
  }

  /** ms spent in `phase` so far (summed over scenarios running at once). */
  total(phase: Phase): number {
    return this.ms.get(phase) ?? 0;
  }
}

/** `fn`, timed into `phase` of `timings` when there are timings to keep. */
export function timePhase<T>(timings: PhaseTimings | undefined, phase: Phase, fn: () => Promise<T>): Promise<T> {
  return timings ? timings.time(phase, fn) : fn();
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  // Rounded to whole seconds first, so 719.6 s reads 12 min 0 s, not 11 min 60 s.
  const whole = Math.round(ms / 1000);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/**
 * One line, e.g. `time: wall 4 min 10 s · set-up 41.2 s · apply 3.1 s · wait 0.0 s · probe 2 min
 * 0 s · settle 4.1 s · teardown 10.3 s (summed over 45 scenarios, 4 at a time) · 3,240 probes,
 * 13.0 probes/s`.
 */
export function describeTimings(timings: PhaseTimings, wallMs: number, scenarios: number, parallel: number): string {
  const phases = PHASES.map((p) => `${p} ${seconds(timings.total(p))}`).join(' · ');
  const summed = scenarios > 1 ? ` (summed over ${scenarios} scenarios, ${Math.min(parallel, scenarios)} at a time)` : '';
  const rate = wallMs > 0 ? ` · ${timings.probesSent.toLocaleString('en-US')} probes, ${((timings.probesSent * 1000) / wallMs).toFixed(1)} probes/s` : '';
  return `time: wall ${seconds(wallMs)} · ${phases}${summed}${rate}`;
}
