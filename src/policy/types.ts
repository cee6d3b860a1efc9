/**
 * NetworkPolicy v1 (networking.k8s.io/v1) as written by users, and its defaulted form.
 * Field names follow the Kubernetes API exactly; nothing here is defaulted or validated.
 */

/** Transport protocols NetworkPolicy ports know. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** All protocols, in the order reports list them. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values?: readonly string[];
}

/** metav1.LabelSelector: matchLabels AND matchExpressions; `{}` selects everything. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  readonly protocol?: Protocol;
  /** A number, or an IANA service name resolved on the destination pod. */
  readonly port?: number | string;
  /** Inclusive upper bound; needs a numeric `port`. */
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes?: readonly PolicyType[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Labels;
    readonly annotations?: Labels;
  };
  readonly spec: NetworkPolicySpec;
}

/** `<namespace>/<name>` of a policy. Made only by `toPolicyKey`. */
export type PolicyKey = string & { readonly __brand: 'PolicyKey' };

export function toPolicyKey(namespace: string, name: string): PolicyKey {
  return `${namespace}/${name}` as PolicyKey;
}

/**
 * A port after API-server defaulting: protocol is always set.
 * `port` undefined = every port of the protocol.
 */
export interface DefaultedPort {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface DefaultedRule {
  /** undefined = every peer (no `from`/`to`, or an empty list). */
  readonly peers?: readonly NetworkPolicyPeer[];
  /** undefined = every port (no `ports`, or an empty list). */
  readonly ports?: readonly DefaultedPort[];
}

/**
 * A policy after API-server defaulting (DESIGN rule 1): `policyTypes` inferred, protocols
 * defaulted to TCP, and only the rules of the directions in `policyTypes` kept.
 */
export interface DefaultedPolicy {
  readonly key: PolicyKey;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly DefaultedRule[];
  readonly egress: readonly DefaultedRule[];
}

/**
 * One problem the API server would reject, located by its path inside the policy object
 * (e.g. `['spec', 'ingress', 0, 'ports', 1, 'endPort']`). The scenario loader maps the path
 * to a file position.
 */
export interface PolicyIssue {
  readonly code: PolicyIssueCode;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type PolicyIssueCode =
  | 'INVALID_NAME'
  | 'INVALID_LABEL_KEY'
  | 'INVALID_LABEL_VALUE'
  | 'INVALID_SELECTOR'
  | 'INVALID_PORT'
  | 'INVALID_PORT_NAME'
  | 'INVALID_PROTOCOL'
  | 'ENDPORT_WITHOUT_PORT'
  | 'ENDPORT_WITH_NAMED_PORT'
  | 'ENDPORT_BELOW_PORT'
  | 'INVALID_CIDR'
  | 'EXCEPT_OUTSIDE_CIDR'
  | 'IPBLOCK_WITH_SELECTOR'
  | 'EMPTY_PEER'
  | 'INVALID_POLICY_TYPE';
