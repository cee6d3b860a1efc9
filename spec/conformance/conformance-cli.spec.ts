/**
 * `conformance generate` and `conformance run` in-process: on the simulated dataplane (no
 * packets, every backend-independent part) and, for real, a tagged subset on the local
 * dataplane (root).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SUITE_CASES } from '../../src/conformance/suite.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../cli/run-cli.js';
import { requireRoot } from '../support/require-root.js';

function summaryOf(stdout: string): any {
  const last = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last).conformance;
}

describe('cli conformance', function () {
  this.timeout(10 * 60_000);

  it('generate writes every case as a file that check passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nph-suite-'));
    const generated = await runCli(['conformance', 'generate', '--out', dir]);
    expect(generated.code).to.equal(0);
    expect(generated.stdout).to.match(new RegExp(`^wrote ${SUITE_CASES.length} cases \\(\\d+ feature tags\\)`));
    expect(readdirSync(dir)).to.have.length(SUITE_CASES.length);
    const checked = await runCli(['check', dir, '--output', 'json']);
    expect(checked.code, checked.stderr).to.equal(0);
    expect(checked.stdout.trim().split('\n')).to.have.length(SUITE_CASES.length);
  });

  it('on a dataplane that behaves like Cilium: ipBlock of pod IPs deviates, and the run says it behaves like cilium', async () => {
    const { code, stdout } = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'cilium', '--tags', 'ipblock,peer-pod', '--output', 'json']);
    expect(code).to.equal(1);
    const summary = summaryOf(stdout);
    const verdicts = Object.fromEntries(summary.features.map((f: any) => [f.tag, f.verdict]));
    expect(verdicts['ipblock-pod-ip']).to.equal('deviates');
    expect(verdicts['peer-pod']).to.equal('pass');
    expect(summary.features.find((f: any) => f.tag === 'ipblock-pod-ip').cells[0]).to.include({ expected: 'allow', observed: 'deny' });
    expect(summary.behavesLike[0]).to.include({ profile: 'cilium' });
    expect(summary.behavesLike[0].explained).to.equal(summary.behavesLike[0].deviations);
  });

  it('with --profile cilium the same deviations are known ones, cited with their source, exit 0', async () => {
    const { code, stdout } = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'cilium', '--profile', 'cilium', '--tags', 'ipblock-pod-ip']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/ipblock-pod-ip +≈ known deviation/);
    expect(stdout).to.contain('https://github.com/cilium/cilium/issues/9209');
  });

  it('on a dataplane that behaves like kube-router 1.2: it behaves like kube-router-1.2; with that profile the deviations are known, cited, exit 0', async () => {
    const tags = ['--tags', 'union,named-port-per-pod'];
    const bare = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'kube-router-1.2', ...tags, '--output', 'json']);
    expect(bare.code).to.equal(1);
    const summary = summaryOf(bare.stdout);
    expect(summary.behavesLike[0]).to.deep.equal({ profile: 'kube-router-1.2', explained: 10, deviations: 10, unmet: 0 });
    // Every red feature is traced to the two cases behind it (select-all is only a tag of the union case).
    const table = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'kube-router-1.2', ...tags]);
    expect(table.stdout).to.match(/select-all +✗ DEVIATES/);
    expect(table.stdout).to.match(/^the deviating feature\(s\) come from 2 case\(s\): named-port-egress-tcp \(8 cells; tags [^)]*named-port[^)]*\); union-ingress-and-egress-policies \(2 cells; tags [^)]*select-all[^)]*\)$/m);
    const known = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'kube-router-1.2', '--profile', 'kube-router-1.2', ...tags]);
    expect(known.code, known.stdout).to.equal(0);
    expect(known.stdout).to.match(/union +≈ known deviation/).and.match(/named-port-per-pod +≈ known deviation/);
    expect(known.stdout).to.contain('https://github.com/cloudnativelabs/kube-router/pull/1108').and.contain('https://github.com/cloudnativelabs/kube-router/issues/1036');
  });

  it('reports a dataplane that enforces nothing once, as not enforcing, not as 150 failures', async () => {
    const { code, stdout, stderr } = await runCli(['conformance', 'run', '--backend', 'simulated', '--cni', 'none']);
    expect(code).to.equal(3);
    expect(stderr).to.match(/NOT enforcing/);
    expect(stdout).to.equal('');
  });

  it('--html writes the per-feature table and every case', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'nph-conformance-')), 'conformance.html');
    const { code } = await runCli(['conformance', 'run', '--backend', 'simulated', '--emulate', 'cilium', '--tags', 'ipblock-pod-ip', '--html', html]);
    expect(code).to.equal(1);
    const page = readFileSync(html, 'utf8');
    expect(page).to.contain('<section id="conformance">');
    expect(page).to.match(/ipblock-pod-ip/);
  });

  it('prints each case as it finishes: its verdict line, or its JSON line', async () => {
    const table = await runCli(['conformance', 'run', '--backend', 'simulated', '--tags', 'op-in']);
    expect(table.code).to.equal(0);
    const cases = SUITE_CASES.filter((c) => c.tags.includes('op-in')).map((c) => c.name);
    for (const name of cases) expect(table.stdout).to.match(new RegExp(`^✓ pass +${name}$`, 'm'));
    // The verdict per feature follows the last case.
    expect(table.stdout.indexOf('NetworkPolicy conformance')).to.be.greaterThan(Math.max(...cases.map((n) => table.stdout.indexOf(n))));
    const json = await runCli(['conformance', 'run', '--backend', 'simulated', '--tags', 'op-in', '--output', 'json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => l.scenario).sort()).to.deep.equal([...cases].sort());
    expect(lines.at(-1).conformance).to.include({ verdict: 'pass' }).and.not.have.property('incomplete');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stopped by ${signal}, keeps the cases that finished in every format, marked incomplete`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nph-conformance-stop-'));
      const files = { junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md'), html: join(dir, 'r.html') };
      let stdout = '';
      let stderr = '';
      let sent = false;
      const code = await main(['conformance', 'run', '--backend', 'simulated', '--output', 'json', '--parallel', '1', '--junit', files.junit, '--markdown', files.markdown, '--html', files.html], {
        stdout: (t) => {
          stdout += t;
          // The signal arrives as the third case finishes, as a Ctrl-C would mid-run.
          if (!sent && stdout.split('\n').filter((l) => l.startsWith('{"scenario"')).length === 3) {
            sent = true;
            process.emit(signal, signal);
          }
        },
        stderr: (t) => (stderr += t),
        env: { NO_COLOR: '1' },
        isTTY: false,
      });
      expect(code, stderr).to.equal(signal === 'SIGINT' ? 130 : 143);
      const reason = signal === 'SIGINT' ? 'interrupted (SIGINT)' : 'terminated (SIGTERM)';
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      const finished = lines.filter((l) => l.scenario !== undefined).map((l) => l.scenario);
      expect(finished.length).to.be.at.least(3).and.below(SUITE_CASES.length);
      const summary = lines.at(-1).conformance;
      expect(summary.incomplete).to.equal(reason);
      // The verdicts cover exactly the cases that finished.
      const tagged = new Set(SUITE_CASES.filter((c) => finished.includes(c.name)).flatMap((c) => c.tags));
      expect(summary.features.map((f: any) => f.tag).sort()).to.deep.equal([...tagged].sort());
      const junit = readFileSync(files.junit, 'utf8');
      expect(junit).to.include(`<error message="${reason}" type="incomplete">`);
      for (const name of finished) expect(junit).to.include(`name="${name} / `);
      expect(readFileSync(files.markdown, 'utf8')).to.include(`INCOMPLETE: ${reason}; the verdicts cover the ${finished.length} case(s) that finished`);
      expect(readFileSync(files.html, 'utf8')).to.include(`INCOMPLETE: ${reason}`).and.include('<section id="conformance">');
    });
  }

  it('refuses an unknown profile and any tag that selects nothing (a typo among good tags too), naming the tags there are, exit 2', async () => {
    expect((await runCli(['conformance', 'run', '--backend', 'simulated', '--profile', 'nope'])).code).to.equal(2);
    expect((await runCli(['conformance', 'run', '--backend', 'simulated', '--tags', 'no-such-tag'])).code).to.equal(2);
    const typo = await runCli(['conformance', 'run', '--backend', 'simulated', '--tags', 'union,slef']);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.match(/no case carries the tag slef; the tags of these cases: allow-all, .*\bself\b/);
    expect(typo.stdout).to.equal('');
    expect((await runCli(['conformance', 'generate', '--out', mkdtempSync(join(tmpdir(), 'nph-gen-')), '--tags', 'slef'])).code).to.equal(2);
    expect((await runCli(['conformance', 'run', '--backend', 'simulated', '--tags', ','])).stderr).to.match(/--tags names no tag/);
  });

  it('a dataplane that enforces nothing: every report says why it stopped, none says pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nph-conformance-none-'));
    const files = { junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md'), html: join(dir, 'r.html') };
    const { code } = await runCli(['conformance', 'run', '--backend', 'simulated', '--cni', 'none', '--tags', 'union', '--canary-timeout', '1', '--junit', files.junit, '--markdown', files.markdown, '--html', files.html]);
    expect(code).to.equal(3);
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).to.match(/^# NetworkPolicy conformance: inconclusive$/m);
    expect(md).to.match(/INCOMPLETE: stopped before any case: enforcement canary on .*NOT enforcing/);
    expect(md).not.to.match(/conformance: pass/);
    expect(readFileSync(files.html, 'utf8')).to.include('inconclusive').and.include('NOT enforcing').and.not.include('✓ pass</span></h2>');
    expect(readFileSync(files.junit, 'utf8')).to.include('type="incomplete"').and.include('NOT enforcing');
  });

  it('with the profile that explains the deviations: exit 0, and no report counts them as failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nph-conformance-known-'));
    const files = { junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md') };
    const args = ['conformance', 'run', '--backend', 'simulated', '--emulate', 'kube-router-1.2', '--tags', 'union', '--junit', files.junit, '--markdown', files.markdown];
    const { code, stderr } = await runCli([...args, '--profile', 'kube-router-1.2']);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.match(/cases done, 1 known deviation\(s\)$/m);
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).to.match(/^# NetworkPolicy conformance: known deviation$/m).and.not.match(/FAIL|❌/);
    expect(md, 'the source is a Markdown link').to.match(/known deviation \[[a-z0-9-]+\]\(https:\/\/[^)\s]+\): /);
    const junit = readFileSync(files.junit, 'utf8');
    expect(junit).to.match(/<testsuites name="netpol-harness" tests="\d+" failures="0" errors="0">/);
    expect(junit).to.match(/<skipped message="known deviation of profile kube-router-1\.2: [^"]+\(https:[^"]+\)"\/>/);
    // Without the profile the same cells are failures.
    expect((await runCli(args)).code).to.equal(1);
    expect(readFileSync(files.junit, 'utf8')).to.match(/failures="[1-9]/).and.not.include('<skipped');
  });

  describe('on the local dataplane (root, real packets)', () => {
    beforeEach(function () {
      requireRoot(this);
    });

    it('passes a tagged subset for real and reports SCTP as unsupported', async () => {
      const tags = 'peer-and,named-port-per-pod,self,sctp,policy-update,ipblock-ingress,dns-tcp';
      const markdown = join(mkdtempSync(join(tmpdir(), 'nph-conformance-md-')), 'r.md');
      const { code, stdout, stderr } = await runCli(['conformance', 'run', '--backend', 'local', '--tags', tags, '--output', 'json', '--markdown', markdown]);
      const summary = summaryOf(stdout);
      const verdicts = Object.fromEntries(summary.features.map((f: any) => [f.tag, f.verdict]));
      expect(verdicts, stderr).to.include({ 'peer-and': 'pass', 'named-port-per-pod': 'pass', self: 'pass', 'policy-update': 'pass', sctp: 'unsupported' });
      // Clients outside the cluster judged by ipBlock ingress, and lookups over TCP, for real.
      expect(verdicts, stderr).to.include({ 'ipblock-ingress': 'pass', 'external-client': 'pass', 'dns-tcp': 'pass' });
      expect(summary.features.find((f: any) => f.tag === 'sctp').unsupported[0]).to.match(/cannot serve or probe SCTP/);
      // Unsupported is not a failure of the CNI: exit 3 only because nothing else failed.
      expect(code).to.equal(3);
      expect(stderr).to.match(/^time: wall .* probes/m);
      // The Markdown gives the unsupported cases' reasons in the feature table, and lists no case as failed.
      const md = readFileSync(markdown, 'utf8');
      expect(md).to.match(/\| sctp \| – unsupported \| 0\/\d+ pass, \d+ unsupported \| unsupported: .*cannot serve or probe SCTP/);
      expect(md).not.to.match(/FAIL|❌/);
    });
  });
});
