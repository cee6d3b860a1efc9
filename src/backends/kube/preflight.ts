/**
 * Checks before anything is created (DESIGN "Reliability and safety"): the API answers (server
 * version), the permissions for every call the backend makes (SelfSubjectAccessReview), the
 * cluster DNS Service and its pods' REAL labels (the simulator uses them), and a CNI hint from
 * the kube-system DaemonSets. The canary, not the hint, decides on enforcement.
 * Failures are values: a report with problems; nothing here throws for an expected failure.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { DnsEndpoint } from '../backend.js';
import type { DnsSpec } from '../../scenario/types.js';
import type { KubeApi } from './kube-api.js';

/** One permission the backend needs. */
export interface PermissionCheck {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly allowed: boolean;
}

export type PreflightProblemCode = 'UNREACHABLE' | 'FORBIDDEN' | 'NO_DNS_SERVICE' | 'NO_DNS_PODS';

export interface PreflightProblem {
  readonly code: PreflightProblemCode;
  readonly message: string;
}

export interface ServerVersion {
  readonly gitVersion: string;
  readonly major: number;
  /** Minor version as a number (`20` for `20+`). */
  readonly minor: number;
}

export interface PreflightReport {
  /** Undefined when the API server did not answer. */
  readonly serverVersion?: ServerVersion;
  readonly permissions: readonly PermissionCheck[];
  /** ClusterIP of the DNS Service, when found. */
  readonly dnsServiceIp?: string;
  readonly dnsPods: readonly DnsEndpoint[];
  /** The first known CNI DaemonSet found in kube-system (`calico-node`, `cilium`, ...). */
  readonly cniHint?: string;
  /** Every DaemonSet name of kube-system (for the doctor command). */
  readonly daemonSets: readonly string[];
  /** Empty when the cluster is usable. */
  readonly problems: readonly PreflightProblem[];
}

/** The DaemonSets that name a CNI (DESIGN "Clusters users run this on"). */
export const KNOWN_CNI_DAEMONSETS: readonly string[] = [
  'cilium',
  'calico-node',
  'canal',
  'kindnet',
  'kube-flannel-ds',
  'weave-net',
  'kube-router',
  'antrea-agent',
];

