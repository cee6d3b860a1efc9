/**
 * `--output json` for a matrix too large to hold: the same one-line `ScenarioResult` as
 * render-jsonl.ts, written while its one step's probes are produced, chunk by chunk. The
 * bytes are those `renderJsonl` would write for the whole result. Pure apart from `write`.
 */
import { toJsonProbe, toJsonResult } from './render-jsonl.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

/** Flush to `write` about this often (bytes), so a huge line costs few writes. */
const FLUSH_AT = 1 << 20;

/** Writes `result` with one step whose probes are the concatenation of `chunks`, then a newline. */
export function streamStepJsonl(result: Omit<ScenarioResult, 'steps'>, step: Omit<StepResult, 'probes'>, chunks: Iterable<readonly ProbeResult[]>, write: (text: string) => void): void {
  const envelope = JSON.stringify(toJsonResult({ ...result, steps: [{ ...step, probes: [] }] }));
  const at = envelope.indexOf('"probes":[]') + '"probes":['.length;
  let buffer = envelope.slice(0, at);
  let first = true;
  for (const chunk of chunks) {
    for (const probe of chunk) {
      buffer += (first ? '' : ',') + JSON.stringify(toJsonProbe(probe));
      first = false;
    }
    if (buffer.length >= FLUSH_AT) {
      write(buffer);
      buffer = '';
    }
  }
  write(`${buffer}${envelope.slice(at)}\n`);
}
