/**
 * A namespaceSelector on `kubernetes.io/metadata.name` (set on every namespace to its name)
 * with a value that names no namespace of the manifests nor a system namespace: a typo, or a
 * namespace the manifests do not create.
 */
import type { LabelSelector } from '../../policy/types.js';
import { NAMESPACE_NAME_LABEL } from '../../scenario/types.js';
import { forEachPeer, policyFinding } from '../locate.js';
import type { LintContext, LintFinding, LintRule } from '../types.js';

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The `kubernetes.io/metadata.name` values of `selector` that name no known namespace, with where they are. */
export function unknownNamespaceNames(selector: LabelSelector, ctx: LintContext): { value: string; path: (string | number)[] }[] {
  const known = new Set([...SYSTEM_NAMESPACES, ...ctx.model.namespaces.map((n) => n.name), ctx.scenario.dns.namespace]);
  const out: { value: string; path: (string | number)[] }[] = [];
  const value = selector.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (value !== undefined && !known.has(value)) out.push({ value, path: ['matchLabels', NAMESPACE_NAME_LABEL] });
  (selector.matchExpressions ?? []).forEach((req, i) => {
    if (req.key !== NAMESPACE_NAME_LABEL || (req.operator !== 'In' && req.operator !== 'NotIn')) return;
    (req.values ?? []).forEach((v, j) => {
      if (!known.has(v)) out.push({ value: v, path: ['matchExpressions', i, 'values', j] });
    });
  });
  return out;
}

export const unknownNamespaceName: LintRule = {
  id: 'unknown-namespace-name',
  severity: 'error',
  description: `a namespaceSelector on ${NAMESPACE_NAME_LABEL} naming a namespace the manifests do not have (nor ${SYSTEM_NAMESPACES.join(', ')})`,
  check(ctx: LintContext): LintFinding[] {
    const out: LintFinding[] = [];
    const known = ctx.model.namespaces.map((n) => n.name).join(', ');
    forEachPeer(ctx, ({ policy, direction, rule, written, path }) => {
      if (!written.namespaceSelector) return;
      for (const u of unknownNamespaceNames(written.namespaceSelector, ctx)) {
        out.push(
          policyFinding(
            ctx,
            this,
            policy.key,
            [...path, 'namespaceSelector', ...u.path],
            `${policy.key} ${direction} rule ${rule} selects namespace ${JSON.stringify(u.value)}, which the manifests do not have (they have ${known})`,
            'correct the namespace name, or add the Namespace to the manifests',
          ),
        );
      }
    });
    return out;
  },
};
