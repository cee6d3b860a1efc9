/**
 * Half-open flows: an ingress rule admits a source whose own egress never lets the flow out
 * (`half-open-ingress`), or an egress rule lets a flow out that the destination's ingress
 * never admits (`half-open-egress`). Either side alone opens nothing (DESIGN rule 3: a flow
 * needs both), so the rule is dead for those pods or the other side is missing a rule.
 */
import { portMatches } from '../../policy/match-port.js';
import type { Protocol } from '../../policy/types.js';
import { forEachBit } from '../../simulator/bitset.js';
import type { CompiledPolicy, CompiledState } from '../../simulator/compile-state.js';
import { podFlow } from '../../simulator/predict.js';
import { forEachPeer, policyFinding } from '../locate.js';
import type { LintContext, LintFinding, LintRule, LintRuleId } from '../types.js';

/** Flows shown per finding before `and N more`. */
const SHOWN = 3;

interface DeadFlow {
  readonly text: string;
  readonly blockers: readonly string[];
}

/** The flows one rule peer allows on its side that the other side denies. */
function deadFlows(compiled: CompiledState, policy: CompiledPolicy, direction: 'ingress' | 'egress', r: number, i: number): DeadFlow[] {
  const rule = policy[direction]![r]!;
  const peer = rule.peers![i]!;
  const out: DeadFlow[] = [];
  forEachBit(policy.selected, (self) => {
    forEachBit(peer.pods, (other) => {
      if (self === other) return;
      const [source, destination] = direction === 'ingress' ? [other, self] : [self, other];
      const dest = compiled.pods[destination]!;
      if (compiled.pods[source]!.ref === undefined) return;
      for (const port of dest.ports) {
        if (rule.ports && !rule.ports.some((rp) => portMatches(rp, port.port, port.protocol as Protocol, dest.ports))) continue;
        const flow = podFlow(compiled, source, destination, port.port, port.protocol);
        const otherSide = direction === 'ingress' ? flow.egress : flow.ingress;
        if (otherSide && !otherSide.allowed) {
          out.push({ text: `${compiled.pods[source]!.display} -> ${dest.display}:${port.port}/${port.protocol}`, blockers: otherSide.isolatedBy });
        }
      }
    });
  });
  return out;
}

function halfOpenRule(id: Extract<LintRuleId, 'half-open-ingress' | 'half-open-egress'>, direction: 'ingress' | 'egress'): LintRule {
  const other = direction === 'ingress' ? 'egress' : 'ingress';
  return {
    id,
    severity: 'warning',
    description: `an ${direction} rule allowing flows that the other end's ${other} denies (half-open: neither side alone opens a flow)`,
    check(ctx: LintContext): LintFinding[] {
      const out: LintFinding[] = [];
      forEachPeer(ctx, ({ policy, direction: side, rule, peer, path }) => {
        if (side !== direction) return;
        const dead = deadFlows(ctx.compiled, policy, direction, rule, peer);
        if (dead.length === 0) return;
        const shown = dead.slice(0, SHOWN).map((d) => d.text).join(', ');
        const more = dead.length > SHOWN ? ` and ${dead.length - SHOWN} more` : '';
        const blockers = [...new Set(dead.flatMap((d) => d.blockers))].join(', ');
        out.push(
          policyFinding(
            ctx,
            this,
            policy.key,
            path,
            `${policy.key} ${direction} rule ${rule} peer ${peer} allows ${shown}${more}, but the ${other} of the other end denies ${dead.length === 1 ? 'it' : 'them'} (isolated by ${blockers})`,
            `add a matching ${other} rule to ${blockers}, or drop this peer if the flow is not wanted`,
          ),
        );
      });
      return out;
    },
  };
}

export const halfOpenIngress = halfOpenRule('half-open-ingress', 'ingress');
export const halfOpenEgress = halfOpenRule('half-open-egress', 'egress');
