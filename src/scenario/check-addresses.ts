/**
 * The address of an external: a plain IP a probe can connect to, outside every range the
 * harness gives pods and Services (the simulator's plan and the local dataplane), and not a
 * special address (loopback, link-local, multicast, unspecified, broadcast) that no probe
 * reaches as an outside endpoint.
 */
import ipaddr from 'ipaddr.js';
import { POD_SUBNET, SERVICE_SUBNET } from '../backends/local/run-layout.js';
import { POD_CIDR, SERVICE_CIDR } from '../simulator/plan-topology.js';
import type { DiagnosticCode } from './diagnostic.js';

/** Ranges of ipaddr.js that name special addresses, and how a message calls them. */
const SPECIAL_RANGES: Readonly<Record<string, string>> = {
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
};

/** Where the harness puts pods and Services: an external there would be taken for one of them. */
const CLUSTER_RANGES: ReadonlyArray<readonly [string, string]> = [
  [POD_CIDR, 'the pod network of the simulator'],
  [SERVICE_CIDR, 'the Service network of the simulator'],
  [POD_SUBNET, 'the pod network of the local dataplane'],
  [SERVICE_SUBNET, 'the Service network of the local dataplane'],
];

/** A plain dotted-quad IPv4 or an IPv6 address without zone (what a probe can connect to). */
function isPlainIp(ip: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(ip) || (!ip.includes('%') && ipaddr.IPv6.isValid(ip));
}

/** The address as one canonical text (an IPv4-mapped IPv6 address as its IPv4), for comparing; undefined when not a plain IP. */
export function canonicalAddress(ip: string): string | undefined {
  if (!isPlainIp(ip)) return undefined;
  return ipaddr.process(ip).toNormalizedString();
}

/** What is wrong with `ip` as an external's address, or undefined when it is fine. */
export function externalAddressProblem(ip: string): { readonly code: Extract<DiagnosticCode, 'INVALID_VALUE' | 'RESERVED_ADDRESS'>; readonly reason: string } | undefined {
  if (!isPlainIp(ip)) return { code: 'INVALID_VALUE', reason: 'is not an IPv4 or IPv6 address' };
  const address = ipaddr.process(ip);
  const special = SPECIAL_RANGES[address.range()];
  if (special !== undefined) return { code: 'RESERVED_ADDRESS', reason: `is ${special}, not an endpoint outside the cluster` };
  for (const [cidr, what] of CLUSTER_RANGES) {
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    if (address.kind() === network.kind() && address.match(network, prefix)) return { code: 'RESERVED_ADDRESS', reason: `lies in ${cidr}, ${what}` };
  }
  return undefined;
}
