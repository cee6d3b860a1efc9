/**
 * `lint`: findings about an application's NetworkPolicies that are valid but almost surely
 * not what their author meant. Each rule has an id, a severity and a one-line fix.
 */
import type { AppModel } from '../manifests/types.js';
import type { Scenario } from '../scenario/types.js';
import type { CompiledState } from '../simulator/compile-state.js';

/** `error`: the policy cannot do what it says; `warning`: it probably does not. */
export type LintSeverity = 'warning' | 'error';

export const LINT_SEVERITIES: readonly LintSeverity[] = ['warning', 'error'];

export type LintRuleId =
  | 'policy-selects-nothing'
  | 'peer-matches-nothing'
  | 'egress-without-dns'
  | 'half-open-ingress'
  | 'half-open-egress'
  | 'named-port-undefined'
  | 'unknown-namespace-name'
  | 'unisolated-workload';

export interface LintFinding {
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  readonly file: string;
  /** Character offsets [start, end) in `file`. */
  readonly range: readonly [number, number];
  /** One line: what is wrong, naming the objects. */
  readonly message: string;
  /** One line: what to do. */
  readonly fix: string;
}

/** What a rule looks at: the model, its one-step scenario and the compiled policies. */
export interface LintContext {
  readonly model: AppModel;
  readonly scenario: Scenario;
  readonly compiled: CompiledState;
}

export interface LintRule {
  readonly id: LintRuleId;
  readonly severity: LintSeverity;
  /** What the rule finds, for docs. */
  readonly description: string;
  check(ctx: LintContext): LintFinding[];
}
