/**
 * What the local dataplane needs from the host, checked before anything is created so the CLI
 * can exit 3 with a clear message (DESIGN: exit 3 = environment).
 */
import { access, constants } from 'node:fs/promises';
import { CNI_PATH } from './cni.js';

/** Programs the local dataplane runs, and the Debian package that provides each. */
export const REQUIRED_PROGRAMS: readonly { readonly path: string; readonly purpose: string; readonly debianPackage: string }[] = [
  { path: '/usr/sbin/ip', purpose: 'network namespaces and veths', debianPackage: 'iproute2' },
  { path: '/usr/sbin/nft', purpose: 'policy enforcement and Service translation', debianPackage: 'nftables' },
  { path: `${CNI_PATH}/ptp`, purpose: 'the CNI ptp plugin that wires pods', debianPackage: 'containernetworking-plugins' },
  { path: `${CNI_PATH}/host-local`, purpose: 'the CNI host-local IPAM plugin', debianPackage: 'containernetworking-plugins' },
  { path: '/usr/sbin/dnsmasq', purpose: 'the cluster DNS', debianPackage: 'dnsmasq-base' },
  { path: '/usr/bin/getent', purpose: 'DNS lookups in probes', debianPackage: 'libc-bin' },
];

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Problems that stop the local dataplane here, each a plain sentence naming what to do;
 * empty when it can run. Checks the platform, root, and every required program.
 */
export async function checkLocalPrerequisites(): Promise<string[]> {
  if (process.platform !== 'linux') return [`the local dataplane needs Linux (network namespaces, nftables); this is ${process.platform}`];
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the local dataplane needs root (it creates network namespaces and nftables tables): run as root, e.g. with sudo');
  const missing = new Map<string, string[]>();
  for (const program of REQUIRED_PROGRAMS) {
    if (await isExecutable(program.path)) continue;
    missing.set(program.debianPackage, [...(missing.get(program.debianPackage) ?? []), `${program.path} (${program.purpose})`]);
  }
  for (const [pkg, paths] of missing) problems.push(`missing ${paths.join(', ')}: install the Debian package ${pkg} (apt-get install -y ${pkg}, or scripts/install-deps.sh)`);
  return problems;
}
