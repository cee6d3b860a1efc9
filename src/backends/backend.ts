/**
 * The one interface both dataplanes implement (DESIGN: "one plan, one interface, several
 * answerers"). A backend knows nothing of expectations: it builds a topology, makes the
 * dataplane match a state, and answers a probe plan with outcomes.
 */
import type { Labels } from '../policy/types.js';
import type { Outcome, Probe, ProbeKey } from '../probe/types.js';
import type { ClusterState, Scenario, WorkloadRef } from '../scenario/types.js';

/** A cluster DNS pod as the dataplane really has it (the kube backend reads the real labels). */
export interface DnsEndpoint {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly ip: string;
}

/**
 * Addresses of a scenario's topology, in the scenario's own names (a backend that renames
 * namespaces maps back). The simulator's deterministic plan has the same shape.
 */
export interface Topology {
  readonly podIps: ReadonlyMap<WorkloadRef, string>;
  readonly serviceIps: ReadonlyMap<WorkloadRef, string>;
  readonly dnsPods: readonly DnsEndpoint[];
  readonly dnsServiceIp: string;
  /** e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** Node of each workload's pod, when the backend knows it. */
  readonly nodes?: ReadonlyMap<WorkloadRef, string>;
}

/** What a backend may report while it works (goes to stderr as progress). */
export interface BackendContext {
  readonly signal: AbortSignal;
  progress(message: string): void;
}

export interface Backend {
  readonly kind: 'local' | 'kube';
  /**
   * Creates the namespaces, workloads (one pod + one Service each), the cluster DNS where the
   * backend provides it, and waits until all serve. Nothing is applied before the scenario
   * validated (the caller guarantees it).
   */
  setUp(scenario: Scenario, ctx: BackendContext): Promise<Topology>;
  /**
   * Makes the dataplane match `state`: exactly these policies (placeholders already resolved
   * with the topology's addresses), these namespace and workload labels. Declarative: the
   * backend computes what to create, replace and delete.
   */
  apply(state: ClusterState, ctx: BackendContext): Promise<void>;
  /** Runs every probe of the plan; one outcome per key. All probes of a source run concurrently. */
  probe(probes: readonly Probe[], ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>>;
  /** Removes everything this backend created. Idempotent; safe after a partial setUp or a signal. */
  tearDown(): Promise<void>;
}
