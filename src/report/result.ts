/**
 * The machine-readable result (SCENARIO-FORMAT.md, "Machine-readable result"): the same shape
 * for `check` and `run`. One `ScenarioResult` per line under `--output json`.
 */
import type { Protocol } from '../policy/types.js';
import type { OutcomeKind } from '../probe/types.js';
import type { Verdict } from '../scenario/types.js';

export interface ProbeResult {
  readonly from: string;
  /** `<ns>/<name>`, an external's name, or `dns`. */
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** null when no expectation matched (the probe is not asserted). */
  readonly expected: Verdict | null;
  readonly predicted: Verdict;
  /** null under `check`, and under `run` when the probe stayed inconclusive. */
  readonly observed: Verdict | null;
  /** The simulator's explanation, one line. */
  readonly reason: string;
  readonly pass: boolean;
  /** Extension: the observed outcome class under `run`. */
  readonly outcome?: OutcomeKind;
  /** Extension: the port's name on the target, when it has one. */
  readonly portName?: string;
  /** Extension: the matching expectation as written. */
  readonly expectation?: string;
}

export interface StepResult {
  readonly index: number;
  readonly name: string;
  readonly pass: boolean;
  readonly probes: readonly ProbeResult[];
  /** Extension (run): ms from applying the step until observations agreed with predictions. */
  readonly convergedMs?: number;
  /** Extension (run): probes whose observation changed while settling. */
  readonly flapped?: readonly string[];
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly file: string;
  readonly pass: boolean;
  readonly steps: readonly StepResult[];
  /** Extension (run): the backend and what it found (CNI, node per workload). */
  readonly environment?: RunEnvironment;
}

export interface RunEnvironment {
  readonly backend: 'local' | 'kube';
  readonly enforcement?: 'enforcing' | 'not-enforcing' | 'partial' | 'unknown';
  readonly cni?: string;
  readonly nodes?: Readonly<Record<string, string>>;
}
