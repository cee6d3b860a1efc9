/**
 * The probe plan of a step (SCENARIO-FORMAT.md, "Probes of a step"). Built once per step; the
 * simulator, every backend and the reports answer this same list, keyed by `ProbeKey`
 * (STYLE 1: "one plan, one interface, several answerers").
 */
import type { Topology } from '../backends/backend.js';
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import type { ClusterState, ProbeSettings, Scenario, ServedPort, WorkloadRef, WorkloadSpec } from '../scenario/types.js';
import { assertNever } from '../assert-never.js';
import type { Probe, ProbeKey, ProbeTarget } from './types.js';

/** The DNS lookup probe: one per workload, to port 53 over UDP. */
export const DNS_PORT = 53;
export const DNS_PROTOCOL: Protocol = 'UDP';

/**
 * How a probe target is written in keys and results: `<ns>/<name>` for a workload, the
 * external's name, or `dns`.
 */
export function targetName(to: ProbeTarget): string {
  switch (to.kind) {
    case 'workload':
      return to.ref;
    case 'external':
      return to.name;
    case 'dns':
      return 'dns';
    default:
      return assertNever(to, 'probe target');
  }
}

/**
 * The stable key of a probe: `<from> -> <to>:<port>/<protocol>`, e.g.
 * `demo/frontend -> demo/backend:80/TCP`, `demo/frontend -> partner-api:443/TCP`,
 * `demo/frontend -> dns:53/UDP`. The port is the number (never the name), so a key does not
 * change when a port is renamed.
 */
export function toProbeKey(from: WorkloadRef, to: ProbeTarget, port: number, protocol: Protocol): ProbeKey {
  return `${from} -> ${targetName(to)}:${port}/${protocol}` as ProbeKey;
}

/** Workloads by namespace, then name (DESIGN "deterministic order"). */
export function compareWorkloads(a: Pick<WorkloadSpec, 'namespace' | 'name'>, b: Pick<WorkloadSpec, 'namespace' | 'name'>): number {
  return compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
}

/** Ports by number, then protocol in `PROTOCOLS` order. */
export function comparePorts(a: Pick<ServedPort, 'port' | 'protocol'>, b: Pick<ServedPort, 'port' | 'protocol'>): number {
  return a.port - b.port || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol);
}

/** Code-unit order: independent of the locale, so plans are identical on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every probe of a step, in a deterministic order: by source (namespace, name); per source
 * the workload targets (namespace, name), then the externals (by name), then `dns`; per target
 * by port, then protocol.
 *
 * - every ordered pair of workloads (A, B), A != B unless `settings.self`, on every port B
 *   serves, addressed as `settings.target`; the target carries the port's name when it has one;
 * - every workload to every external on the external's ports, always by IP (`external-ip`);
 * - with `settings.dns`, one lookup per workload: target `dns`, port 53/UDP, `dns-lookup`.
 *
 * Workloads and their ports are taken from `state` (the set of workloads never changes
 * between steps; labels may). A workload that serves no port is still a source. `topology`
 * is not needed to plan (probes name targets, backends address them); it is accepted so every
 * planner call has the same shape as the backends' and may be used for checks later.
 */
export function planProbes(scenario: Scenario, state: ClusterState, settings: ProbeSettings, _topology: Topology): Probe[] {
  const workloads = [...state.workloads].sort(compareWorkloads);
  const externals = [...scenario.externals].sort((a, b) => compareStrings(a.name, b.name));
  const probes: Probe[] = [];
  const add = (from: WorkloadRef, to: ProbeTarget, port: ServedPort | { port: number; protocol: Protocol }, addressing: Probe['addressing']): void => {
    probes.push({
      key: toProbeKey(from, to, port.port, port.protocol),
      from,
      to,
      port: port.port,
      protocol: port.protocol,
      addressing,
      timeoutMs: settings.timeoutMs,
    });
  };
  for (const source of workloads) {
    for (const target of workloads) {
      if (target.ref === source.ref && !settings.self) continue;
      for (const served of [...target.ports].sort(comparePorts)) {
        const to: ProbeTarget =
          served.name === undefined ? { kind: 'workload', ref: target.ref } : { kind: 'workload', ref: target.ref, portName: served.name };
        add(source.ref, to, served, settings.target);
      }
    }
    for (const external of externals) {
      for (const served of [...external.ports].sort(comparePorts)) {
        add(source.ref, { kind: 'external', name: external.name, ip: external.ip }, served, 'external-ip');
      }
    }
    if (settings.dns) add(source.ref, { kind: 'dns' }, { port: DNS_PORT, protocol: DNS_PROTOCOL }, 'dns-lookup');
  }
  return probes;
}
