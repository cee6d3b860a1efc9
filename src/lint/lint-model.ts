/** Runs every lint rule on an application model; findings sorted by file, then position. Pure. */
import { modelScenario } from '../manifests/model-scenario.js';
import type { AppModel } from '../manifests/types.js';
import { predictStep } from '../reachability/predict-step.js';
import { egressWithoutDns } from './rules/egress-without-dns.js';
import { halfOpenEgress, halfOpenIngress } from './rules/half-open.js';
import { namedPortUndefined } from './rules/named-port-undefined.js';
import { peerMatchesNothing } from './rules/peer-matches-nothing.js';
import { policySelectsNothing } from './rules/policy-selects-nothing.js';
import { unisolatedWorkload } from './rules/unisolated-workload.js';
import { unknownNamespaceName } from './rules/unknown-namespace-name.js';
import { LINT_SEVERITIES, type LintFinding, type LintRule, type LintSeverity } from './types.js';

/** Every rule, in the order their findings are listed at one position. */
export const LINT_RULES: readonly LintRule[] = [
  policySelectsNothing,
  peerMatchesNothing,
  unknownNamespaceName,
  namedPortUndefined,
  egressWithoutDns,
  halfOpenIngress,
  halfOpenEgress,
  unisolatedWorkload,
];

/** The findings of every rule at or above `severity`. */
export function lintModel(model: AppModel, severity: LintSeverity): LintFinding[] {
  const { scenario, compiled } = predictStep(modelScenario(model, 'lint', 'lint'), 0);
  const ctx = { model, scenario, compiled };
  const floor = LINT_SEVERITIES.indexOf(severity);
  const order = (f: LintFinding): number => LINT_RULES.findIndex((r) => r.id === f.rule);
  return LINT_RULES.filter((r) => LINT_SEVERITIES.indexOf(r.severity) >= floor)
    .flatMap((r) => r.check(ctx))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range[0] - b.range[0] || order(a) - order(b)));
}
