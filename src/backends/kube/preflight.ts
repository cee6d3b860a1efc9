/**
 * Checks before anything is created: the API answers (server version), the permissions for
 * every call the backend makes (SelfSubjectAccessReview), the cluster DNS as it really is (the
 * simulator predicts with its pods' real labels and namespace), NodeLocal DNSCache, and a CNI
 * hint from the kube-system DaemonSets. The canary, not the hint, decides on enforcement.
 * Failures are values: a report with problems; nothing here throws for an expected failure.
 */
import type { DnsEndpoint } from '../backend.js';
import type { DnsSpec } from '../../scenario/types.js';
import { findDns, isNodeLocalDns, type DnsProblem } from './find-dns.js';
import type { KubeApi } from './kube-api.js';

/** One permission the backend needs. */
export interface PermissionCheck {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly allowed: boolean;
}

export type PreflightProblemCode = 'UNREACHABLE' | 'FORBIDDEN';

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
  /** `<namespace>/<name>` of the DNS Service, when found. */
  readonly dnsService?: string;
  readonly dnsPods: readonly DnsEndpoint[];
  /**
   * Why no DNS was found: not a problem by itself (scenarios probing by IP need none), but a
   * scenario that looks Service names up cannot run.
   */
  readonly dnsProblem?: DnsProblem;
  /** `kube-system/<name>` of a NodeLocal DNSCache DaemonSet, when one runs. */
  readonly nodeLocalDns?: string;
  /** Whether the nodes may be listed (the canary then covers each node). */
  readonly canListNodes: boolean;
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

/** Asked, not required: without it the canary tests one pod pair instead of one per node. */
export const OPTIONAL_PERMISSIONS: readonly Omit<PermissionCheck, 'allowed'>[] = [{ verb: 'list', group: '', resource: 'nodes' }];

export interface PreflightOptions {
  /** A scenario's `dns:`; undefined: detect the cluster's DNS. */
  readonly dns?: DnsSpec;
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
    return { permissions: [], dnsPods: [], daemonSets: [], canListNodes: false, problems: [{ code: 'UNREACHABLE', message }] };
  }

  const permissions = await Promise.all(
    [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS].map(async (p): Promise<PermissionCheck> => {
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
  const required = permissions.slice(0, REQUIRED_PERMISSIONS.length);
  const denied = required.filter((p) => !p.allowed);
  if (denied.length > 0) {
    problems.push({ code: 'FORBIDDEN', message: `missing permissions: ${denied.map(describePermission).join(', ')} (docs/kube.md lists the RBAC rules)` });
  }

  const dns = await findDns(api, options.dns, limits).catch((error: unknown) => ({
    problem: { code: 'NO_DNS_SERVICE' as const, message: `cannot read the cluster DNS: ${(error as Error).message}` },
  }));

  const daemonSets = await api
    .call('list DaemonSets in kube-system', () => api.apps.listNamespacedDaemonSet({ namespace: 'kube-system' }), limits)
    .then((list) => list.items.map((d) => d.metadata?.name ?? '').filter((n) => n !== '').sort())
    .catch(() => [] as string[]);
  const cniHint = cniHintFrom(daemonSets);
  const nodeLocal = daemonSets.find(isNodeLocalDns);
  return {
    serverVersion,
    permissions,
    ...('problem' in dns ? { dnsPods: [], dnsProblem: dns.problem } : { dnsServiceIp: dns.serviceIp, dnsService: dns.service, dnsPods: dns.pods }),
    ...(nodeLocal !== undefined && { nodeLocalDns: `kube-system/${nodeLocal}` }),
    canListNodes: permissions.some((p) => p.resource === 'nodes' && p.allowed),
    ...(cniHint !== undefined && { cniHint }),
    daemonSets,
    problems,
  };
}
