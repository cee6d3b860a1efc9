/**
 * The probe plan: one entry per (source, target, port, protocol) of a step. The simulator,
 * every backend and the reports all key their answers by `ProbeKey`.
 */
import type { Protocol } from '../policy/types.js';
import type { Millis, ProbeTargetMode, ServiceRef, WorkloadRef } from '../scenario/types.js';

/** Stable key of a probe: `<from> -> <to>:<port>/<protocol>`. Made only by `toProbeKey`. */
export type ProbeKey = string & { readonly __brand: 'ProbeKey' };

export type ProbeTarget =
  | { readonly kind: 'workload'; readonly ref: WorkloadRef; readonly portName?: string }
  | { readonly kind: 'external'; readonly name: string; readonly ip: string }
  /** A lookup of a cluster Service name through the cluster DNS (port 53, over UDP or TCP). */
  | { readonly kind: 'dns' };

/**
 * How the source addresses the target. Workload targets use the step's mode; externals are
 * always by IP; dns probes are a lookup.
 */
export type ProbeAddressing = ProbeTargetMode | 'external-ip' | 'dns-lookup';

/**
 * The Service a workload probe dials by name or ClusterIP when it is not the workload's own
 * default (a Service of another name, or a Service port that differs from the pod port).
 */
export interface ProbeService {
  readonly ref: ServiceRef;
  /** The Service's name (its namespace is the target's). */
  readonly name: string;
  /** The Service port dialled; the probe's `port` is the pod port it forwards to. */
  readonly port: number;
  /** The Service port's name, when it has one. */
  readonly portName?: string;
}

/** An external client a probe starts from: outside the cluster, at its declared address. */
export interface ExternalSource {
  readonly name: string;
  readonly ip: string;
}

/**
 * `<ns>/<name>` of the source workload, or the name of an external client (see
 * `Probe.fromExternal`). Made only by `toWorkloadRef` or `externalSourceName`.
 */
export type SourceName = WorkloadRef | (string & { readonly __brand: 'ExternalSourceName' });

/** The `from` of a probe that an external client starts. */
export function externalSourceName(name: string): SourceName {
  return name as SourceName;
}

/** The source workload of `probe`; throws for a probe an external client starts (a caller's bug). */
export function sourceWorkload(probe: Pick<Probe, 'from' | 'fromExternal' | 'key'>): WorkloadRef {
  if (probe.fromExternal !== undefined) throw new Error(`probe ${probe.key} starts at external ${probe.fromExternal.name}, not at a workload`);
  return probe.from as WorkloadRef;
}

export interface Probe {
  readonly key: ProbeKey;
  /** The source: a workload, or an external client when `fromExternal` is set. */
  readonly from: SourceName;
  /** Set when the probe starts at an external client (`client: true`), outside the cluster. */
  readonly fromExternal?: ExternalSource;
  readonly to: ProbeTarget;
  /**
   * The destination pod's port, as policies judge it (after Service translation); for a dns
   * probe 53.
   */
  readonly port: number;
  readonly protocol: Protocol;
  readonly addressing: ProbeAddressing;
  readonly timeoutMs: Millis;
  /**
   * Set when a `service-name` or `service-ip` probe dials a Service other than the workload's
   * own default one: that Service and the Service port. Unset: the Service named like the
   * workload, on `port` itself.
   */
  readonly service?: ProbeService;
}

/** What really happened to one probe. */
export type Outcome =
  | { readonly kind: 'ok' }
  /** No answer within the timeout: dropped. */
  | { readonly kind: 'timeout' }
  /** Actively rejected (TCP RST or ICMP unreachable). */
  | { readonly kind: 'refused' }
  /** The name did not resolve (DNS blocked or failing). */
  | { readonly kind: 'dns'; readonly detail?: string }
  /** No route to the network at all (ENETUNREACH): a routing failure, not a policy verdict. */
  | { readonly kind: 'unreachable'; readonly detail?: string }
  /** Inconclusive: the probe itself failed (tool missing, exec failed, garbled output). */
  | { readonly kind: 'error'; readonly detail: string };

export type OutcomeKind = Outcome['kind'];

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['ok', 'timeout', 'refused', 'dns', 'unreachable', 'error'];

/**
 * The verdict an outcome shows by itself: `ok` is a connection; timeout, refused and dns are
 * a denial; unreachable and error show nothing about policies. Whether a DNS failure or an
 * unreachable network counts against a given prediction is run/judge-observation.ts's call.
 */
export function observedVerdict(outcome: Outcome): 'allow' | 'deny' | null {
  switch (outcome.kind) {
    case 'ok':
      return 'allow';
    case 'timeout':
    case 'refused':
    case 'dns':
      return 'deny';
    case 'unreachable':
    case 'error':
      return null;
  }
}
