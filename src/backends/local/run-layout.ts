/**
 * Names and paths of one local run. Everything a run creates carries the prefix `nph-` and
 * the run id (DESIGN "Reliability": ownership and run ids), so leftovers of a crashed run are
 * found by name (cleanup-leftovers.ts) and runs never collide.
 */
import { randomBytes } from 'node:crypto';

/** Prefix of every network namespace and state directory the local backend creates. */
export const NAME_PREFIX = 'nph-';

/** Where per-run state lives (IPAM data, DNS hosts file, pid files, CNI config). */
export const STATE_ROOT = '/run/netpol-harness';

/** Pods (workloads and the DNS pod) get addresses here; not kind's 10.244/16. */
export const POD_SUBNET = '10.250.0.0/16';
/** The node side of every pod veth (the CNI ptp gateway). */
export const POD_GATEWAY = '10.250.0.1';
/** ClusterIPs; not kind's 10.96/16. */
export const SERVICE_SUBNET = '10.251.0.0/16';
/** The cluster DNS Service's ClusterIP. */
export const DNS_SERVICE_IP = '10.251.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

/** A run id: 1-12 characters of [a-z0-9]; random (8 hex characters) when not given. */
export function makeRunId(given?: string): string {
  const id = given ?? randomBytes(4).toString('hex');
  if (!/^[a-z0-9]{1,12}$/.test(id)) throw new Error(`run id must be 1-12 characters of [a-z0-9], got ${JSON.stringify(id)}`);
  return id;
}

export interface RunLayout {
  readonly runId: string;
  /** The "node" namespace holding all plumbing (routes, NAT, the policy table). */
  readonly nodeNetns: string;
  readonly dnsNetns: string;
  readonly stateDir: string;
  readonly ipamDir: string;
  /** Netns of workload i (0-based, scenario order). */
  workloadNetns(index: number): string;
  /** Netns of external i (0-based, scenario order). */
  externalNetns(index: number): string;
}

export function runLayout(runId: string): RunLayout {
  const base = `${NAME_PREFIX}${runId}`;
  const stateDir = `${STATE_ROOT}/${base}`;
  return {
    runId,
    nodeNetns: `${base}-node`,
    dnsNetns: `${base}-dns`,
    stateDir,
    ipamDir: `${stateDir}/ipam`,
    workloadNetns: (i) => `${base}-w${i}`,
    externalNetns: (i) => `${base}-x${i}`,
  };
}

/** The ClusterIP of workload i (0-based): 10.251.1.0 + i (10.251.0.x is kept for DNS). */
export function serviceIpOf(index: number): string {
  const n = 256 + index;
  if (n > 65_534) throw new Error('too many workloads for the Service subnet');
  return `10.251.${n >> 8}.${n & 255}`;
}
