/**
 * Wiring a pod namespace with the reference CNI plugins, called as a container runtime calls
 * them (CNI spec: CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH, the network
 * configuration on stdin), executed inside the node namespace so the host-side veths land there
 * and the host's own network is never touched.
 */
import { POD_GATEWAY, POD_SUBNET } from './run-layout.js';
import { runInNetns } from './run-command.js';

/** Where Debian's containernetworking-plugins installs the plugins. */
export const CNI_PATH = '/usr/lib/cni';

/** The network configuration: ptp + host-local with a per-run data dir, no masquerade. */
export function cniConfig(networkName: string, ipamDir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: networkName,
    type: 'ptp',
    ipMasq: false,
    mtu: 1500,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: POD_SUBNET, gateway: POD_GATEWAY }]],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: ipamDir,
    },
  });
}

function cniEnv(command: 'ADD' | 'DEL', containerId: string, netns: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: containerId,
    CNI_NETNS: `/var/run/netns/${netns}`,
    CNI_IFNAME: 'eth0',
    CNI_PATH,
  };
}

/** The first IPv4 address of a CNI result (`ips[].address`, e.g. `10.250.0.2/16`). */
export function parseCniResultIp(stdout: string): string {
  const result = JSON.parse(stdout) as { ips?: { address?: string }[] };
  const address = result.ips?.find((ip) => ip.address?.includes('.'))?.address;
  if (address === undefined) throw new Error(`CNI result has no IPv4 address: ${stdout.slice(0, 300)}`);
  return address.split('/')[0]!;
}

/** CNI ADD: wires `netns` (eth0) to the node namespace; returns the pod IP. */
export async function cniAdd(nodeNetns: string, netns: string, containerId: string, config: string): Promise<string> {
  const result = await runInNetns(nodeNetns, `${CNI_PATH}/ptp`, [], { input: config, env: cniEnv('ADD', containerId, netns), timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`CNI ADD for ${netns} failed (exit ${result.code}): ${(result.stdout + result.stderr).trim().slice(0, 500)}`);
  return parseCniResultIp(result.stdout);
}

/** CNI DEL: removes the veth and releases the IP. Errors are ignored (teardown is best effort). */
export async function cniDel(nodeNetns: string, netns: string, containerId: string, config: string): Promise<void> {
  await runInNetns(nodeNetns, `${CNI_PATH}/ptp`, [], { input: config, env: cniEnv('DEL', containerId, netns), timeoutMs: 30_000 });
}
