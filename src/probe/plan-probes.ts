/**
 * The probe plan of a step (SCENARIO-FORMAT.md, "Probes of a step"). Built once per step; the
 * simulator, every backend and the reports answer this same list, keyed by `ProbeKey`
 * (STYLE 1: "one plan, one interface, several answerers").
 */
import type { Topology } from '../backends/backend.js';
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import type { ClusterState, DnsProtocol, ExternalSpec, ProbeSettings, ProbeTargetMode, Scenario, ServedPort, ServiceRef, WorkloadSpec } from '../scenario/types.js';
import { isDefaultService, workloadServices } from '../scenario/services.js';
import { assertNever } from '../assert-never.js';
import { externalSourceName, type Probe, type ProbeKey, type ProbeService, type ProbeTarget, type SourceName } from './types.js';

/** The DNS lookup probe: one per workload, to port 53 over UDP (and over TCP with `probe.dnsProtocols`). */
export const DNS_PORT = 53;
export const DNS_PROTOCOL: Protocol = 'UDP';

const UDP_ONLY: readonly DnsProtocol[] = ['UDP'];

/** The protocols of a step's `-> dns` probes: `probe.dnsProtocols`, else UDP alone. */
export function dnsProtocolsOf(settings: ProbeSettings): readonly DnsProtocol[] {
  return settings.dnsProtocols ?? UDP_ONLY;
}

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
 * change when a port is renamed. A probe through a Service other than the workload's default
 * one ends in ` via <service>:<service port>`: `demo/a -> demo/web:8080/TCP via web:80`.
 */
export function toProbeKey(from: SourceName, to: ProbeTarget, port: number, protocol: Protocol, service?: Pick<ProbeService, 'name' | 'port'>): ProbeKey {
  const via = service === undefined ? '' : ` via ${service.name}:${service.port}`;
  return `${from} -> ${targetName(to)}:${port}/${protocol}${via}` as ProbeKey;
}

/**
 * The Service a `service-name` or `service-ip` probe to a workload dials: its `service`, else
 * the workload's own (same namespace and name). Undefined for other probes.
 */
export function dialledService(probe: Probe): ServiceRef | undefined {
  if (probe.to.kind !== 'workload' || (probe.addressing !== 'service-name' && probe.addressing !== 'service-ip')) return undefined;
  if (probe.service !== undefined) return probe.service.ref;
  return probe.to.ref as string as ServiceRef;
}

