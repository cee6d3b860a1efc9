/**
 * A named port in a rule that no destination pod declares (with that protocol): named ports
 * resolve on the destination pod (DESIGN rule 7), so the port matches nothing. For an ingress
 * rule the destinations are the selected pods; for an egress rule the pods its peers match.
 */
import { forEachBit } from '../../simulator/bitset.js';
import { allPods } from '../../simulator/compile-state.js';
import { policyFinding } from '../locate.js';
import type { LintContext, LintFinding, LintRule } from '../types.js';

export const namedPortUndefined: LintRule = {
  id: 'named-port-undefined',
  severity: 'error',
  description: 'a named port in a rule that no destination pod declares with that protocol',
  check(ctx: LintContext): LintFinding[] {
    const { compiled } = ctx;
    const out: LintFinding[] = [];
    for (const p of compiled.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        (p[direction] ?? []).forEach((rule, r) => {
          const destinations = direction === 'ingress' ? p.selected : (rule.peerUnion ?? allPods(compiled));
          (rule.ports ?? []).forEach((port, k) => {
            if (typeof port.port !== 'string') return;
            let declared = false;
            forEachBit(destinations, (d) => {
              declared ||= compiled.pods[d]!.ports.some((c) => c.name === port.port && c.protocol === port.protocol);
            });
            if (declared) return;
            out.push(
              policyFinding(
                ctx,
                this,
                p.key,
                ['spec', direction, r, 'ports', k, 'port'],
                `${p.key} ${direction} rule ${r} names port ${JSON.stringify(port.port)}/${port.protocol}, which no ${direction === 'ingress' ? 'selected' : 'destination'} pod declares: the rule matches no traffic`,
                `name the container port ${JSON.stringify(port.port)} on the ${direction === 'ingress' ? 'selected' : 'destination'} pods, or write the port number`,
              ),
            );
          });
        });
      }
    }
    return out;
  },
};
