import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nph-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const MINIMAL = `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: minimal}
spec:
  namespaces: [{name: demo}]
  workloads:
    - {name: a, labels: {app: a}, ports: [{port: 80}]}
    - {name: b, labels: {app: b}, ports: [{port: 80}]}
  steps:
    - name: open
      expect: [allow * -> *]
    - name: b isolated
      apply:
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny-b}
          spec: {podSelector: {matchLabels: {app: b}}}
      expect: [deny a -> b, allow b -> a]
`;

describe('cli check', () => {
  it('passes every tutorial scenario in scenarios/ (exit 0) and shows every step', async () => {
    const table = await runCli(['check', 'scenarios/']);
    expect(table.stderr.split('\n')[0]).to.equal('note: skipped sub-folder scenarios/manifests (sub-folders are not searched; name one to check its scenarios)');
    expect(table.code).to.equal(0);
    expect(table.stdout).to.match(/three-tier/);
    const results = (await runCli(['check', 'scenarios/', '--output', 'json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.scenario).sort()).to.deep.equal(['cassandra', 'frontend-backend', 'production-baseline', 'rogue-pod', 'three-tier']);
    for (const result of results) {
      expect(result.pass, result.scenario).to.equal(true);
      expect(result.steps.every((s: { probes: { expected: unknown }[] }) => s.probes.every((p) => p.expected !== null)), `${result.scenario}: every probe asserted`).to.equal(true);
    }
  });

  it('prints one JSON line per scenario with --output json', async () => {
    const file = tempFile('minimal.yaml', MINIMAL);
    const { code, stdout } = await runCli(['check', file, '--output', 'json']);
    expect(code).to.equal(0);
    const lines = stdout.trim().split('\n');
    expect(lines).to.have.length(1);
    const result = JSON.parse(lines[0]!);
    expect(result).to.include({ scenario: 'minimal', file, pass: true });
    expect(result.steps[1].probes.find((p: { from: string; to: string }) => p.from === 'demo/a' && p.to === 'demo/b')).to.include({
      port: 80,
      protocol: 'TCP',
      expected: 'deny',
      predicted: 'deny',
      observed: null,
      pass: true,
    });
  });

  it('exits 1 when an expectation contradicts the semantics, and says why', async () => {
    const file = tempFile('wrong.yaml', MINIMAL.replace('deny a -> b', 'allow a -> b'));
    const { code, stdout } = await runCli(['check', file, '--output', 'json']);
    expect(code).to.equal(1);
    const probe = JSON.parse(stdout).steps[1].probes.find((p: { from: string; to: string }) => p.from === 'demo/a' && p.to === 'demo/b');
    expect(probe).to.include({ expected: 'allow', predicted: 'deny', pass: false });
    expect(probe.reason).to.contain('demo/deny-b');
  });

  it('exits 2 with file:line:col and no stack trace on a misspelled policy field', async () => {
    const file = tempFile('typo.yaml', MINIMAL.replace('spec: {podSelector', 'spec: {ingres: [], podSelector'));
    const { code, stderr, stdout } = await runCli(['check', file]);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:17:\\d+: .*ingres`));
    expect(stderr).to.contain('hint:');
    expect(stderr).to.not.match(/\n\s+at /);
  });

  it('writes JUnit and Markdown reports in the same run', async () => {
    const file = tempFile('minimal.yaml', MINIMAL);
    const junit = `${file}.xml`;
    const markdown = `${file}.md`;
    const { code } = await runCli(['check', file, '--junit', junit, '--markdown', markdown]);
    expect(code).to.equal(0);
    expect(readFileSync(junit, 'utf8')).to.contain('<testsuite');
    expect(readFileSync(markdown, 'utf8')).to.contain('```mermaid');
  });

  it('exits 2 on a usage error and on a path without scenarios', async () => {
    expect((await runCli(['check'])).code).to.equal(2);
    expect((await runCli(['check', 'x.yaml', '--output', 'xml'])).code).to.equal(2);
    expect((await runCli(['check', '/nonexistent/path.yaml'])).code).to.equal(2);
  });

  it('refuses a step of more probes than it holds with exit 2, naming the step, instead of running out of memory', async () => {
    const workloads = Array.from({ length: 600 }, (_, i) => `    - {name: w${i}, labels: {app: w${i}}, ports: [{port: 80}]}`).join('\n');
    const file = tempFile('big.yaml', `apiVersion: netpol-harness/v1alpha1\nkind: Scenario\nmetadata: {name: big}\nspec:\n  namespaces: [{name: demo}]\n  workloads:\n${workloads}\n  steps:\n    - name: open\n      expect: [allow * -> *]\n`);
    const { code, stdout, stderr } = await runCli(['check', file]);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.contain(`${file}: step 0 ("open") plans 360,000 probes`).and.contain('at most 250,000 per step').and.contain('hint:');
  });

  it('prints help and the version with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('check');
    expect((await runCli(['--version'])).stdout).to.match(/^\d+\.\d+\.\d+/);
  });
});
