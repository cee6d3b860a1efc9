/**
 * renderProbeScript / parseProbeOutput: the script really runs under /bin/sh (dash on Debian)
 * and busybox ash (the shell of the probe pods) with a fake toolset, so the tagging,
 * concurrency, scratch files and one-line joining are tested for real.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isSafeHost, parseProbeOutput, PROBES_LAUNCHED, renderProbeScript, timeoutSeconds, type ProbeCommand, type ProbeToolset } from '../../src/probe/probe-script.js';
import { parseProbeLines } from '../../src/probe/classify-outcome.js';
import type { Outcome, ProbeKey } from '../../src/probe/types.js';

/** A toolset whose "probe" is a shell fragment chosen by the host's first label. */
const FRAGMENTS: Record<string, string> = {
  ok: 'echo fine',
  multi: "printf 'line one\\nline  two\\t* ?\\n'",
  slow: 'sleep 1; echo late',
  fail: 'echo nope >&2; exit 7',
  hang: 'timeout 1 sleep 5',
  lastline: "printf 'no newline at the end'",
  reader: 'cat; echo read-nothing',
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

/** The shells the script must work in: dash (/bin/sh here) and busybox ash (the pods'). */
const SHELLS: ReadonlyArray<readonly string[]> = [['sh'], ['busybox', 'sh']];

describe('probe/probe-script', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nph-script-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const runScript = (shell: readonly string[], script: string): string =>
    execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });

  for (const shell of SHELLS) {
    it(`runs every probe concurrently, says so once all are started, and prints exactly one tagged line per probe (${shell.join(' ')})`, () => {
      const commands = ['slow', 'slow.a', 'slow.b', 'ok', 'multi', 'fail', 'hang', 'lastline', 'reader'].map((h, i) => command(h, i));
      const started = Date.now();
      const stdout = runScript(shell, renderProbeScript(commands, FAKE, scratch));
      const elapsed = Date.now() - started;
      expect(elapsed, 'concurrent, not 3 x 1 s').to.be.lessThan(2500);
      const lines = stdout.trim().split('\n');
      expect(lines[0], 'every probe started before any result').to.equal(PROBES_LAUNCHED);
      expect(lines).to.have.length(commands.length + 1);
      const parsed = parseProbeLines(stdout);
      expect(parsed.get(0)).to.deep.equal({ index: 0, exitCode: 0, output: 'late' });
      expect(parsed.get(4)).to.deep.equal({ index: 4, exitCode: 0, output: 'line one line two * ?' });
      expect(parsed.get(5)).to.deep.equal({ index: 5, exitCode: 7, output: 'nope' });
      expect(parsed.get(6)?.exitCode, "busybox timeout's exit when it killed the tool").to.be.oneOf([124, 143]);
      expect(parsed.get(7)?.output).to.equal('no newline at the end');
      expect(parsed.get(8)?.output, 'stdin is empty: a tool reading it gets nothing').to.equal('read-nothing');
      const outcomes = parseProbeOutput(stdout, commands, FAKE);
      expect([...outcomes.values()].map((o) => o.kind)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok', 'error', parsed.get(6)?.exitCode === 124 ? 'timeout' : 'error', 'ok', 'ok']);
      const files = readdirSync(scratch);
      expect(files, 'one file per probe').to.have.length(commands.length);
      expect(files.map((f) => readFileSync(join(scratch, f), 'utf8')).join(''), 'each emptied once read').to.equal('');
    });
  }

  it('reads a job that could not create its file as empty output, inconclusive, and the script still ends', () => {
    const commands = [command('fail', 0)];
    const unwritable = renderProbeScript(commands, FAKE, join(scratch, 'missing'));
    const line = parseProbeLines(runScript(['sh'], unwritable)).get(0);
    expect(line?.output).to.equal('');
    expect(parseProbeOutput(runScript(['sh'], unwritable), commands, FAKE).get(commands[0]!.key)?.kind).to.equal('error');
  });

  it('refuses a scratch directory that is not a plain absolute path', () => {
    for (const dir of ['relative', '/a b', '/$(reboot)', "/x'y"]) {
      expect(() => renderProbeScript([command('ok')], FAKE, dir), dir).to.throw(/bad scratch directory/);
    }
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
      expect(() => renderProbeScript([command(host)], FAKE, '/tmp')).to.throw(/unsafe host/);
    });
  }

  it('accepts IP literals and DNS-1123 names', () => {
    for (const host of ['10.250.0.7', '::1', 'fd00:10:250::7', 'web.ns1', 'web.ns1.svc.cluster.local', 'a-1']) {
      expect(isSafeHost(host), host).to.equal(true);
    }
  });

  it('throws on a bad port or timeout', () => {
    expect(() => renderProbeScript([{ ...command('ok'), port: 0 }], FAKE, '/tmp')).to.throw(/bad port/);
    expect(() => renderProbeScript([{ ...command('ok'), port: 65536 }], FAKE, '/tmp')).to.throw(/bad port/);
    expect(() => renderProbeScript([{ ...command('ok'), timeoutMs: 0 }], FAKE, '/tmp')).to.throw(/bad timeout/);
  });

  it('rounds timeouts up to whole seconds, at least 1', () => {
    expect([1, 999, 1000, 1001, 2500].map(timeoutSeconds)).to.deep.equal([1, 1, 1, 2, 3]);
  });

  it('never lets a rendered fragment see a host outside the safe alphabet (property)', () => {
    fc.assert(
      fc.property(fc.string(), (host) => {
        if (isSafeHost(host)) expect(host).to.match(/^[a-z0-9.:A-Fa-f-]+$/);
        else expect(() => renderProbeScript([command(host)], FAKE, '/tmp')).to.throw();
      }),
    );
  });
});
