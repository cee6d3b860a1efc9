/**
 * `check` on the file-system attacks of a scenario from a pull request: reading secrets
 * through `file:` (the content must never reach the output), blocking on FIFOs, devices and
 * stdin, folders that cannot be listed, and terminal control sequences in what is printed.
 * Cases that would block the process if they regressed run the built CLI in a child process
 * with a deadline, so a regression fails instead of hanging the suite.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRoot } from '../support/require-root.js';
import { MAX_FILE_BYTES } from '../../src/scenario/limits.js';
import { runCli } from './run-cli.js';

const BIN = join(process.cwd(), 'dist', 'cli', 'bin.js');
/** A secret that must never show in any output. */
const SECRET = 'AKIAEXAMPLESECRET0123456789';

function scenario(apply: string, stepName = 's'): string {
  return [
    'apiVersion: netpol-harness/v1alpha1',
    'kind: Scenario',
    'metadata: {name: attack}',
    'spec:',
    '  namespaces: [{name: demo}]',
    '  workloads: [{name: a, ports: [{port: 80}]}, {name: b, ports: [{port: 80}]}]',
    '  steps:',
    `    - name: ${JSON.stringify(stepName)}`,
    `      apply: ${apply}`,
    '      expect: ["allow * -> *"]',
    '',
  ].join('\n');
}

/** Runs the built CLI in a child process with a deadline; `timedOut` when it had to be killed. */
function spawnCli(args: readonly string[], options: { uid?: number; gid?: number } = {}): { code: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'], ...options });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', timedOut: result.error !== undefined || result.signal !== null };
}

