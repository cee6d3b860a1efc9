/**
 * The cluster DNS as this cluster really has it, for the simulator to predict lookups against
 * the real pods, labels and namespace. A scenario's `dns:` names the namespace and pod labels
 * to use; otherwise it is detected: the `kube-dns` Service of kube-system and the pods it
 * selects (CoreDNS labelled `k8s-app=kube-dns`, or only `app.kubernetes.io/name=coredns`),
 * OpenShift's `openshift-dns/dns-default`, or CoreDNS pods found by either label.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { DnsEndpoint } from '../backend.js';
import { DEFAULT_DNS } from '../../scenario/resolve-scenario.js';
import type { DnsSpec } from '../../scenario/types.js';
import { KubeApiError, type CallLimits, type KubeApi } from './kube-api.js';

export interface ClusterDns {
  /** ClusterIP of the DNS Service. */
  readonly serviceIp: string;
  /** `<namespace>/<name>` of the DNS Service. */
  readonly service: string;
  /** Running DNS pods with their real labels and their namespace's real labels, by IP. */
  readonly pods: readonly DnsEndpoint[];
}

export type DnsProblem = { readonly code: 'NO_DNS_SERVICE' | 'NO_DNS_PODS'; readonly message: string };

export type DnsFound = ClusterDns | { readonly problem: DnsProblem };

type Limits = Partial<CallLimits>;

function selectorText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function selects(service: V1Service, labels: Readonly<Record<string, string>>): boolean {
  const selector = service.spec?.selector;
  return selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function clusterIpOf(service: V1Service | undefined): string | undefined {
  const ip = service?.spec?.clusterIP;
  return ip === undefined || ip === '' || ip === 'None' ? undefined : ip;
}

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((error: unknown) => {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  });
}

async function runningPods(api: KubeApi, namespace: string, labels: Readonly<Record<string, string>>, limits: Limits): Promise<V1Pod[]> {
  const list = await api.call(`list DNS pods in ${namespace}`, () => api.core.listNamespacedPod({ namespace, labelSelector: selectorText(labels) }), limits);
  return list.items.filter((p) => p.status?.phase === 'Running' && (p.status.podIP ?? '') !== '');
}

async function endpoints(api: KubeApi, namespace: string, pods: readonly V1Pod[], limits: Limits): Promise<DnsEndpoint[]> {
  const ns = await api.call(`read namespace ${namespace}`, () => api.core.readNamespace({ name: namespace }), limits);
  const namespaceLabels = { ...(ns.metadata?.labels ?? {}) };
  return pods
    .map((p): DnsEndpoint => ({ namespace, namespaceLabels, labels: { ...(p.metadata?.labels ?? {}) }, ip: p.status?.podIP ?? '' }))
    .sort((a, b) => a.ip.localeCompare(b.ip));
}

/** The pods a named Service selects, when the Service exists and has a ClusterIP. */
async function viaService(api: KubeApi, namespace: string, name: string, limits: Limits): Promise<DnsFound | undefined> {
  const service = await orUndefined(api.call(`read Service ${namespace}/${name}`, () => api.core.readNamespacedService({ namespace, name }), limits));
  const ip = clusterIpOf(service);
  const selector = service?.spec?.selector;
  if (ip === undefined || selector === undefined || Object.keys(selector).length === 0) return undefined;
  const pods = await runningPods(api, namespace, selector, limits);
  if (pods.length === 0) return { problem: { code: 'NO_DNS_PODS', message: `the DNS Service ${namespace}/${name} selects no running pod (${selectorText(selector)})` } };
  return { serviceIp: ip, service: `${namespace}/${name}`, pods: await endpoints(api, namespace, pods, limits) };
}

/** Pods by labels, and the Service of their namespace that selects them. */
async function viaLabels(api: KubeApi, spec: DnsSpec, limits: Limits): Promise<DnsFound> {
  const { namespace, labels } = spec;
  const selector = selectorText(labels);
  const [pods, services] = await Promise.all([
    runningPods(api, namespace, labels, limits),
    api.call(`list Services in ${namespace}`, () => api.core.listNamespacedService({ namespace }), limits),
  ]);
  if (pods.length === 0) return { problem: { code: 'NO_DNS_PODS', message: `no running pod in ${namespace} matches ${selector}` } };
  const podLabels = pods[0]!.metadata?.labels ?? {};
  const matching = services.items.filter((s) => selects(s, podLabels) && clusterIpOf(s) !== undefined);
  const service = matching.find((s) => s.metadata?.name === 'kube-dns') ?? matching[0];
  if (service === undefined) return { problem: { code: 'NO_DNS_SERVICE', message: `no Service in ${namespace} selects the DNS pods (${selector})` } };
  return { serviceIp: clusterIpOf(service)!, service: `${namespace}/${service.metadata?.name ?? ''}`, pods: await endpoints(api, namespace, pods, limits) };
}

/**
 * Finds the cluster DNS: by `declared` (a scenario's `dns:`) when given, else by detection.
 * Expected failures (nothing found) are values; API failures throw KubeApiError.
 */
export async function findDns(api: KubeApi, declared: DnsSpec | undefined, limits: Limits = {}): Promise<DnsFound> {
  if (declared !== undefined) return viaLabels(api, declared, limits);
  const candidates: Array<() => Promise<DnsFound | undefined>> = [
    () => viaService(api, 'kube-system', 'kube-dns', limits),
    () => viaService(api, 'openshift-dns', 'dns-default', limits),
    () => viaLabels(api, DEFAULT_DNS, limits),
    () => viaLabels(api, { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'coredns' } }, limits),
  ];
  let first: DnsFound | undefined;
  for (const candidate of candidates) {
    const found = await candidate();
    if (found === undefined) continue;
    if (!('problem' in found)) return found;
    first ??= found;
  }
  return (
    first ?? {
      problem: { code: 'NO_DNS_SERVICE', message: 'no cluster DNS found: no kube-system/kube-dns or openshift-dns/dns-default Service, no CoreDNS pods in kube-system' },
    }
  );
}

/** DaemonSet names that mean NodeLocal DNSCache. */
export function isNodeLocalDns(daemonSet: string): boolean {
  return daemonSet === 'node-local-dns' || daemonSet.startsWith('nodelocaldns') || daemonSet.startsWith('node-local-dns');
}
