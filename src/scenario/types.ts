/**
 * A scenario after loading and validation: every reference resolved, every default applied.
 * The rest of the code sees only these readonly types; the raw zod shapes stay in `scenario/`.
 */
import type { Labels, NetworkPolicy, PolicyKey, Protocol } from '../policy/types.js';

/** `<namespace>/<workload>`. Made only by `toWorkloadRef`. */
export type WorkloadRef = string & { readonly __brand: 'WorkloadRef' };

export function toWorkloadRef(namespace: string, name: string): WorkloadRef {
  return `${namespace}/${name}` as WorkloadRef;
}

/** `<namespace>/<service>`. Made only by `toServiceRef`. */
export type ServiceRef = string & { readonly __brand: 'ServiceRef' };

export function toServiceRef(namespace: string, name: string): ServiceRef {
  return `${namespace}/${name}` as ServiceRef;
}

/** Durations inside the code are milliseconds, even where the file says seconds. */
export type Millis = number & { readonly __brand: 'Millis' };

export function toMillis(ms: number): Millis {
  return ms as Millis;
}

/** The label every namespace carries (Kubernetes >= 1.21 sets it; the harness always does). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where a thing was written: a file and a [start, end) character range in it. */
export interface SourceRef {
  readonly file: string;
  readonly range: readonly [number, number];
}

export interface ServedPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

export interface NamespaceSpec {
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name: <name>`. */
  readonly labels: Labels;
}

/** One port of a Service: what clients dial, and the pod port it forwards to. */
export interface ServicePortSpec {
  /** The Service port's own name (required by the API server when a Service has several ports). */
  readonly name?: string;
  /** The port clients dial on the Service (its ClusterIP or name). */
  readonly port: number;
  readonly protocol: Protocol;
  /** The pod port traffic is forwarded to: the targetPort, resolved on the workload's ports. */
  readonly targetPort: number;
  /** The targetPort as written when it names a container port (`targetPort: http`). */
  readonly targetPortName?: string;
}

/** A ClusterIP Service in front of one workload's pod. */
export interface ServiceSpec {
  readonly ref: ServiceRef;
  readonly namespace: string;
  readonly name: string;
  /** Sorted by protocol then port. */
  readonly ports: readonly ServicePortSpec[];
}

export interface WorkloadSpec {
  readonly ref: WorkloadRef;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** Sorted by protocol then port. */
  readonly ports: readonly ServedPort[];
  /** Run the pod on this node (the enforcement canary covers every node); not in the file format. */
  readonly node?: string;
  /**
   * The Services in front of the pod, when written. Undefined means the default: one Service
   * named like the workload, every served port as is (`workloadServices` resolves both).
   */
  readonly services?: readonly ServiceSpec[];
}

export interface ExternalSpec {
  readonly name: string;
  readonly ip: string;
  readonly ports: readonly ServedPort[];
  /** `client: true`: the external also starts probes, to every port of every workload (by pod IP). */
  readonly client?: true;
}

/** How the cluster DNS pods are found: their namespace and labels. */
export interface DnsSpec {
  readonly namespace: string;
  readonly labels: Labels;
}

export type ProbeTargetMode = 'service-name' | 'service-ip' | 'pod-ip';

export interface ProbeSettings {
  readonly target: ProbeTargetMode;
  readonly timeoutMs: Millis;
  readonly self: boolean;
  readonly dns: boolean;
  /**
   * The protocols of the `-> dns` lookup probes (`probe.dnsProtocols`), in `PROTOCOLS` order.
   * Absent: UDP only, the default.
   */
  readonly dnsProtocols?: readonly DnsProtocol[];
}

/** A protocol a DNS lookup can use. */
export type DnsProtocol = Extract<Protocol, 'UDP' | 'TCP'>;

/** A few lines of a file as written, for quoting in explanations. */
export interface Excerpt {
  readonly file: string;
  /** 1-based line of the excerpt's first character. */
  readonly line: number;
  /** The text as written: whole lines, common indentation removed (a slice of one line for flow style). */
  readonly text: string;
}

/** Where a policy and each of its rules were written, so explanations can quote them. */
export interface PolicySource {
  /** The whole policy object: its file and the line it starts on. */
  readonly policy: Excerpt;
  /** One excerpt per `spec.ingress` entry, in order (empty when there are none). */
  readonly ingress: readonly Excerpt[];
  /** One excerpt per `spec.egress` entry, in order. */
  readonly egress: readonly Excerpt[];
}

/** A NetworkPolicy as applied by a step; its strings may still hold `${ip:..}`/`${cidr:..}`. */
export interface PolicyManifest {
  readonly key: PolicyKey;
  readonly policy: NetworkPolicy;
  readonly origin: SourceRef;
  /** The policy's text as written (set by the loader; absent for policies built in code). */
  readonly source?: PolicySource;
}

/** A label merge: a `null` value removes the key. */
export type LabelChange =
  | { readonly kind: 'namespace'; readonly namespace: string; readonly labels: Readonly<Record<string, string | null>>; readonly origin: SourceRef }
  | { readonly kind: 'workload'; readonly workload: WorkloadRef; readonly labels: Readonly<Record<string, string | null>>; readonly origin: SourceRef };

/** `from` side of an expectation (`*` and `<ns>/*` cover workloads only, never an external client). */
export type SourcePattern =
  | { readonly kind: 'all' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'workload'; readonly ref: WorkloadRef }
  | { readonly kind: 'external'; readonly name: string };

/** `to` side of an expectation, with an optional port (number or name) and protocol. */
export interface TargetPattern {
  readonly target:
    | { readonly kind: 'all' }
    | { readonly kind: 'namespace'; readonly namespace: string }
    | { readonly kind: 'workload'; readonly ref: WorkloadRef }
    | { readonly kind: 'external'; readonly name: string }
    | { readonly kind: 'dns' };
  readonly port?: number | string;
  readonly protocol?: Protocol;
}

export type Verdict = 'allow' | 'deny';

export interface Expectation {
  readonly verdict: Verdict;
  readonly from: SourcePattern;
  readonly to: TargetPattern;
  /** The entry as written, for reports. */
  readonly text: string;
  readonly origin: SourceRef;
}

export interface Step {
  /** 0-based. */
  readonly index: number;
  readonly name: string;
  /** Applied in this order: delete, apply, label. */
  readonly delete: readonly PolicyKey[];
  readonly apply: readonly PolicyManifest[];
  readonly label: readonly LabelChange[];
  /** The effective settings of this step (scenario defaults merged with the step's override). */
  readonly probe: ProbeSettings;
  readonly expect: readonly Expectation[];
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** Features the scenario exercises (`metadata.tags`), sorted, no duplicates. */
  readonly tags?: readonly string[];
  /** As given on the command line (relative paths stay relative). */
  readonly file: string;
  readonly namespaces: readonly NamespaceSpec[];
  readonly workloads: readonly WorkloadSpec[];
  readonly externals: readonly ExternalSpec[];
  readonly dns: DnsSpec;
  /** The file names its DNS (`dns:`); otherwise a cluster's DNS is detected, and `dns` is the default the simulator assumes. */
  readonly dnsDeclared?: true;
  readonly steps: readonly Step[];
}

/**
 * What is in force after a step: current labels and the policies applied and not deleted
 * (sorted by key). Placeholders are still unresolved here.
 */
export interface ClusterState {
  readonly namespaces: readonly NamespaceSpec[];
  readonly workloads: readonly WorkloadSpec[];
  readonly policies: readonly PolicyManifest[];
}
