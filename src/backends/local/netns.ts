/** Network namespaces by name (`ip netns`), and the per-namespace files `ip netns exec` uses. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { mustRun, runCommand } from './run-command.js';

/** Names of every network namespace on the host (`ip netns list`). */
export async function listNetns(): Promise<string[]> {
  const out = await mustRun('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.trim().split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/** Creates a namespace with its loopback up. */
export async function addNetns(name: string): Promise<void> {
  await mustRun('ip', ['netns', 'add', name]);
  await mustRun('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/** PIDs of the processes living in a namespace (empty when it does not exist). */
export async function netnsPids(name: string): Promise<number[]> {
  const result = await runCommand('ip', ['netns', 'pids', name]);
  if (result.code !== 0) return [];
  return result.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * Kills every process of the namespace, deletes it (its veths go with it) and its
 * /etc/netns entry. Idempotent: a missing namespace is not an error.
 */
export async function deleteNetns(name: string): Promise<void> {
  for (const pid of await netnsPids(name)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await runCommand('ip', ['netns', 'delete', name]);
  await rm(`/etc/netns/${name}`, { recursive: true, force: true });
}

/** Writes /etc/netns/<name>/resolv.conf, which `ip netns exec` bind-mounts over /etc/resolv.conf. */
export async function writeNetnsResolvConf(name: string, content: string): Promise<void> {
  await mkdir(`/etc/netns/${name}`, { recursive: true });
  await writeFile(`/etc/netns/${name}/resolv.conf`, content);
}
