import type { ProbeKey } from '../../src/probe/types.js';

/** Specs key probes by their notation; the real keys come from probe planning. */
export function toProbeKeyForSpec(text: string): ProbeKey {
  return text as ProbeKey;
}
