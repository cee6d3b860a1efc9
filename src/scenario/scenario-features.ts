/**
 * Questions about what a scenario uses, for backends that cannot do everything (an old cluster
 * without endPort, a dataplane without SCTP). Pure.
 */
import type { ExternalSpec, Scenario } from './types.js';

/** Where `scenario` first uses `endPort`: `NetworkPolicy <ns>/<name> spec.<direction>[i].ports[j].endPort`. */
export function firstEndPort(scenario: Scenario): string | undefined {
  for (const step of scenario.steps) {
    for (const manifest of step.apply) {
      const spec = manifest.policy.spec;
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = spec[direction] ?? [];
        for (let i = 0; i < rules.length; i++) {
          const j = (rules[i]?.ports ?? []).findIndex((p) => p.endPort !== undefined);
          if (j >= 0) return `NetworkPolicy ${manifest.key} spec.${direction}[${i}].ports[${j}].endPort`;
        }
      }
    }
  }
  return undefined;
}

/** Whether `scenario` serves, probes or names SCTP anywhere (ports of workloads and externals, policy ports). */
export function usesSctp(scenario: Scenario): boolean {
  const served = [...scenario.workloads, ...scenario.externals].some((w) => w.ports.some((p) => p.protocol === 'SCTP'));
  const inPolicies = scenario.steps.some((s) =>
    s.apply.some((m) => [...(m.policy.spec.ingress ?? []), ...(m.policy.spec.egress ?? [])].some((r) => (r.ports ?? []).some((p) => p.protocol === 'SCTP'))),
  );
  return served || inPolicies;
}

/** The first external that starts probes (`client: true`), if any. */
export function firstExternalClient(scenario: Scenario): ExternalSpec | undefined {
  return scenario.externals.find((e) => e.client === true);
}

/** Whether a step of `scenario` probes `-> dns` over TCP (`probe.dnsProtocols` with TCP). */
export function probesDnsOverTcp(scenario: Scenario): boolean {
  return scenario.steps.some((s) => s.probe.dns && (s.probe.dnsProtocols ?? []).includes('TCP'));
}
