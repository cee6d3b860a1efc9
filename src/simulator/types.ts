/**
 * What the simulator predicts for one probe, with the structured reason. Reports and
 * `explain` render the reason; they never recompute it.
 */
import type { PolicyKey } from '../policy/types.js';

/** The rule that let a flow through in one direction. */
export interface AllowingRule {
  readonly policy: PolicyKey;
  /** 0-based index in the policy's ingress or egress list (the egress list for an egress side, unless `crossDirection`). */
  readonly rule: number;
  /** 0-based index in the rule's from/to list; undefined when the rule has no peers (all). */
  readonly peer?: number;
  /** 0-based index in the rule's ports list (as written); undefined when the rule has no ports (all). */
  readonly port?: number;
  /**
   * The rule is of the other direction: an ingress rule that opened an egress side, or an
   * egress rule that opened an ingress side (CompileOptions `crossDirectionRules`). Its
   * policy selects both ends of the flow.
   */
  readonly crossDirection?: true;
}

export interface DirectionVerdict {
  readonly direction: 'egress' | 'ingress';
  /** Policies selecting the pod with this direction in their policyTypes (sorted). */
  readonly isolatedBy: readonly PolicyKey[];
  readonly allowed: boolean;
  /** The first allowing rule, in policy-key then rule order; undefined when not isolated or denied. */
  readonly allowedBy?: AllowingRule;
  /** Allowed because the flow is a pod to itself, which no policy blocks. */
  readonly self?: true;
  /** An egress side that does not exist: the source is outside the cluster, where no policy applies. */
  readonly outside?: true;
}

/**
 * Egress is judged at the source, ingress at the destination (DESIGN rule 3). Externals have
 * no ingress side as targets and no egress side as sources (`egress.outside`); a `dns` probe
 * is judged against the DNS pods.
 */
export interface FlowVerdict {
  readonly egress: DirectionVerdict;
  /** undefined for externals (not a pod). */
  readonly ingress?: DirectionVerdict;
  readonly allowed: boolean;
}

export interface Prediction {
  readonly allowed: boolean;
  readonly flow: FlowVerdict;
  /** For probes by Service name: whether the source reaches a DNS pod on 53/UDP (DESIGN rule 11). */
  readonly dns?: FlowVerdict;
  /** Why it is denied first: 'dns' when only the lookup fails. */
  readonly blocker?: 'egress' | 'ingress' | 'dns';
}
