/**
 * The one interface both dataplanes implement (DESIGN: "one plan, one interface, several
 * answerers"). A backend knows nothing of expectations: it builds a topology, makes the
 * dataplane match a state, and answers a probe plan with outcomes.
 */
import type { Labels } from '../policy/types.js';
import type { Outcome, Probe, ProbeKey } from '../probe/types.js';
import type { ClusterState, Scenario, ServiceRef, WorkloadRef } from '../scenario/types.js';

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
  /** ClusterIP of every Service, by `<namespace>/<service>` (a workload's default Service has the workload's name). */
  readonly serviceIps: ReadonlyMap<ServiceRef, string>;
  readonly dnsPods: readonly DnsEndpoint[];
  readonly dnsServiceIp: string;
  /** e.g. `cluster.local`. */
  readonly clusterDomain: string;
  /** Node of each workload's pod, when the backend knows it. */
  readonly nodes?: ReadonlyMap<WorkloadRef, string>;
  /**
   * Where the real cluster differs from what a scenario author assumes (a current Kubernetes
   * with the scenario's DNS labels): the run predicts with the cluster as it is, and names a
   * fact whenever undoing it would change a verdict (cluster-facts.ts).
   */
  readonly facts?: readonly ClusterFact[];
}

/**
 * One way the real cluster differs from the standard assumption, with what the assumption
 * would be. `text` says it for people, e.g. `kube-system has no label
 * kubernetes.io/metadata.name on this cluster (Kubernetes v1.20.2; automatic since 1.21)`.
 */
export type ClusterFact =
  /** A namespace holding DNS pods lacks a label the author assumes (`kubernetes.io/metadata.name`). */
  | { readonly kind: 'namespace-label'; readonly namespace: string; readonly label: string; readonly value: string; readonly text: string }
  /** The DNS pods lack labels the scenario's `dns.labels` (or the default) names. */
  | { readonly kind: 'dns-pod-labels'; readonly labels: Labels; readonly text: string }
  /** The DNS pods live in another namespace than the scenario's `dns.namespace` (or kube-system). */
  | { readonly kind: 'dns-namespace'; readonly namespace: string; readonly text: string }
  /** Lookups go somewhere policies cannot see as the DNS pods (NodeLocal DNSCache): a warning only. */
  | { readonly kind: 'dns-path'; readonly text: string };

/**
 * The dataplane cannot express part of a scenario (endPort before Kubernetes 1.22, SCTP without
 * kernel support, a field the API server drops): the scenario is reported as unsupported on
 * this dataplane, the others still run.
 */
export class UnsupportedError extends Error {
  override readonly name: string = 'UnsupportedError';
  constructor(
    /** What cannot be expressed, e.g. `endPort` or `SCTP`. */
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a backend may report while it works (goes to stderr as progress). */
export interface BackendContext {
  readonly signal: AbortSignal;
  progress(message: string): void;
}

export interface Backend {
  readonly kind: 'local' | 'kube' | 'simulated';
  /**
   * Why this dataplane cannot run `scenario` at all, known before anything is created (e.g.
   * endPort on a cluster older than 1.22); undefined when it can. Checked before `setUp`.
   */
  unsupported?(scenario: Scenario): UnsupportedError | undefined;
  /**
   * Creates the namespaces, workloads (one pod + one Service each), the cluster DNS where the
   * backend provides it, and waits until all serve. Nothing is applied before the scenario
   * validated (the caller guarantees it).
   */
  setUp(scenario: Scenario, ctx: BackendContext): Promise<Topology>;
  /**
   * Makes the dataplane match `state`: exactly these policies (placeholders already resolved
   * with the topology's addresses), these namespace and workload labels. Declarative: the
   * backend computes what to create, replace and delete. Throws UnsupportedError when the
   * dataplane cannot express the state (a field the API server drops).
   */
  apply(state: ClusterState, ctx: BackendContext): Promise<void>;
  /** Runs every probe of the plan; one outcome per key. All probes of a source run concurrently. */
  probe(probes: readonly Probe[], ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>>;
  /** Removes everything this backend created. Idempotent; safe after a partial setUp or a signal. */
  tearDown(): Promise<void>;
  /**
   * Instead of `tearDown` when the run keeps what it created (`--keep`): lets go of the
   * connections and processes the backend holds, so the run can end, and removes nothing.
   */
  release?(): Promise<void>;
}
