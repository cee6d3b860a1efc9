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
  /** Extension (run): why `observed` is null although the probe ran, e.g. the lookup failed before a connect the simulator predicts denied. */
  readonly inconclusive?: string;
  /** Extension (run): the observed verdict changed back and forth while settling; the probe fails. */
  readonly flapped?: true;
  /** Extension (run): a fact of this cluster that decided the prediction (it would differ on a standard cluster). */
  readonly clusterFact?: string;
  /**
   * Extension: the Service dialled, when it is not the target's default one (another name,
   * or a Service port that differs from `port`, the pod port policies judge).
   */
  readonly service?: string;
  /** Extension: the Service port dialled, beside `port` (set with `service`). */
  readonly servicePort?: number;
  /**
   * Extension: the simulator's full explanation, one string per line (what `explain` prints):
   * each side's isolating policies, the admitting rule or each policy's closest rule quoted
   * with `file:line` and what fails, and the DNS lookup a probe by Service name needs.
   */
  readonly explanation?: readonly string[];
}

export interface StepResult {
  readonly index: number;
  readonly name: string;
  readonly pass: boolean;
  readonly probes: readonly ProbeResult[];
  /**
   * Extension (run): ms from the end of the step's apply until a full round of all its probes
   * agreed with the predictions; absent when no round did.
   */
  readonly convergedMs?: number;
  /** Extension (run): full probe rounds the step took. */
  readonly rounds?: number;
  /** Extension (run): keys of the probes whose observation flapped (they fail). */
  readonly flapped?: readonly string[];
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly file: string;
  readonly pass: boolean;
  readonly steps: readonly StepResult[];
  /** Extension (run): the backend and what it found (CNI, node per workload). */
  readonly environment?: RunEnvironment;
  /** Extension: the scenario's feature tags (`metadata.tags`). */
  readonly tags?: readonly string[];
  /**
   * Extension (run): the dataplane cannot express this scenario (e.g. endPort before Kubernetes
   * 1.22); `pass` is false and `steps` holds the steps run before it was found out.
   */
  readonly unsupported?: { readonly feature: string; readonly reason: string };
}

export interface RunEnvironment {
  readonly backend: 'local' | 'kube' | 'simulated';
  /** e.g. `v1.20.2` (kube). */
  readonly serverVersion?: string;
  /** What the enforcement canary measured: how long a deny-all took to take effect, ms. */
  readonly timeToEnforceMs?: number;
  /** Facts of this cluster the predictions take into account (see ProbeResult.clusterFact). */
  readonly clusterFacts?: readonly string[];
  readonly enforcement?: 'enforcing' | 'not-enforcing' | 'partial' | 'unknown';
  readonly cni?: string;
  readonly nodes?: Readonly<Record<string, string>>;
}
