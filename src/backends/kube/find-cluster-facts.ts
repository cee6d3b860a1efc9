/**
 * Where this cluster's DNS differs from what a scenario author assumes (a current Kubernetes,
 * the DNS pods in `dns.namespace` carrying `dns.labels`): the facts the run names when they
 * decide a verdict (run/cluster-facts.ts). Pure.
 */
import type { ClusterFact } from '../backend.js';
import { NAMESPACE_NAME_LABEL, type DnsSpec } from '../../scenario/types.js';
import type { ClusterDns } from './find-dns.js';
import type { ServerVersion } from './preflight.js';

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'no labels' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The facts of `dns` against the assumption `assumed`; `nodeLocalDns` names a NodeLocal DNSCache DaemonSet. */
export function findClusterFacts(dns: ClusterDns, assumed: DnsSpec, version: ServerVersion | undefined, nodeLocalDns?: string): ClusterFact[] {
  const facts: ClusterFact[] = [];
  const versionText = version?.gitVersion ?? 'of unknown version';
  const namespaces = [...new Set(dns.pods.map((p) => p.namespace))].sort();
  if (!namespaces.includes(assumed.namespace)) {
    facts.push({
      kind: 'dns-namespace',
      namespace: assumed.namespace,
      text: `the DNS pods run in ${namespaces.join(', ')} on this cluster, not in ${assumed.namespace} (Service ${dns.service})`,
    });
  }
  for (const namespace of namespaces) {
    const labels = dns.pods.find((p) => p.namespace === namespace)!.namespaceLabels;
    if (NAMESPACE_NAME_LABEL in labels) continue;
    const why =
      version !== undefined && version.major === 1 && version.minor < 21
        ? `Kubernetes ${versionText}; the label is automatic since 1.21`
        : `Kubernetes ${versionText} sets it automatically, but this namespace lacks it`;
    facts.push({ kind: 'namespace-label', namespace, label: NAMESPACE_NAME_LABEL, value: namespace, text: `${namespace} has no label ${NAMESPACE_NAME_LABEL} on this cluster (${why})` });
  }
  const missing = Object.fromEntries(Object.entries(assumed.labels).filter(([k, v]) => dns.pods.some((p) => p.labels[k] !== v)));
  if (Object.keys(missing).length > 0) {
    const carried = Object.fromEntries(Object.entries(dns.pods[0]?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash'));
    facts.push({
      kind: 'dns-pod-labels',
      labels: missing,
      text: `the DNS pods do not carry ${labelText(missing)} on this cluster (they carry ${labelText(carried)})`,
    });
  }
  if (nodeLocalDns !== undefined) {
    facts.push({
      kind: 'dns-path',
      text:
        `NodeLocal DNSCache runs on this cluster (DaemonSet ${nodeLocalDns}): lookups go to a cache on each node, not to the DNS pods, ` +
        'so whether a policy admitting the DNS pods also admits lookups depends on the CNI; predictions of lookups and of probes by Service name may be wrong here',
    });
  }
  return facts;
}
