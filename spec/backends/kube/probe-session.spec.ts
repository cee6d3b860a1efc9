/**
 * The probe session's shell protocol, run by a real POSIX shell on this machine (the pod's
 * busybox sh runs the same text): scripts in, tagged output and a done marker out.
 */
import { spawn } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'chai';
import { ProbeSession, SESSION_SCRIPT, type OpenSession, type ProbeSessionIo } from '../../../src/backends/kube/probe-session.js';

/** A session whose "pod" is `sh -c SESSION_SCRIPT` here; counts how many were opened. */
function localShell(): { open: OpenSession; opened: () => number; live: () => number } {
  let opened = 0;
  let live = 0;
  const open: OpenSession = async () => {
    opened += 1;
    live += 1;
    const child = spawn('sh', ['-c', SESSION_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    const closes: Array<() => void> = [];
    child.on('exit', () => {
      live -= 1;
      for (const c of closes) c();
    });
    const io: ProbeSessionIo = {
      write: (text) => child.stdin.write(text),
      onOutput: (l) => child.stdout.on('data', (d: Buffer) => l(d.toString('utf8'))),
      onClose: (l) => closes.push(l),
      terminate: () => child.kill('SIGKILL'),
      end: () => child.stdin.end(),
    };
    return io;
  };
  return { open, opened: () => opened, live: () => live };
}

const kubeConfig = {} as KubeConfig;
const target = { namespace: 'x-r1', pod: 'a', container: 'probe' };

describe('probe session (a long-lived shell per pod, real sh)', () => {
  it('runs scripts one after the other in one shell, each output cut at its done marker', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    const [a, b] = await Promise.all([
      session.run("echo 'NPH 0 0 first'\necho 'NPH 1 1 second line'", 5000),
      session.run('x=$(echo NPH 0 0 again); echo "$x"', 5000),
    ]);
    expect(a).to.deep.equal({ kind: 'done', stdout: 'NPH 0 0 first\nNPH 1 1 second line\n', stderr: '', exitCode: 0 });
    expect(b).to.deep.include({ kind: 'done', stdout: 'NPH 0 0 again\n' });
    expect(shell.opened()).to.equal(1);
    session.close();
  });

  it('says when the script has started its probes, before the round ends, and only once', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    const launchedAt: number[] = [];
    const result = await session.run("echo NPH-LAUNCHED; sleep 0.3; echo 'NPH 0 0 NPH-LAUNCHED'", 5000, undefined, () => launchedAt.push(Date.now()));
    const endedAt = Date.now();
    expect(result).to.deep.include({ kind: 'done' });
    expect(launchedAt).to.have.length(1);
    expect(endedAt - launchedAt[0]!).to.be.greaterThan(200);
    session.close();
  });

  it('keeps the shell alive through a script that exits, sends TERM to its group, or reads stdin', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    expect((await session.run('echo one; exit 3', 5000)).kind).to.equal('done');
    expect((await session.run('kill -TERM $$; echo two', 5000)).kind).to.equal('done');
    // stdin is /dev/null inside a round: the next script is not eaten.
    expect(await session.run('cat; echo three', 5000)).to.deep.include({ stdout: 'three\n' });
    expect(shell.opened()).to.equal(1);
    session.close();
  });

  it('ends a session whose round passes its deadline; the next round opens a new one', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    const late = await session.run('echo partial; sleep 5', 300);
    expect(late).to.deep.equal({ kind: 'deadline', stdout: 'partial\n', stderr: '' });
    expect(await session.run('echo fresh', 5000)).to.deep.include({ kind: 'done', stdout: 'fresh\n' });
    expect(shell.opened()).to.equal(2);
    session.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(shell.live()).to.equal(0);
  });

  it('reports a shell that died mid-round as failed, and an open that failed as failed', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    expect(await session.run('kill -KILL $$', 5000)).to.deep.include({ kind: 'failed' });
    const refused = new ProbeSession(kubeConfig, target, async () => Promise.reject(new Error('upgrade refused: 403')));
    expect(await refused.run('echo x', 5000)).to.deep.equal({ kind: 'failed', message: 'cannot open a probe session: upgrade refused: 403' });
    session.close();
  });

  it('stops waiting when the run is aborted', async () => {
    const shell = localShell();
    const session = new ProbeSession(kubeConfig, target, shell.open);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    expect((await session.run('sleep 5', 10_000, abort.signal)).kind).to.equal('deadline');
    session.close();
  });
});
