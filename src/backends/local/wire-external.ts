/**
 * An external endpoint (SCENARIO-FORMAT "externals"): its own namespace at its declared IP,
 * wired to the node namespace by a veth, outside the pod CIDR, so policies see it as an
 * address matched only by ipBlock.
 */
import { isIPv4 } from 'node:net';
import { POD_GATEWAY } from './run-layout.js';
import { mustRun, mustRunInNetns } from './run-command.js';
import { addNetns } from './netns.js';

/** Creates `netns` with `ip` on eth0, linked to the node namespace (veth `x<index>` there). */
export async function wireExternal(nodeNetns: string, netns: string, index: number, ip: string): Promise<void> {
  if (!isIPv4(ip)) throw new Error(`external ${ip}: the local dataplane supports IPv4 externals only`);
  const nodeSide = `x${index}`;
  await addNetns(netns);
  await mustRun('ip', ['-n', nodeNetns, 'link', 'add', nodeSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  // The node side answers as the pods' gateway address, as the CNI ptp plugin does for pods.
  await mustRun('ip', ['-n', nodeNetns, 'addr', 'add', `${POD_GATEWAY}/32`, 'dev', nodeSide]);
  await mustRun('ip', ['-n', nodeNetns, 'link', 'set', nodeSide, 'up']);
  await mustRun('ip', ['-n', nodeNetns, 'route', 'add', `${ip}/32`, 'dev', nodeSide]);
  await mustRun('ip', ['-n', netns, 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
  await mustRun('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  await mustRun('ip', ['-n', netns, 'route', 'add', `${POD_GATEWAY}/32`, 'dev', 'eth0', 'scope', 'link']);
  await mustRun('ip', ['-n', netns, 'route', 'add', 'default', 'via', POD_GATEWAY, 'dev', 'eth0']);
}

/** Turns the node namespace into a router: forwarding on, no reverse-path filter, no redirects. */
export async function makeRouter(nodeNetns: string): Promise<void> {
  await mustRunInNetns(nodeNetns, 'sysctl', [
    '-q',
    '-w',
    'net.ipv4.ip_forward=1',
    'net.ipv4.conf.all.rp_filter=0',
    'net.ipv4.conf.default.rp_filter=0',
    'net.ipv4.conf.all.send_redirects=0',
    'net.ipv4.conf.default.send_redirects=0',
  ]);
}
