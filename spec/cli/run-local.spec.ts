/**
 * The `run` command on the local dataplane, end to end and for real (root): the tutorials
 * pass, a non-enforcing dataplane is caught, and a killed run leaves nothing behind.
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRoot } from '../support/require-root.js';
import { runCli } from './run-cli.js';

function harnessNetns(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith('nph-'));
}

/**
 * Run ids (`nph-<hex>`) of runs from another checkout on this machine (another worktree's
 * tests, a CI clone beside a developer's run): their processes in the pods run that checkout's
 * code (src/ or dist/backends/local/...), and the network namespace one lives in names its run.
 */
function foreignRunIds(): Set<string> {
  const ids = new Set<string>();
  for (const line of execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*(\d+)\s+(.*backends\/local\/.*)$/.exec(line);
    if (m === null || m[2]!.includes(process.cwd())) continue;
    try {
      const id = /^(nph-[0-9a-f]+)/.exec(execFileSync('ip', ['netns', 'identify', m[1]!], { encoding: 'utf8' }).trim())?.[1];
      if (id !== undefined) ids.add(id);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ids;
}

/** Network namespaces and processes of the harness's local runs, other checkouts' runs left out. */
function leftovers(): string[] {
  const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((n) => n.startsWith('nph-')) : [];
  const procs = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => (/pod-agent/.test(l) && l.includes(process.cwd())) || /nph-.*dnsmasq|dnsmasq.*nph-/.test(l));
  const foreign = [...foreignRunIds()];
  return [...harnessNetns(), ...etc.map((n) => `/etc/netns/${n}`), ...procs].filter((l) => !foreign.some((id) => l.includes(id)));
}

describe('cli run --backend local (root, real network namespaces)', function () {
  this.timeout(15 * 60_000);
  // What other runs on this machine own (a concurrent run, an earlier killed one) is not this
  // test's leftover: compare with what existed before it.
  let before = new Set<string>();
  beforeEach(function () {
    requireRoot(this);
    before = new Set(leftovers());
  });
  afterEach(() => {
    expect(leftovers().filter((l) => !before.has(l)), 'nothing of the run may be left').to.deep.equal([]);
  });

  it('runs every tutorial scenario for real and they pass (what `npm start` does)', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'scenarios/', '--backend', 'local', '--output', 'json']);
    expect(stderr).to.match(/canary .*: enforcing/);
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const failed = results.flatMap((r) => r.steps.flatMap((s: { probes: { pass: boolean }[] }) => s.probes.filter((p) => !p.pass)));
    expect(failed, JSON.stringify(failed.slice(0, 5), null, 1)).to.deep.equal([]);
    expect(code).to.equal(0);
  });

  it('detects --cni none as not enforcing and exits 3', async () => {
    const { code, stderr } = await runCli(['run', 'scenarios/rogue-pod.yaml', '--backend', 'local', '--cni', 'none', '--canary-timeout', '3']);
    expect(stderr).to.match(/NOT enforcing/);
    expect(stderr).to.match(/--allow-non-enforcing/);
    expect(code).to.equal(3);
  });

  it('reproduces the rogue-pod surprise with --allow-non-enforcing: the rogue gets through, exit 1', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'nph-summary-')), 'summary.md');
    const { code, stdout } = await runCli(
      ['run', 'scenarios/rogue-pod.yaml', '--backend', 'local', '--cni', 'none', '--canary-timeout', '2', '--allow-non-enforcing', '--settle-timeout', '1', '--output', 'json'],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(code).to.equal(1);
    expect(readFileSync(summary, 'utf8'), 'the Markdown report goes to the GitHub step summary').to.match(/rogue-pod[\s\S]*```mermaid/);
    const probes = JSON.parse(stdout).steps.flatMap((s: { probes: unknown[] }) => s.probes);
    const rogue = probes.find((p: { from: string; expected: string; observed: string }) => p.from.endsWith('/rogue') && p.expected === 'deny' && p.observed === 'allow');
    expect(rogue, 'the rogue pod reaches the backend').to.not.equal(undefined);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`cleans up everything when killed mid-run with ${signal} (exit ${signal === 'SIGINT' ? 130 : 143})`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', 'scenarios/three-tier.yaml', '--backend', 'local'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/step 2\//.test(stderr)) resolve();
        });
        child.on('exit', () => reject(new Error(`exited before step 2:\n${stderr}`)));
      });
      expect(harnessNetns().length).to.be.greaterThan(0);
      child.kill(signal);
      expect(await exited).to.equal(signal === 'SIGINT' ? 130 : 143);
    });
  }

  it('prints each scenario\'s JSON line while the run goes on; Ctrl-C still writes the reports, marked incomplete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nph-stream-'));
    const [junit, markdown, html] = ['r.xml', 'r.md', 'r.html'].map((f) => join(dir, f)) as [string, string, string];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'run', 'scenarios/rogue-pod.yaml', 'scenarios/three-tier.yaml', '--backend', 'local', '--parallel', '1', '--output', 'json', '--junit', junit, '--markdown', markdown, '--html', html],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The first scenario's line arrives while the second one runs.
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      child.on('exit', () => reject(new Error(`exited before a line was printed:\n${stderr}`)));
    });
    expect(child.exitCode, 'the run is still going').to.equal(null);
    expect(JSON.parse(firstLine)).to.include({ scenario: 'rogue-pod', pass: true });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/three-tier: step 2\//.test(stderr)) {
          clearInterval(poll);
          resolve();
        }
      }, 100);
    });
    child.kill('SIGINT');
    expect(await exited).to.equal(130);
    expect(stdout.trim().split('\n'), 'only the finished scenario has a line').to.have.length(1);
    expect(readFileSync(junit, 'utf8')).to.include('type="incomplete"').and.include('interrupted (SIGINT)').and.include('rogue-pod / [1/2]');
    expect(readFileSync(markdown, 'utf8')).to.include('INCOMPLETE:** interrupted (SIGINT)');
    expect(readFileSync(html, 'utf8')).to.include('INCOMPLETE: interrupted (SIGINT)').and.include('data-scenario="rogue-pod"').and.not.include('data-scenario="three-tier"');
  });

  it('removes leftovers of a run killed with SIGKILL through `cleanup --backend local`', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', 'scenarios/three-tier.yaml', '--backend', 'local'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/step 1\//.test(stderr)) resolve();
      });
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(harnessNetns().length, 'a SIGKILLed run leaves its namespaces').to.be.greaterThan(0);
    const { code, stdout } = await runCli(['cleanup', '--backend', 'local']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/removed/);
  });
});
