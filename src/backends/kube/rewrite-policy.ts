/**
 * Rewrites a scenario NetworkPolicy for the run's namespaces (DESIGN "Reliability and
 * safety"): its own namespace, and every `kubernetes.io/metadata.name` value that names a
 * scenario namespace, in `matchLabels` and in `matchExpressions` In/NotIn values alike.
 * Values naming other namespaces (e.g. `kube-system`) stay as written. Pure.
 */
import type {
  LabelSelector,
  LabelSelectorRequirement,
  NetworkPolicy,
  NetworkPolicyPeer,
} from '../../policy/types.js';
import { NAMESPACE_NAME_LABEL } from '../../scenario/types.js';
import { ownershipLabels, type NamespaceMap } from './run-naming.js';

function mapName(name: string, map: ReadonlyMap<string, string>): string {
  return map.get(name) ?? name;
}

/** Maps the namespace-name label of a namespace selector; other keys are left alone. */
export function rewriteNamespaceSelector(selector: LabelSelector, map: ReadonlyMap<string, string>): LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] } = {};
  if (selector.matchLabels !== undefined) {
    out.matchLabels = Object.fromEntries(
      Object.entries(selector.matchLabels).map(([k, v]) => [k, k === NAMESPACE_NAME_LABEL ? mapName(v, map) : v]),
    );
  }
  if (selector.matchExpressions !== undefined) {
    out.matchExpressions = selector.matchExpressions.map((req) =>
      req.key === NAMESPACE_NAME_LABEL && (req.operator === 'In' || req.operator === 'NotIn') && req.values !== undefined
        ? { ...req, values: req.values.map((v) => mapName(v, map)) }
        : req,
    );
  }
  return out;
}

function rewritePeer(peer: NetworkPolicyPeer, map: ReadonlyMap<string, string>): NetworkPolicyPeer {
  return peer.namespaceSelector === undefined
    ? peer
    : { ...peer, namespaceSelector: rewriteNamespaceSelector(peer.namespaceSelector, map) };
}

/**
 * The policy as sent to the cluster: namespace renamed, namespace selectors rewritten, and
 * the ownership labels of run `runId` added to its metadata. Everything else is unchanged.
 */
export function rewritePolicy(policy: NetworkPolicy, namespaces: NamespaceMap, runId: string): NetworkPolicy {
  const map = namespaces.toReal;
  const { spec } = policy;
  return {
    ...policy,
    metadata: {
      ...policy.metadata,
      namespace: mapName(policy.metadata.namespace, map),
      labels: { ...(policy.metadata.labels ?? {}), ...ownershipLabels(runId) },
    },
    spec: {
      ...spec,
      ...(spec.ingress !== undefined && {
        ingress: spec.ingress.map((r) => (r.from === undefined ? r : { ...r, from: r.from.map((p) => rewritePeer(p, map)) })),
      }),
      ...(spec.egress !== undefined && {
        egress: spec.egress.map((r) => (r.to === undefined ? r : { ...r, to: r.to.map((p) => rewritePeer(p, map)) })),
      }),
    },
  };
}
