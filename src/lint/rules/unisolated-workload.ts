/**
 * A workload left out of a namespace's default-deny: other workloads of its namespace are under
 * a policy that denies a direction outright (the type, no rules), and this one is not isolated
 * in that direction at all, usually because the deny selects by labels it lacks.
 */
import { forEachBit } from '../../simulator/bitset.js';
import { locate } from '../locate.js';
import type { LintContext, LintFinding, LintRule } from '../types.js';

export const unisolatedWorkload: LintRule = {
  id: 'unisolated-workload',
  severity: 'warning',
  description: 'a workload not isolated in a direction while other workloads of its namespace are under a deny-all policy for it',
  check(ctx: LintContext): LintFinding[] {
    const { compiled, model } = ctx;
    const out: LintFinding[] = [];
    const reported = new Set<string>();
    for (const direction of ['ingress', 'egress'] as const) {
      const isolating = direction === 'ingress' ? compiled.ingressPolicies : compiled.egressPolicies;
      for (const p of compiled.policies) {
        const rules = p[direction];
        if (!rules || rules.length > 0) continue;
        const denied: string[] = [];
        forEachBit(p.selected, (i) => {
          if (compiled.pods[i]!.ref !== undefined) denied.push(compiled.pods[i]!.display);
        });
        if (denied.length === 0) continue;
        for (const w of model.workloads) {
          if (w.spec.namespace !== p.policy.namespace) continue;
          const index = compiled.podIndex.get(w.spec.ref)!;
          if (isolating[index]!.length > 0 || reported.has(`${direction} ${w.spec.ref}`)) continue;
          reported.add(`${direction} ${w.spec.ref}`);
          out.push({
            rule: this.id,
            severity: this.severity,
            ...locate(w.site, ['metadata', 'name']),
            message: `${w.spec.ref} is not isolated for ${direction}, while ${p.key} denies all ${direction} of ${denied.length} other workload${denied.length === 1 ? '' : 's'} of ${p.policy.namespace} (${denied.slice(0, 3).join(', ')}${denied.length > 3 ? ', ...' : ''})`,
            fix: `widen the podSelector of ${p.key} (podSelector: {} covers the namespace), or give ${w.spec.name} the labels it selects`,
          });
        }
      }
    }
    return out;
  },
};
