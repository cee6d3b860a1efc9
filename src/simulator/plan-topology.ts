/**
 * The simulator's own deterministic address plan (SCENARIO-FORMAT: "the simulator uses its
 * own deterministic plan"): the same scenario always gets the same IPs, so `check` output and
 * `${ip:..}` placeholders are stable.
 */
import type { DnsEndpoint, Topology } from '../backends/backend.js';
import { workloadServices } from '../scenario/services.js';
import { NAMESPACE_NAME_LABEL, type Scenario, type ServiceRef, type WorkloadRef } from '../scenario/types.js';

/** Pod network of the plan (kubeadm/flannel default). */
export const POD_CIDR = '10.244.0.0/16';
/** Service network of the plan (kubeadm default). */
export const SERVICE_CIDR = '10.96.0.0/16';
/** The cluster DNS Service IP (kube-dns convention). */
export const DNS_SERVICE_IP = '10.96.0.10';
/** The one planned DNS pod's IP. */
export const DNS_POD_IP = '10.244.0.2';
export const CLUSTER_DOMAIN = 'cluster.local';
/** Offset of the first workload's pod IP in the pod network (10.244.0.10). */
const FIRST_POD_OFFSET = 10;
/** Offset of the first workload's Service IP in the service network (10.96.0.100). */
const FIRST_SERVICE_OFFSET = 100;
/** Most workloads a plan addresses (the /16 minus the offsets). */
export const MAX_PLANNED_WORKLOADS = 65_536 - FIRST_SERVICE_OFFSET - 1;

/** `10.<b>.x.y` for an offset inside a /16 whose first two octets are `a.b`. */
function inSlash16(a: number, b: number, offset: number): string {
  return `${a}.${b}.${offset >>> 8}.${offset & 255}`;
}

/**
 * Plans the topology of `scenario`: workload i (0-based, in `scenario.workloads` order) gets
 * pod IP 10.244.0.10 + i; Service j (0-based, every workload's Services in workload order)
 * gets 10.96.0.100 + j (so Service i of a scenario of default Services is workload i's); one DNS pod in `scenario.dns.namespace`
 * with `scenario.dns.labels` at 10.244.0.2 behind the DNS Service 10.96.0.10; cluster domain
 * cluster.local. The DNS pod's namespace labels are the scenario's labels of that namespace
 * when it declares it, else just `kubernetes.io/metadata.name`. Pure and deterministic.
 * Throws when the scenario has more than MAX_PLANNED_WORKLOADS workloads (a bug upstream).
 */
export function planTopology(scenario: Scenario): Topology {
  if (scenario.workloads.length > MAX_PLANNED_WORKLOADS) throw new Error(`too many workloads to plan: ${scenario.workloads.length}`);
  const podIps = new Map<WorkloadRef, string>();
  const serviceIps = new Map<ServiceRef, string>();
  scenario.workloads.forEach((w, i) => podIps.set(w.ref, inSlash16(10, 244, FIRST_POD_OFFSET + i)));
  const services = scenario.workloads.flatMap((w) => workloadServices(w));
  if (services.length > MAX_PLANNED_WORKLOADS) throw new Error(`too many Services to plan: ${services.length}`);
  services.forEach((s, i) => serviceIps.set(s.ref, inSlash16(10, 96, FIRST_SERVICE_OFFSET + i)));
  const dnsNs = scenario.dns.namespace;
  const declared = scenario.namespaces.find((n) => n.name === dnsNs);
  const dnsPod: DnsEndpoint = {
    namespace: dnsNs,
    namespaceLabels: { ...(declared?.labels ?? {}), [NAMESPACE_NAME_LABEL]: dnsNs },
    labels: scenario.dns.labels,
    ip: DNS_POD_IP,
  };
  return { podIps, serviceIps, dnsPods: [dnsPod], dnsServiceIp: DNS_SERVICE_IP, clusterDomain: CLUSTER_DOMAIN };
}
