/** NetworkPolicy port matching (DESIGN rule 7). */
import type { DefaultedPort, Protocol } from './types.js';

/** A port a destination pod's containers declare (a workload's served port). */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/**
 * True when one rule port admits traffic to `port`/`protocol` at a destination.
 * DESIGN rule 7: the protocol must be equal; no `port` = every port of the protocol; a
 * numeric `port` with `endPort` is the inclusive range; a named port resolves on the
 * DESTINATION pod, by name AND protocol (for egress rules too). `destinationPorts` is
 * undefined for destinations that are not pods (externals), where a named port never matches.
 */
export function portMatches(rulePort: DefaultedPort, port: number, protocol: Protocol, destinationPorts: readonly ContainerPort[] | undefined): boolean {
  if (rulePort.protocol !== protocol) return false;
  const p = rulePort.port;
  if (p === undefined) return true;
  if (typeof p === 'number') {
    const end = rulePort.endPort ?? p;
    return port >= p && port <= end;
  }
  if (!destinationPorts) return false;
  return destinationPorts.some((c) => c.name === p && c.protocol === protocol && c.port === port);
}

/** `80/TCP`, `8000-8080/TCP`, `http/TCP`, `all TCP ports`, for explanations. */
export function formatRulePort(rulePort: DefaultedPort): string {
  if (rulePort.port === undefined) return `all ${rulePort.protocol} ports`;
  if (rulePort.endPort !== undefined) return `${rulePort.port}-${rulePort.endPort}/${rulePort.protocol}`;
  return `${rulePort.port}/${rulePort.protocol}`;
}
