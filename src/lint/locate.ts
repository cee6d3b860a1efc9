/** Where in a manifest a finding points: a policy, a path inside it, or a workload. */
import type { ManifestSite } from '../manifests/types.js';
import type { NetworkPolicyPeer, PolicyKey } from '../policy/types.js';
import type { CompiledPolicy } from '../simulator/compile-state.js';
import { rangeAt, type DocPath } from '../scenario/locate-node.js';
import type { LintContext, LintFinding, LintRule } from './types.js';

/** The file and range of `path` inside the object at `site`. */
export function locate(site: ManifestSite, path: DocPath): Pick<LintFinding, 'file' | 'range'> {
  return { file: site.parsed.file, range: rangeAt(site.parsed.doc, [...site.path, ...path]) };
}

/** A finding of `rule` at `path` inside policy `key`. */
export function policyFinding(ctx: LintContext, rule: LintRule, key: PolicyKey, path: DocPath, message: string, fix: string): LintFinding {
  return { rule: rule.id, severity: rule.severity, ...locate(ctx.model.policySites.get(key)!, path), message, fix };
}

/** Where a peer is, as the rules that visit peers see it. */
export interface PeerSite {
  readonly policy: CompiledPolicy;
  readonly direction: 'ingress' | 'egress';
  /** Rule and peer indexes, as written. */
  readonly rule: number;
  readonly peer: number;
  readonly written: NetworkPolicyPeer;
  /** Its path in the policy (`spec.ingress[r].from[i]`). */
  readonly path: DocPath;
}

/** Calls `visit` for every peer of every rule of every policy in force, in policy, direction, rule, peer order. */
export function forEachPeer(ctx: LintContext, visit: (site: PeerSite) => void): void {
  for (const policy of ctx.compiled.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      policy.policy[direction].forEach((rule, r) => {
        (rule.peers ?? []).forEach((written, i) => visit({ policy, direction, rule: r, peer: i, written, path: ['spec', direction, r, direction === 'ingress' ? 'from' : 'to', i] }));
      });
    }
  }
}
