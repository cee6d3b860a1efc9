/**
 * A `from`/`to` peer that matches no pod allows nothing: a typo in a label, or a namespace
 * selector for namespaces that have no such labels. (ipBlock peers are about addresses, and a
 * peer naming an unknown namespace is `unknown-namespace-name`'s.)
 */
import { formatSelector, matchesSelector } from '../../policy/selector.js';
import type { NetworkPolicyPeer } from '../../policy/types.js';
import { isEmptySet } from '../../simulator/bitset.js';
import { forEachPeer, policyFinding } from '../locate.js';
import type { LintContext, LintFinding, LintRule } from '../types.js';
import { unknownNamespaceNames } from './unknown-namespace-name.js';

function describePeer(peer: NetworkPolicyPeer): string {
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector ${formatSelector(peer.podSelector)}`);
  return parts.join(' AND ');
}

export const peerMatchesNothing: LintRule = {
  id: 'peer-matches-nothing',
  severity: 'warning',
  description: 'a from/to peer that matches no pod or no namespace of the manifests (nor the cluster DNS)',
  check(ctx: LintContext): LintFinding[] {
    const out: LintFinding[] = [];
    forEachPeer(ctx, ({ policy, direction, rule, peer, written, path }) => {
      if (written.ipBlock !== undefined || !isEmptySet(policy[direction]![rule]!.peers![peer]!.pods)) return;
      if (written.namespaceSelector && unknownNamespaceNames(written.namespaceSelector, ctx).length > 0) return;
      const noNamespace = written.namespaceSelector !== undefined && !ctx.scenario.namespaces.some((ns) => matchesSelector(written.namespaceSelector!, ns.labels));
      const what = noNamespace ? 'no namespace of the manifests matches' : 'no pod of the manifests (nor the cluster DNS) matches';
      out.push(
        policyFinding(
          ctx,
          this,
          policy.key,
          path,
          `${policy.key} ${direction} rule ${rule} peer ${peer} allows nothing: ${what} ${describePeer(written)}`,
          noNamespace ? 'label the namespace meant (Namespace metadata.labels), or correct the namespaceSelector' : 'correct the selector to the labels of the pods meant, or remove the peer',
        ),
      );
    });
    return out;
  },
};
