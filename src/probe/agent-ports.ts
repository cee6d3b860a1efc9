/**
 * The ports of the probe agent that runs beside a workload on a cluster (the kube backend's
 * `probe` container, agnhost netexec): one TCP port for its HTTP server and one UDP port, both
 * chosen among ports the workload does not serve. The loader refuses a workload that leaves no
 * choice, so a pod never gets two listeners on one port.
 */
import type { Protocol } from '../policy/types.js';
import type { ServedPort } from '../scenario/types.js';

/** The agent's ports in one pod. */
export interface ProbeAgentPorts {
  readonly http: number;
  readonly udp: number;
}

/** TCP ports the agent may take, in order of preference; its UDP port is one of these + 1. */
export const AGENT_CANDIDATES: readonly number[] = [8080, 18080, 28080, 38080, 48080, 58080, 65080];

/**
 * First candidate port not served on `protocol`; the UDP port is the HTTP one + 1 when free.
 * When the workload serves every candidate the last one is returned anyway:
 * `agentPortConflict` tells the loader so.
 */
export function chooseAgentPorts(ports: readonly ServedPort[]): ProbeAgentPorts {
  const used = (protocol: Protocol, port: number): boolean => ports.some((p) => p.protocol === protocol && p.port === port);
  const last = AGENT_CANDIDATES[AGENT_CANDIDATES.length - 1]!;
  const http = AGENT_CANDIDATES.find((p) => !used('TCP', p)) ?? last;
  const udp = [http + 1, ...AGENT_CANDIDATES.map((p) => p + 1)].find((p) => !used('UDP', p)) ?? last + 1;
  return { http, udp };
}

/** `8080/TCP`-style text of the agent port a workload would collide with, or undefined when none. */
export function agentPortConflict(ports: readonly ServedPort[]): string | undefined {
  const agent = chooseAgentPorts(ports);
  if (ports.some((p) => p.protocol === 'TCP' && p.port === agent.http)) return `${agent.http}/TCP`;
  if (ports.some((p) => p.protocol === 'UDP' && p.port === agent.udp)) return `${agent.udp}/UDP`;
  return undefined;
}
