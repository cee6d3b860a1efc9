/**
 * `cleanup --backend local` for real (root): a run whose owner died is removed whole (its
 * namespaces with the processes inside, /etc/netns entries, state dir); a run whose owner is
 * alive is never touched.
 */
import { expect } from 'chai';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cleanupLocalLeftovers, removeRun } from '../../../src/backends/local/cleanup-leftovers.js';
import { listNetns } from '../../../src/backends/local/netns.js';
import { runLayout } from '../../../src/backends/local/run-layout.js';
import { requireRoot } from '../../support/require-root.js';

/** A fake run: one namespace with a process inside, an /etc/netns entry and a state dir naming `owner`. */
function makeRun(runId: string, owner: number): ChildProcess {
  const netns = `nph-${runId}-w0`;
  execFileSync('ip', ['netns', 'add', netns]);
  mkdirSync(`/etc/netns/${netns}`, { recursive: true });
  mkdirSync(runLayout(runId).stateDir, { recursive: true });
  writeFileSync(`${runLayout(runId).stateDir}/owner`, `${owner}\n`);
  return spawn('ip', ['netns', 'exec', netns, 'sleep', '300'], { stdio: 'ignore' });
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('backends/local: cleanup of leftovers (root)', function () {
  this.timeout(60_000);
  const dead = `zz${randomBytes(3).toString('hex')}`;
  const alive = `zy${randomBytes(3).toString('hex')}`;
  let owner: ChildProcess | undefined;
  let inside: ChildProcess[] = [];

  before(function () {
    requireRoot(this);
    owner = spawn('sleep', ['300'], { stdio: 'ignore' });
    inside = [makeRun(dead, deadPid()), makeRun(alive, owner.pid!)];
  });

  after(async () => {
    if (process.getuid?.() !== 0) return;
    await removeRun(alive);
    owner?.kill();
    for (const child of inside) child.kill();
  });

  it('removes a run whose owner is gone, whole, and kills what runs inside it', async () => {
    const exited = new Promise((resolve) => inside[0]!.on('exit', resolve));
    const { removed } = await cleanupLocalLeftovers();
    expect(removed).to.include.members([`netns nph-${dead}-w0`, runLayout(dead).stateDir]);
    expect(await listNetns()).to.not.include(`nph-${dead}-w0`);
    expect(existsSync(`/etc/netns/nph-${dead}-w0`)).to.equal(false);
    expect(existsSync(runLayout(dead).stateDir)).to.equal(false);
    await exited;
  });

  it('leaves a run whose owner is alive alone', async () => {
    const { removed } = await cleanupLocalLeftovers();
    expect(removed.filter((r) => r.includes(alive))).to.deep.equal([]);
    expect(await listNetns()).to.include(`nph-${alive}-w0`);
  });

  it('removeRun is idempotent: a second call removes nothing', async () => {
    expect(await removeRun(dead)).to.deep.equal([]);
  });
});
