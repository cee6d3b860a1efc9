/**
 * renderProbeScript / parseProbeOutput: the script really runs under /bin/sh (dash on Debian)
 * with a fake toolset, so the tagging, concurrency and one-line joining are tested for real.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { isSafeHost, parseProbeOutput, renderProbeScript, timeoutSeconds, type ProbeCommand, type ProbeToolset } from '../../src/probe/probe-script.js';
import { parseProbeLines } from '../../src/probe/classify-outcome.js';
import type { Outcome, ProbeKey } from '../../src/probe/types.js';

/** A toolset whose "probe" is a shell fragment chosen by the host's first label. */
const FRAGMENTS: Record<string, string> = {
  ok: 'echo fine',
  multi: "printf 'line one\\nline  two\\t* ?\\n'",
  slow: 'sleep 1; echo late',
  fail: 'echo nope >&2; exit 7',
  hang: 'timeout 1 sleep 5',
  // No bound of its own: only the watchdog stops it (a pipeline, so the subshell is not the tool).
  stuck: 'printf x | sleep 37',
};
const FAKE: ProbeToolset = {
  name: 'fake',
  render: (command) => FRAGMENTS[command.host.split('.')[0]!] ?? 'exit 99',
  classify: (_command, exitCode, output): Outcome =>
    exitCode === 0 ? { kind: 'ok' } : exitCode === 124 ? { kind: 'timeout' } : { kind: 'error', detail: `${exitCode}:${output}` },
};

function command(host: string, index = 0): ProbeCommand {
  return { key: `k${index} ${host}` as ProbeKey, kind: 'tcp', host, port: 80, timeoutMs: 1000 };
}

function runScript(script: string): string {
  return execFileSync('sh', ['-c', script], { encoding: 'utf8', timeout: 10_000 });
}

describe('probe/probe-script', () => {
  it('runs every probe concurrently and prints exactly one tagged line per probe', () => {
    const commands = ['slow', 'slow.a', 'slow.b', 'ok', 'multi', 'fail', 'hang'].map((h, i) => command(h, i));
    const started = Date.now();
    const stdout = runScript(renderProbeScript(commands, FAKE));
    const elapsed = Date.now() - started;
    expect(elapsed, 'concurrent, not 3 x 1 s').to.be.lessThan(2500);
    const lines = stdout.trim().split('\n');
    expect(lines).to.have.length(commands.length);
    const parsed = parseProbeLines(stdout);
    expect(parsed.get(0)).to.deep.equal({ index: 0, exitCode: 0, output: 'late' });
    expect(parsed.get(4)).to.deep.equal({ index: 4, exitCode: 0, output: 'line one line two * ?' });
    expect(parsed.get(5)).to.deep.equal({ index: 5, exitCode: 7, output: 'nope' });
    expect(parsed.get(6)?.exitCode).to.equal(124);
    const outcomes = parseProbeOutput(stdout, commands, FAKE);
    expect([...outcomes.values()].map((o) => o.kind)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok', 'error', 'timeout']);
  });

  it('kills tools still running after the budget when the script leads its process group, reported as 124', () => {
    const commands = ['stuck', 'ok', 'stuck.a'].map((h, i) => command(h, i));
    const started = Date.now();
    const stdout = execFileSync('setsid', ['-w', 'sh', '-c', renderProbeScript(commands, FAKE)], { encoding: 'utf8', timeout: 10_000 });
    expect(Date.now() - started, 'killed after the 1 s budget, not after 37 s').to.be.lessThan(2500);
    const parsed = parseProbeLines(stdout);
    expect([0, 1, 2].map((i) => parsed.get(i)?.exitCode)).to.deep.equal([124, 0, 124]);
    expect(spawnSync('pgrep', ['-f', 'sleep 37'], { encoding: 'utf8' }).stdout, 'no tool left running').to.equal('');
  });

  it('reads a missing or garbled line as error (inconclusive)', () => {
    const commands = [command('ok', 0), command('ok', 1), command('ok', 2)];
    const outcomes = parseProbeOutput('NPH 0 0 fine\nNPH x 0 fine\nNPH 2\ngarbage\n', commands, FAKE);
    expect(outcomes.get(commands[0]!.key)).to.deep.equal({ kind: 'ok' });
    expect(outcomes.get(commands[1]!.key)?.kind).to.equal('error');
    expect(outcomes.get(commands[2]!.key)?.kind).to.equal('error');
  });

  const unsafe = ['a;rm -rf /', '$(reboot)', 'a b', 'UPPER.case', "x'y", '', '-rf', 'a..b', 'fe80::1%eth0', '1.2.3.4:80'];
  for (const host of unsafe) {
    it(`throws on the unsafe host ${JSON.stringify(host)} (never reaches the shell)`, () => {
      expect(isSafeHost(host)).to.equal(false);
      expect(() => renderProbeScript([command(host)], FAKE)).to.throw(/unsafe host/);
    });
  }

  it('accepts IP literals and DNS-1123 names', () => {
    for (const host of ['10.250.0.7', '::1', 'fd00:10:250::7', 'web.ns1', 'web.ns1.svc.cluster.local', 'a-1']) {
      expect(isSafeHost(host), host).to.equal(true);
    }
  });

  it('throws on a bad port or timeout', () => {
    expect(() => renderProbeScript([{ ...command('ok'), port: 0 }], FAKE)).to.throw(/bad port/);
    expect(() => renderProbeScript([{ ...command('ok'), port: 65536 }], FAKE)).to.throw(/bad port/);
    expect(() => renderProbeScript([{ ...command('ok'), timeoutMs: 0 }], FAKE)).to.throw(/bad timeout/);
  });

  it('rounds timeouts up to whole seconds, at least 1', () => {
    expect([1, 999, 1000, 1001, 2500].map(timeoutSeconds)).to.deep.equal([1, 1, 1, 2, 3]);
  });

  it('never lets a rendered fragment see a host outside the safe alphabet (property)', () => {
    fc.assert(
      fc.property(fc.string(), (host) => {
        if (isSafeHost(host)) expect(host).to.match(/^[a-z0-9.:A-Fa-f-]+$/);
        else expect(() => renderProbeScript([command(host)], FAKE)).to.throw();
      }),
    );
  });
});