/** What the backend does, as SelfSubjectAccessReview attributes. */
export const REQUIRED_PERMISSIONS: readonly Omit<PermissionCheck, 'allowed'>[] = [
  ...['create', 'delete', 'patch', 'get'].map((verb) => ({ verb, group: '', resource: 'namespaces' })),
  ...['create', 'delete', 'deletecollection', 'patch', 'get', 'list'].map((verb) => ({ verb, group: '', resource: 'pods' })),
  ...['create', 'delete', 'get', 'list'].map((verb) => ({ verb, group: '', resource: 'services' })),
  ...['create', 'delete', 'patch', 'get', 'list'].map((verb) => ({ verb, group: 'networking.k8s.io', resource: 'networkpolicies' })),
  { verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
];

export interface PreflightOptions {
  readonly dns: DnsSpec;
  /** Deadline of each API call, ms. */
  readonly timeoutMs: number;
}

/** Parses `"20"`, `"20+"` (GKE/EKS style) to 20. */
export function parseMinor(minor: string): number {
  const n = Number.parseInt(minor, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** The first DaemonSet whose name is, or starts with, a known CNI name. */
export function cniHintFrom(daemonSets: readonly string[]): string | undefined {
  for (const known of KNOWN_CNI_DAEMONSETS) {
    if (daemonSets.some((d) => d === known || d.startsWith(`${known}-`))) return known;
  }
  return undefined;
}

function describePermission(p: Omit<PermissionCheck, 'allowed'>): string {
  const resource = p.subresource !== undefined ? `${p.resource}/${p.subresource}` : p.resource;
  return `${p.verb} ${p.group === '' ? '' : `${p.group}/`}${resource}`;
}

/** The Service whose selector the DNS labels satisfy; `kube-dns` first. */
function pickDnsService(services: readonly V1Service[], labels: Readonly<Record<string, string>>): V1Service | undefined {
  const matching = services.filter((s) => {
    const selector = s.spec?.selector;
    return selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
  return matching.find((s) => s.metadata?.name === 'kube-dns') ?? matching[0];
}

/** Runs every check; calls are concurrent where independent. */
export async function runPreflight(api: KubeApi, options: PreflightOptions): Promise<PreflightReport> {
  const limits = { timeoutMs: options.timeoutMs, retries: 1 };
  const problems: PreflightProblem[] = [];
  let serverVersion: ServerVersion;
  try {
    const info = await api.call('read server version', () => api.version.getCode(), limits);
    serverVersion = { gitVersion: info.gitVersion, major: parseMinor(info.major), minor: parseMinor(info.minor) };
  } catch (error) {
    const message = `the API server ${api.kubeConfig.getCurrentCluster()?.server ?? ''} did not answer: ${(error as Error).message}`;
    return { permissions: [], dnsPods: [], daemonSets: [], problems: [{ code: 'UNREACHABLE', message }] };
  }

  const permissions = await Promise.all(
    REQUIRED_PERMISSIONS.map(async (p): Promise<PermissionCheck> => {
      const review = await api.call(`check permission to ${describePermission(p)}`, () =>
        api.authz.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb: p.verb,
                group: p.group,
                resource: p.resource,
                ...(p.subresource !== undefined && { subresource: p.subresource }),
              },
            },
          },
        }),
      limits);
      return { ...p, allowed: review.status?.allowed === true };
    }),
  );
  const denied = permissions.filter((p) => !p.allowed);
  if (denied.length > 0) {
    problems.push({ code: 'FORBIDDEN', message: `missing permissions: ${denied.map(describePermission).join(', ')} (docs/kube.md lists the RBAC rules)` });
  }

  const dns = await findDns(api, options.dns, limits).catch((error: unknown) => ({
    problem: { code: 'NO_DNS_SERVICE' as const, message: `cannot read the cluster DNS in ${options.dns.namespace}: ${(error as Error).message}` },
  }));
  if ('problem' in dns) problems.push(dns.problem);

  const daemonSets = await api
    .call('list DaemonSets in kube-system', () => api.apps.listNamespacedDaemonSet({ namespace: 'kube-system' }), limits)
    .then((list) => list.items.map((d) => d.metadata?.name ?? '').filter((n) => n !== '').sort())
    .catch(() => [] as string[]);
  const cniHint = cniHintFrom(daemonSets);
  return {
    serverVersion,
    permissions,
    ...('problem' in dns ? { dnsPods: [] } : { dnsServiceIp: dns.serviceIp, dnsPods: dns.pods }),
    ...(cniHint !== undefined && { cniHint }),
    daemonSets,
    problems,
  };
}

export type DnsFound = { readonly serviceIp: string; readonly pods: readonly DnsEndpoint[] } | { readonly problem: PreflightProblem };

export async function findDns(api: KubeApi, dns: DnsSpec, limits: { timeoutMs: number; retries: number }): Promise<DnsFound> {
  const { namespace, labels } = dns;
  const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const [services, pods, ns] = await Promise.all([
    api.call(`list Services in ${namespace}`, () => api.core.listNamespacedService({ namespace }), limits),
    api.call(`list DNS pods in ${namespace}`, () => api.core.listNamespacedPod({ namespace, labelSelector: selector }), limits),
    api.call(`read namespace ${namespace}`, () => api.core.readNamespace({ name: namespace }), limits),
  ]);
  const service = pickDnsService(services.items, labels);
  const serviceIp = service?.spec?.clusterIP;
  if (serviceIp === undefined || serviceIp === '' || serviceIp === 'None') {
    return { problem: { code: 'NO_DNS_SERVICE', message: `no Service in ${namespace} selects the DNS pods (${selector})` } };
  }
  const running = pods.items.filter((p: V1Pod) => p.status?.phase === 'Running' && (p.status.podIP ?? '') !== '');
  if (running.length === 0) {
    return { problem: { code: 'NO_DNS_PODS', message: `no running pod in ${namespace} matches ${selector}` } };
  }
  const namespaceLabels = { ...(ns.metadata?.labels ?? {}) };
  const endpoints = running
    .map((p): DnsEndpoint => ({ namespace, namespaceLabels, labels: { ...(p.metadata?.labels ?? {}) }, ip: p.status?.podIP ?? '' }))
    .sort((a, b) => a.ip.localeCompare(b.ip));
  return { serviceIp, pods: endpoints };
}