describe('cli check: untrusted input', function () {
  // Child processes with their own deadline (60 s): generous for a loaded CI machine.
  this.timeout(5 * 60_000);
  let root: string;
  let dir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'nph-untrusted-'));
    dir = join(root, 'repo', 'scenarios');
    mkdirSync(join(dir, 'manifests'), { recursive: true });
    writeFileSync(join(root, 'credentials'), `[default]\naws_secret_access_key = ${SECRET}\n`);
    writeFileSync(join(root, 'repo', 'shared.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: shared}\nspec: {podSelector: {}, ingress: [{}]}\n');
    symlinkSync(join(root, 'credentials'), join(dir, 'manifests', 'link.yaml'));
    execFileSync('mkfifo', [join(dir, 'manifests', 'pipe.yaml')]);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  const secrets: ReadonlyArray<readonly [string, string]> = [
    ['/proc/self/environ', '/proc/self/environ'],
    ['../../etc/passwd', '../../../../../../../etc/passwd'],
    ['an absolute path outside the folder', '__ROOT__/credentials'],
    ['a fake ~/.aws/credentials', '../../credentials'],
    ['a symlink in the folder to a file outside', 'manifests/link.yaml'],
  ];
  for (const [what, reference] of secrets) {
    it(`file: ${what}: exit 2, FILE_OUTSIDE_ROOT naming the reference, none of the content`, async () => {
      const file = write('secret.yaml', scenario(`[{file: ${JSON.stringify(reference.replace('__ROOT__', root))}}]`));
      for (const output of ['table', 'json']) {
        const run = await runCli(['check', file, '--output', output]);
        expect(run.code).to.equal(2);
        const all = run.stdout + run.stderr;
        expect(all).to.contain(output === 'json' ? 'FILE_OUTSIDE_ROOT' : 'is outside the folder');
        for (const leak of [SECRET, 'root:x:0:0', 'PATH=']) expect(all).to.not.contain(leak);
      }
    });
  }

  it('--root widens the folder `file:` may read from, and only that much', async () => {
    const file = write('shared.yaml', scenario('[{file: ../shared.yaml}]'));
    expect((await runCli(['check', file])).code).to.equal(2);
    expect((await runCli(['check', file, '--root', join(root, 'repo')])).code).to.equal(0);
    const secret = write('secret.yaml', scenario('[{file: ../../credentials}]'));
    const run = await runCli(['check', secret, '--root', join(root, 'repo')]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.not.contain(SECRET);
    expect((await runCli(['check', file, '--root', join(root, 'nope')])).code).to.equal(2);
  });

  it('a manifest with a YAML error inside the folder: its position, but no line of it', async () => {
    writeFileSync(join(dir, 'manifests', 'broken.yaml'), `password: ${SECRET}\n  bad: [\n`);
    const file = write('broken-ref.yaml', scenario('[{file: manifests/broken.yaml}]'));
    const run = await runCli(['check', file]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/manifests\/broken\.yaml:\d+:\d+: /);
    expect(run.stderr).to.not.contain(SECRET);
  });

  it('a manifest over the size limit: exit 2, LIMIT_EXCEEDED, read no further', async () => {
    writeFileSync(join(dir, 'manifests', 'huge.yaml'), `# ${'x'.repeat(MAX_FILE_BYTES + 1)}\n`);
    const run = await runCli(['check', write('huge-ref.yaml', scenario('[{file: manifests/huge.yaml}]')), '--output', 'json']);
    expect(run.code).to.equal(2);
    expect(JSON.parse(run.stdout.split('\n')[0]!)).to.include({ code: 'LIMIT_EXCEEDED' });
  });

  describe('nothing blocks (a child process with a deadline)', () => {
    it('file: a FIFO in the folder: exit 2, FILE_UNREADABLE', () => {
      const run = spawnCli(['check', write('fifo-ref.yaml', scenario('[{file: manifests/pipe.yaml}]'))]);
      expect(run.timedOut).to.equal(false);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('a FIFO (named pipe), not a regular file');
    });

    for (const device of ['/dev/zero', '/dev/urandom', '/dev/stdin']) {
      it(`file: ${device}: outside the folder; with --root / not a regular file; exit 2 either way`, () => {
        const file = write('device.yaml', scenario(`[{file: ${device}}]`));
        const confined = spawnCli(['check', file]);
        expect(confined.timedOut).to.equal(false);
        expect(confined.code).to.equal(2);
        expect(confined.stderr).to.contain('is outside the folder');
        const wide = spawnCli(['check', file, '--root', '/']);
        expect(wide.timedOut).to.equal(false);
        expect(wide.code).to.equal(2);
        expect(wide.stderr).to.match(/not a regular file|FIFO|socket|device/);
      });
    }

    it('a FIFO or a device named on the command line: exit 2', () => {
      for (const path of [join(dir, 'manifests', 'pipe.yaml'), '/dev/zero', '/dev/stdin']) {
        const run = spawnCli(['check', path]);
        expect(run.timedOut, path).to.equal(false);
        expect(run.code, path).to.equal(2);
        expect(run.stderr, path).to.contain('not a regular file');
      }
    });

    it('a FIFO named *.yaml in a scanned folder: exit 2, never opened for reading', () => {
      const folder = join(root, 'with-fifo');
      mkdirSync(folder);
      writeFileSync(join(folder, 'ok.yaml'), scenario('[]'));
      execFileSync('mkfifo', [join(folder, 'trap.yaml')]);
      const run = spawnCli(['check', folder]);
      expect(run.timedOut).to.equal(false);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('trap.yaml').and.contain('not a regular file');
    });

    it('a symlink in a scanned folder leading out of it: exit 2, none of its content', () => {
      const folder = join(root, 'with-link');
      mkdirSync(folder);
      symlinkSync(join(root, 'credentials'), join(folder, 'creds.yaml'));
      const run = spawnCli(['check', folder]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('creds.yaml').and.not.contain(SECRET);
    });

    it('a folder that cannot be listed: exit 2 with the reason, no stack trace', () => {
      const folder = join(root, 'closed');
      mkdirSync(folder);
      chmodSync(folder, 0o000);
      // root reads any folder: run as nobody then (the test files must be reachable for it).
      const asRoot = process.getuid?.() === 0;
      if (asRoot) chmodSync(root, 0o755);
      const run = spawnCli(['check', folder], asRoot ? { uid: 65534, gid: 65534 } : {});
      chmodSync(folder, 0o755);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('cannot read folder').and.contain('permission denied');
      expect(run.stderr).to.not.match(/\n\s+at /);
    });
  });

  it('deep nesting: exit 2 with a position, not "Maximum call stack size exceeded"', async () => {
    const run = await runCli(['check', write('deep.yaml', `a: ${'['.repeat(200_000)}\n`)]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/deep\.yaml:1:\d+: maps and lists are nested more than 64 levels deep/);
  });

  describe('what reaches the terminal is escaped', () => {
    const names: ReadonlyArray<readonly [string, string]> = [
      ['clear screen', '\u001b[2J'],
      ['set window title', '\u001b]0;pwned\u0007'],
      ['a forged result line', 'x\nPASS forged: 1 steps: 1 passed, 0 failed'],
      ['right-to-left override', 'abc\u202edcba'],
      ['a C1 control sequence introducer', 'x\u009b31m'],
    ];
    for (const [what, name] of names) {
      it(`a step name with ${what}: the table, Markdown and JUnit show it inert`, async () => {
        const file = write('escape.yaml', scenario('[]', name));
        const junit = join(root, 'report.xml');
        const markdown = join(root, 'report.md');
        const run = await runCli(['check', file, '--junit', junit, '--markdown', markdown]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(run.stdout.split('\n').filter((l) => l.startsWith('PASS forged'))).to.deep.equal([]);
        expect(readFileSync(markdown, 'utf8')).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(readFileSync(junit, 'utf8')).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      });
    }

    it('explain: the step name is escaped in its output and in its errors', async () => {
      const file = write('explain.yaml', scenario('[]', 'evil\u001b[2J\nFORGED'));
      const ok = await runCli(['explain', file, 'a -> b']);
      expect(ok.code).to.equal(0);
      expect(ok.stdout).to.contain('[1/1] evil\\x1b[2J\\x0aFORGED\n');
      const missing = await runCli(['explain', file, 'a -> b', '--step', 'nope']);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain('1 "evil\\u001b[2J\\nFORGED"');
      for (const out of [ok.stdout, missing.stderr]) expect(out).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    });

    it('a diagnostic about such a value: escaped message and code frame', async () => {
      // Raw control characters in the file: the code frame writes them out, carets aligned.
      const file = write('escape-bad.yaml', scenario('[]', 'ok').replace('expect: ["allow * -> *"]', 'expect: ["allow \u001b[2J\u001b]0;t\u0007 -> *"]'));
      const run = await runCli(['check', file]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('expect: ["allow \\x1b[2J\\x1b]0;t\\x07 -> *"]\n                        ^^^^^^^^^^^^^^^^^^^\n');
      expect(run.stderr).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    });
  });

  describe('keys are data, end to end', function () {
    this.timeout(5 * 60_000);
    /** Label keys and names that are also properties of every JavaScript object. */
    const text = [
      'apiVersion: netpol-harness/v1alpha1',
      'kind: Scenario',
      'metadata: {name: object-keys}',
      'spec:',
      '  namespaces: [{name: constructor, labels: {toString: x, hasOwnProperty: y, valueOf: z}}]',
      '  workloads:',
      '    - {name: a, labels: {constructor: a, toString: t}, ports: [{port: 80, name: constructor}]}',
      '    - {name: b, labels: {constructor: b, valueOf: "1"}, ports: [{port: 80, name: tostring}]}',
      '    - {name: c, ports: [{port: 80}]}',
      '  probe: {target: pod-ip, dns: false}',
      '  steps:',
      '    - name: only constructor=a with toString may reach b, on its port named tostring',
      '      apply:',
      '        - apiVersion: networking.k8s.io/v1',
      '          kind: NetworkPolicy',
      '          metadata: {name: constructor, labels: {toString: x}}',
      '          spec:',
      '            podSelector: {matchLabels: {constructor: b}}',
      '            ingress: [{from: [{podSelector: {matchLabels: {constructor: a}, matchExpressions: [{key: toString, operator: Exists}]}, namespaceSelector: {matchLabels: {toString: x}}}], ports: [{port: tostring}]}]',
      '      expect: ["deny * -> b", "allow a -> b", "allow * -> a", "allow * -> c"]',
      '    - name: relabel with the same keys',
      '      label: [{workload: a, labels: {toString: null}}, {workload: c, labels: {constructor: a, toString: q}}]',
      '      expect: ["deny a -> b", "allow c -> b"]',
      '',
    ].join('\n');

    it('check: the simulator reads constructor, toString, hasOwnProperty, valueOf as ordinary keys', async () => {
      const run = await runCli(['check', write('object-keys.yaml', text), '--output', 'json']);
      expect(run.stderr).to.equal('');
      expect(run.code).to.equal(0);
    });

    it('run --backend local: real packets agree (root)', async function () {
      requireRoot(this);
      const run = await runCli(['run', write('object-keys.yaml', text), '--backend', 'local', '--output', 'json']);
      const failed = JSON.parse(run.stdout).steps.flatMap((s: { probes: { pass: boolean }[] }) => s.probes.filter((p) => !p.pass));
      expect(failed, JSON.stringify(failed, null, 1)).to.deep.equal([]);
      expect(run.code).to.equal(0);
    });
  });
});
