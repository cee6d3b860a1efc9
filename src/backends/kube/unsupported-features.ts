/**
 * What a cluster's version cannot express, known before anything is created: a scenario that
 * needs it is reported as unsupported on this cluster (with the field and the version) while
 * the others run. Fields dropped at apply time on other versions (a feature gate switched off)
 * are caught by the read-back in apply-state.ts. Pure.
 */
import { UnsupportedError } from '../backend.js';
import { firstEndPort, firstExternalClient, probesDnsOverTcp, usesSctp } from '../../scenario/scenario-features.js';
import type { Scenario } from '../../scenario/types.js';
import type { ServerVersion } from './preflight.js';

/** First minor where each feature works on a default cluster. */
export const FEATURE_SINCE = {
  /** NetworkPolicy `endPort`: alpha in 1.21 (gate off), beta and on by default in 1.22, GA in 1.25. */
  endPort: 22,
  /** SCTP in pods, Services and policies: beta and on by default in 1.19, GA in 1.20. */
  SCTP: 19,
} as const;

/** Documentation ranges (RFC 5737): nothing answers there from any cluster. */
const DOCUMENTATION = [/^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./];

/** Why a cluster of `version` cannot run `scenario`, or undefined. */
export function unsupportedOnServer(scenario: Scenario, version: ServerVersion | undefined): UnsupportedError | undefined {
  const client = firstExternalClient(scenario);
  if (client !== undefined) {
    return new UnsupportedError(
      'externals[].client',
      `external ${client.name} (${client.ip}) has client: true, but nothing of the harness runs outside a cluster to start its probes; external clients run on the local dataplane only`,
    );
  }
  if (probesDnsOverTcp(scenario)) {
    return new UnsupportedError(
      'probe.dnsProtocols',
      'probe.dnsProtocols asks for DNS lookups over TCP, which the probe pods cannot make (their lookup tool, busybox nslookup, has no TCP mode); DNS over TCP is probed on the local dataplane only',
    );
  }
  const unreachable = scenario.externals.find((e) => DOCUMENTATION.some((re) => re.test(e.ip)));
  if (unreachable !== undefined) {
    return new UnsupportedError(
      'external',
      `external ${unreachable.name} (${unreachable.ip}) is a documentation address that nothing answers from a cluster; externals at such addresses are emulated by the local dataplane only`,
    );
  }
  if (version === undefined || version.major !== 1) return undefined;
  const running = `this cluster runs ${version.gitVersion}`;
  const endPort = firstEndPort(scenario);
  if (endPort !== undefined && version.minor < FEATURE_SINCE.endPort) {
    return new UnsupportedError('endPort', `endPort needs Kubernetes >= 1.${FEATURE_SINCE.endPort} and ${running} (${endPort})`);
  }
  if (usesSctp(scenario) && version.minor < FEATURE_SINCE.SCTP) {
    return new UnsupportedError('SCTP', `SCTP needs Kubernetes >= 1.${FEATURE_SINCE.SCTP} and ${running}`);
  }
  return undefined;
}
