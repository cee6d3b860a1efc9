/**
 * A policy that isolates the egress of pods none of whose policies lets them reach the
 * cluster DNS: those pods cannot resolve a Service name, so every call by name fails, whatever
 * else is allowed (the most common NetworkPolicy mistake).
 */
import { forEachBit } from '../../simulator/bitset.js';
import { dnsFlow } from '../../simulator/predict.js';
import { policyFinding } from '../locate.js';
import type { LintContext, LintFinding, LintRule } from '../types.js';

export const egressWithoutDns: LintRule = {
  id: 'egress-without-dns',
  severity: 'error',
  description: 'a policy isolating the egress of pods that no rule lets reach the cluster DNS (53/UDP)',
  check(ctx: LintContext): LintFinding[] {
    const { compiled } = ctx;
    const dns = ctx.scenario.dns;
    const out: LintFinding[] = [];
    for (const p of compiled.policies) {
      if (!p.egress) continue;
      const blind: string[] = [];
      forEachBit(p.selected, (i) => {
        const pod = compiled.pods[i]!;
        if (pod.ref !== undefined && !dnsFlow(compiled, i).allowed) blind.push(pod.display);
      });
      if (blind.length === 0) continue;
      out.push(
        policyFinding(
          ctx,
          this,
          p.key,
          ['spec', 'podSelector'],
          `${p.key} isolates the egress of ${blind.join(', ')}, and no policy lets ${blind.length === 1 ? 'it' : 'them'} reach the cluster DNS: Service names will not resolve`,
          `allow egress to 53/UDP and 53/TCP of the DNS pods (namespaceSelector kubernetes.io/metadata.name: ${dns.namespace}, podSelector ${Object.entries(dns.labels).map(([k, v]) => `${k}: ${v}`).join(', ')})`,
        ),
      );
    }
    return out;
  },
};
