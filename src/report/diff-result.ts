/**
 * What `diff` reports: every flow whose verdict changes between two versions of an
 * application's manifests, with the reason and the policies responsible on each side. The
 * JSON output is one `FlowChange` per line; table, Markdown (and any later report) render
 * a `ManifestDiff`.
 */
import type { Protocol } from '../policy/types.js';
import type { Verdict } from '../scenario/types.js';

/** One flow whose verdict differs between BASE and HEAD. */
export interface FlowChange {
  /** `<namespace>/<workload>`. */
  readonly from: string;
  /** `<namespace>/<workload>`, or `dns` for the lookup a Service name needs. */
  readonly to: string;
  /** The destination pod's port, as policies judge it (53 for `dns`). */
  readonly port: number;
  readonly protocol: Protocol;
  /** A flow absent on one side (no such workload, port or Service there) is a denial there. */
  readonly before: Verdict;
  readonly after: Verdict;
  readonly beforeReason: string;
  readonly afterReason: string;
  /**
   * The policies responsible on each side: for an allowed flow the allowing rules
   * (`ns/policy ingress rule 0`), for a denied one the policies isolating the side that denies
   * it (`ns/policy (ingress)`); empty when no policy is involved or the flow is absent.
   */
  readonly beforePolicies: readonly string[];
  readonly afterPolicies: readonly string[];
  /** The Service dialled, when not the target's default one, and its port. */
  readonly service?: string;
  readonly servicePort?: number;
}

export interface ManifestDiff {
  /** The two inputs as given (`REF:path` for a git revision). */
  readonly base: string;
  readonly head: string;
  /** Sorted by source, then target, port, protocol, Service. */
  readonly changes: readonly FlowChange[];
  /** Flows that HEAD allows and BASE does not. */
  readonly opened: number;
  /** Flows that BASE allows and HEAD does not. */
  readonly closed: number;
}
