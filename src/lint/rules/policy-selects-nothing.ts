/** A policy whose podSelector matches no pod of its namespace does nothing at all. */
import { formatSelector } from '../../policy/selector.js';
import { isEmptySet } from '../../simulator/bitset.js';
import { policyFinding } from '../locate.js';
import type { LintRule } from '../types.js';

export const policySelectsNothing: LintRule = {
  id: 'policy-selects-nothing',
  severity: 'warning',
  description: 'a policy whose podSelector selects no pod of its namespace',
  check(ctx) {
    return ctx.compiled.policies
      .filter((p) => isEmptySet(p.selected))
      .map((p) =>
        policyFinding(
          ctx,
          this,
          p.key,
          ['spec', 'podSelector'],
          `${p.key} selects no pod: no workload of namespace ${p.policy.namespace} matches ${formatSelector(p.policy.podSelector)}`,
          'correct the podSelector to the labels of the pods meant, or delete the policy',
        ),
      );
  },
};
