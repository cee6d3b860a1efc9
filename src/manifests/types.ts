/**
 * An application as its Kubernetes manifests describe it, reduced to what reachability needs:
 * namespaces and their labels, one workload per pod template, the Services in front of them,
 * and the NetworkPolicies. `scan`, `diff` and `lint` all start from this model.
 */
import type { PolicyKey } from '../policy/types.js';
import type { DocPath } from '../scenario/locate-node.js';
import type { ParsedDoc } from '../scenario/parse-yaml.js';
import type { NamespaceSpec, PolicyManifest, SourceRef, WorkloadRef, WorkloadSpec } from '../scenario/types.js';

/** Where an object is written: its document and the path to it (`['items', 3]` inside a List). */
export interface ManifestSite {
  readonly parsed: ParsedDoc;
  readonly path: DocPath;
}

/** A workload: the pod of a controller (or a bare Pod), named after the controller. */
export interface AppWorkload {
  /** Its Services are always set (`[]` when no Service selects it). */
  readonly spec: WorkloadSpec;
  /** Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or Pod. */
  readonly kind: string;
  readonly site: ManifestSite;
}

/** A Service as written, with the workloads its selector picks. */
export interface AppService {
  readonly namespace: string;
  readonly name: string;
  readonly site: ManifestSite;
  /** Workloads of its namespace whose pod labels match its selector, sorted. */
  readonly selects: readonly WorkloadRef[];
}

/** A kind the model leaves out, counted once. */
export interface SkippedKind {
  readonly kind: string;
  readonly count: number;
  /** The first file holding one. */
  readonly file: string;
}

export interface AppModel {
  /** Every namespace an object names or is defaulted to, with its labels; sorted by name. */
  readonly namespaces: readonly NamespaceSpec[];
  /** Namespaces that a Namespace object declares. */
  readonly declaredNamespaces: ReadonlySet<string>;
  /** Sorted by namespace, then name. */
  readonly workloads: readonly AppWorkload[];
  readonly services: readonly AppService[];
  /** Sorted by key. */
  readonly policies: readonly PolicyManifest[];
  /** Where each policy is written (for findings that point inside it). */
  readonly policySites: ReadonlyMap<PolicyKey, ManifestSite>;
  /** Files holding at least one NetworkPolicy, in reading order. */
  readonly policyFiles: readonly string[];
  readonly skipped: readonly SkippedKind[];
  /** What was simplified or could not be modelled, one line each. */
  readonly notes: readonly string[];
}

/** `ref` of a source position, for reports. */
export function siteRef(site: ManifestSite, range: readonly [number, number]): SourceRef {
  return { file: site.parsed.file, range };
}