/** The port a probe connects to: the Service port when it dials a Service, else `port`. */
export function dialledPort(probe: Probe): number {
  return dialledService(probe) !== undefined && probe.service !== undefined ? probe.service.port : probe.port;
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

/** One way into a target workload: the pod port, and how a probe reaches it. */
export interface TargetPort {
  /** The pod port (what policies judge). */
  readonly port: number;
  readonly protocol: Protocol;
  /** The container port's name, when it has one. */
  readonly portName?: string;
  readonly addressing: ProbeTargetMode;
  /** Set when dialled through a Service other than the workload's default one. */
  readonly service?: ProbeService;
}

/**
 * Every way a probe enters `target` under `mode`, ordered by pod port, protocol, then Service
 * name and Service port. By pod IP: every served port. By Service (name or ClusterIP): every
 * port of every Service of the workload, forwarded to its pod port; a served port that no
 * Service exposes is still probed, by pod IP, so every port the target serves is covered.
 */
export function targetPorts(target: WorkloadSpec, mode: ProbeTargetMode): TargetPort[] {
  const nameOf = (port: number, protocol: Protocol): string | undefined => target.ports.find((p) => p.port === port && p.protocol === protocol)?.name;
  const entry = (port: number, protocol: Protocol, addressing: ProbeTargetMode, service?: ProbeService): TargetPort => {
    const portName = nameOf(port, protocol);
    return { port, protocol, ...(portName === undefined ? {} : { portName }), addressing, ...(service === undefined ? {} : { service }) };
  };
  if (mode === 'pod-ip') return [...target.ports].sort(comparePorts).map((p) => entry(p.port, p.protocol, 'pod-ip'));
  const out: TargetPort[] = [];
  const covered = new Set<string>();
  for (const service of workloadServices(target)) {
    for (const sp of service.ports) {
      covered.add(`${sp.targetPort}/${sp.protocol}`);
      const via: ProbeService | undefined = isDefaultService(target, service, sp)
        ? undefined
        : { ref: service.ref, name: service.name, port: sp.port, ...(sp.name === undefined ? {} : { portName: sp.name }) };
      out.push(entry(sp.targetPort, sp.protocol, mode, via));
    }
  }
  for (const p of target.ports) if (!covered.has(`${p.port}/${p.protocol}`)) out.push(entry(p.port, p.protocol, 'pod-ip'));
  return out.sort((a, b) => comparePorts(a, b) || compareStrings(a.service?.name ?? target.name, b.service?.name ?? target.name) || (a.service?.port ?? a.port) - (b.service?.port ?? b.port));
}

/**
 * Every probe of a step, in a deterministic order: by source (namespace, name), then the
 * external clients (by name); per source the workload targets (namespace, name), then the
 * externals (by name), then `dns`; per target by port, then protocol (then Service, see
 * `targetPorts`).
 *
 * - every ordered pair of workloads (A, B), A != B unless `settings.self`, on every way into B
 *   (`targetPorts`), addressed as `settings.target`; the target carries the port's name when
 *   it has one;
 * - every workload to every external on the external's ports, always by IP (`external-ip`);
 * - with `settings.dns`, one lookup per workload and DNS protocol (`dnsProtocolsOf`): target
 *   `dns`, port 53, `dns-lookup`;
 * - from every external with `client: true`, to every port each workload serves, by pod IP
 *   (nothing outside the cluster resolves its Service names or routes its ClusterIPs).
 *
 * Workloads and their ports are taken from `state` (the set of workloads never changes
 * between steps; labels may). A workload that serves no port is still a source. `topology`
 * is not needed to plan (probes name targets, backends address them); it is accepted so every
 * planner call has the same shape as the backends' and may be used for checks later.
 */
export function planProbes(scenario: Scenario, state: ClusterState, settings: ProbeSettings, _topology: Topology): Probe[] {
  const plan = sourcePlanner(scenario, state, settings);
  return [...plan.sources.flatMap((source) => plan.probesFrom(source)), ...plan.clients.flatMap((client) => plan.probesFromClient(client))];
}

/** One column of a step's matrix: a way into a workload, an external's port, or the DNS lookup. */
export type PlanColumn =
  | { readonly kind: 'workload'; readonly target: WorkloadSpec; readonly way: TargetPort }
  | { readonly kind: 'external'; readonly external: ExternalSpec; readonly port: ServedPort }
  | { readonly kind: 'dns'; readonly protocol: DnsProtocol };

/** The plan of a step one source at a time, so a large plan need not be held at once. */
export interface SourcePlanner {
  /** Every source workload, in plan order. */
  readonly sources: readonly WorkloadSpec[];
  /** The external clients (`client: true`), by name: sources after the workloads. */
  readonly clients: readonly ExternalSpec[];
  /** Every column, in plan order (a source skips its own columns unless `probe.self`). */
  readonly columns: readonly PlanColumn[];
  /** The probe of `source` in `column` (also for a column the plan skips, such as a self flow). */
  probeAt(source: WorkloadSpec, column: PlanColumn): Probe;
  /** The probes of one source, in plan order (`planProbes` is their concatenation). */
  probesFrom(source: WorkloadSpec): Probe[];
  /** The probes of one external client: every served port of every workload, by pod IP. */
  probesFromClient(client: ExternalSpec): Probe[];
  /** How many probes the whole step plans, without planning them. */
  count(): number;
}

/** The step's plan, source by source (see `planProbes` for what and in which order). */
export function sourcePlanner(scenario: Scenario, state: ClusterState, settings: ProbeSettings): SourcePlanner {
  const workloads = [...state.workloads].sort(compareWorkloads);
  const externals = [...scenario.externals].sort((a, b) => compareStrings(a.name, b.name));
  const columns: PlanColumn[] = [
    ...workloads.flatMap((target) => targetPorts(target, settings.target).map((way): PlanColumn => ({ kind: 'workload', target, way }))),
    ...externals.flatMap((external) => [...external.ports].sort(comparePorts).map((port): PlanColumn => ({ kind: 'external', external, port }))),
    ...(settings.dns ? dnsProtocolsOf(settings).map((protocol): PlanColumn => ({ kind: 'dns', protocol })) : []),
  ];
  const clients = externals.filter((e) => e.client === true);
  const probe = (from: SourceName, to: ProbeTarget, port: number, protocol: Protocol, addressing: Probe['addressing'], service?: ProbeService): Probe => ({
    key: toProbeKey(from, to, port, protocol, service),
    from,
    to,
    port,
    protocol,
    addressing,
    timeoutMs: settings.timeoutMs,
    ...(service === undefined ? {} : { service }),
  });
  const workloadTarget = (target: WorkloadSpec, way: TargetPort): ProbeTarget =>
    way.portName === undefined ? { kind: 'workload', ref: target.ref } : { kind: 'workload', ref: target.ref, portName: way.portName };
  const probeAt = (source: WorkloadSpec, column: PlanColumn): Probe => {
    switch (column.kind) {
      case 'workload': {
        const { target, way } = column;
        return probe(source.ref, workloadTarget(target, way), way.port, way.protocol, way.addressing, way.service);
      }
      case 'external':
        return probe(source.ref, { kind: 'external', name: column.external.name, ip: column.external.ip }, column.port.port, column.port.protocol, 'external-ip');
      case 'dns':
        return probe(source.ref, { kind: 'dns' }, DNS_PORT, column.protocol, 'dns-lookup');
      default:
        return assertNever(column, 'plan column');
    }
  };
  const isSelf = (source: WorkloadSpec, column: PlanColumn): boolean => column.kind === 'workload' && column.target.ref === source.ref && !settings.self;
  const clientPorts = workloads.flatMap((target) => targetPorts(target, 'pod-ip').map((way) => ({ target, way })));
  return {
    sources: workloads,
    clients,
    columns,
    probeAt,
    probesFrom: (source) => columns.filter((column) => !isSelf(source, column)).map((column) => probeAt(source, column)),
    probesFromClient: (client) =>
      clientPorts.map(({ target, way }) => ({ ...probe(externalSourceName(client.name), workloadTarget(target, way), way.port, way.protocol, 'pod-ip'), fromExternal: { name: client.name, ip: client.ip } })),
    count() {
      const self = settings.self ? 0 : columns.filter((col) => col.kind === 'workload').length;
      return workloads.length * columns.length - self + clients.length * clientPorts.length;
    },
  };
}
