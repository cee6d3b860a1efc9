/**
 * Removes what local runs left behind (a crash, SIGKILL, `--keep`): network namespaces named
 * `nph-*` with their processes, /etc/netns/nph-* entries and state dirs under
 * /run/netpol-harness. A run whose owner process is still alive is left alone, so a cleanup
 * never breaks a run in progress. Nothing without the prefix is ever touched.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { deleteNetns, listNetns } from './netns.js';
import { NAME_PREFIX, STATE_ROOT, runLayout } from './run-layout.js';

const RUN_NAME = /^nph-([a-z0-9]{1,12})(?:-|$)/;

async function dirEntries(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the run's owner (pid recorded at set-up) is another process that is still alive. */
async function ownerAlive(runId: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(`${runLayout(runId).stateDir}/owner`, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid);
  } catch {
    return false;
  }
}

/**
 * Removes every resource of one run (by its id): namespaces `nph-<id>-*` (killing the
 * processes inside), their /etc/netns entries, and the state dir. Idempotent. Returns what
 * was removed.
 */
export async function removeRun(runId: string): Promise<string[]> {
  const prefix = `${NAME_PREFIX}${runId}-`;
  const removed: string[] = [];
  const namespaces = (await listNetns()).filter((n) => n.startsWith(prefix));
  // The pod namespaces first, the node namespace (holding the veths' other ends) last.
  namespaces.sort((a, b) => Number(a.endsWith('-node')) - Number(b.endsWith('-node')));
  for (const name of namespaces) {
    await deleteNetns(name);
    removed.push(`netns ${name}`);
  }
  for (const entry of await dirEntries('/etc/netns')) {
    if (!entry.startsWith(prefix)) continue;
    await rm(`/etc/netns/${entry}`, { recursive: true, force: true });
    removed.push(`/etc/netns/${entry}`);
  }
  const stateDir = runLayout(runId).stateDir;
  if ((await dirEntries(STATE_ROOT)).includes(`${NAME_PREFIX}${runId}`)) {
    await rm(stateDir, { recursive: true, force: true });
    removed.push(stateDir);
  }
  return removed;
}

/** Finds runs left behind (by the `nph-` prefix) whose owner is gone, and removes them. */
export async function cleanupLocalLeftovers(): Promise<{ removed: string[] }> {
  const names = [...(await listNetns()), ...(await dirEntries('/etc/netns')), ...(await dirEntries(STATE_ROOT))];
  const runIds = [...new Set(names.map((n) => RUN_NAME.exec(n)?.[1]).filter((id): id is string => id !== undefined))].sort();
  const removed: string[] = [];
  for (const runId of runIds) {
    if (await ownerAlive(runId)) continue;
    removed.push(...(await removeRun(runId)));
  }
  return { removed };
}
