/**
 * `diff` on the Online Boutique example: deny-all only against all policies lists exactly the
 * flows the policies open; a folder against itself prints nothing; `--git` compares with a
 * revision through a temporary checkout that is removed afterwards.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { BOUTIQUE_CALLS } from './scan.spec.js';

const APP = 'examples/online-boutique';
const NS = 'boutique';
const APP_FILES = ['namespace.yaml', 'kubernetes-manifests.yaml'];

/** A folder with the application and only the named policy files. */
function appWith(policies: readonly string[], dir = mkdtempSync(join(tmpdir(), 'nph-diff-'))): string {
  for (const f of APP_FILES) copyFileSync(join(APP, f), join(dir, f));
  mkdirSync(join(dir, 'network-policies'), { recursive: true });
  for (const p of policies) copyFileSync(join(APP, 'network-policies', p), join(dir, 'network-policies', p));
  return dir;
}

interface Change {
  from: string;
  to: string;
  port: number;
  protocol: string;
  before: string;
  after: string;
  beforeReason: string;
  afterReason: string;
  beforePolicies: string[];
  afterPolicies: string[];
  servicePort?: number;
}

const parse = (stdout: string): Change[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const short = (ref: string): string => ref.replace(`${NS}/`, '');

describe('cli diff', () => {
  it('deny-all only -> all policies: exactly the flows the policies open (the call graph and every DNS lookup), exit 1', async () => {
    const base = appWith(['default-deny-all.yaml']);
    const { code, stdout } = await runCli(['diff', base, APP, '-n', NS, '-o', 'json']);
    expect(code).to.equal(1);
    const changes = parse(stdout);
    expect(changes.every((c) => c.before === 'deny' && c.after === 'allow')).to.equal(true);
    const flows = changes.filter((c) => c.to !== 'dns').map((c) => `${short(c.from)} -> ${short(c.to)}:${c.port}`);
    // loadgenerator reaches frontend through two Services (frontend, frontend-external).
    expect(flows).to.deep.equal([...BOUTIQUE_CALLS.slice(0, 14), 'loadgenerator -> frontend:8080', ...BOUTIQUE_CALLS.slice(14)]);
    expect(changes.filter((c) => c.to === 'dns').map((c) => short(c.from))).to.have.length(12);
    const email = changes.find((c) => c.to === `${NS}/emailservice`)!;
    expect(email).to.include({ port: 8080, servicePort: 5000 });
    expect(email.beforePolicies).to.include(`${NS}/default-deny-all (ingress)`);
    expect(email.afterPolicies).to.deep.equal([`${NS}/checkoutservice egress rule 2`, `${NS}/emailservice ingress rule 0`, `${NS}/allow-dns egress rule 0 (DNS lookup)`]);
    expect(email.afterReason).to.match(/^allowed: /);
  });

  it('--html writes a page of the flows that change, with the reason of each, escaped', async () => {
    const base = appWith(['default-deny-all.yaml']);
    const html = join(mkdtempSync(join(tmpdir(), 'nph-diff-')), 'diff.html');
    const { code } = await runCli(['diff', base, APP, '-n', NS, '--html', html]);
    expect(code).to.equal(1);
    const page = readFileSync(html, 'utf8');
    expect(page).to.contain('Flows that change');
    expect(page).to.contain(`${NS}/checkoutservice → ${NS}/emailservice:8080/TCP via emailservice:5000`);
    expect(page).to.match(/allowed: [^<]*emailservice/);
  });

  it('a folder against itself prints nothing and exits 0, in every format', async () => {
    for (const output of ['table', 'json', 'markdown']) {
      const { code, stdout, stderr } = await runCli(['diff', APP, APP, '-n', NS, '-o', output]);
      expect([code, stdout, stderr], output).to.deep.equal([0, '', '']);
    }
  });

  it('shows a closed flow with the rule that allowed it before, in Markdown fit for a pull request', async () => {
    const head = appWith(['default-deny-all.yaml', 'allow-dns.yaml', 'services.yaml']);
    // productcatalogservice stops admitting recommendationservice.
    const docs = readFileSync(join(APP, 'network-policies', 'services.yaml'), 'utf8').split('\n---\n');
    const at = docs.findIndex((d) => d.includes('name: productcatalogservice'));
    docs[at] = docs[at]!.replace('        - podSelector:\n            matchLabels:\n              app: recommendationservice\n', '');
    writeFileSync(join(head, 'network-policies', 'services.yaml'), docs.join('\n---\n'));
    const { code, stdout } = await runCli(['diff', APP, head, '-n', NS, '-o', 'markdown']);
    expect(code).to.equal(1);
    expect(stdout).to.match(/^### netpol-harness diff: 0 flows opened, 1 closed/);
    expect(stdout).to.contain('| 🔴 closed | boutique/recommendationservice | boutique/productcatalogservice:3550/TCP | allow | deny |');
    expect(stdout).to.contain('<details><summary>Reasons</summary>');
  });

  it('--git REF compares the working tree with a revision, through a temporary checkout removed afterwards', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nph-diff-repo-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=spec', '-c', 'user.email=spec@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    appWith(['default-deny-all.yaml'], repo);
    git('add', '.');
    git('commit', '-qm', 'deny-all only');
    copyFileSync(join(APP, 'network-policies', 'allow-dns.yaml'), join(repo, 'network-policies', 'allow-dns.yaml'));
    const checkouts = () => readdirSync(tmpdir()).filter((d) => d.startsWith('nph-git-')).length;
    const before = checkouts();
    const { code, stdout } = await runCli(['diff', '--git', 'HEAD', repo, '-n', NS, '-o', 'json']);
    expect(code).to.equal(1);
    const changes = parse(stdout);
    expect(changes.map((c) => c.to)).to.deep.equal(Array(12).fill('dns'));
    expect(checkouts(), 'the checkout is removed').to.equal(before);
    const table = await runCli(['diff', '--git', 'HEAD', repo, '-n', NS]);
    expect(table.stdout).to.match(/^12 flows opened, 0 closed: HEAD:\. -> /);
    rmSync(repo, { recursive: true, force: true });
  });

  it('exits 2 on bad input: a missing path, a bad revision, a manifest error, a wrong number of paths', async () => {
    expect((await runCli(['diff', APP, '/nonexistent'])).code).to.equal(2);
    expect((await runCli(['diff', '--git', 'no-such-ref-xyz', APP])).code).to.equal(2);
    expect((await runCli(['diff', '--git', '--upload-pack=x', APP])).code).to.equal(2);
    expect((await runCli(['diff', APP])).code).to.equal(2);
    const bad = mkdtempSync(join(tmpdir(), 'nph-diff-bad-'));
    writeFileSync(join(bad, 'p.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}, ingres: []}\n');
    const { code, stderr } = await runCli(['diff', APP, bad]);
    expect(code).to.equal(2);
    expect(stderr).to.match(/p\.yaml:4:\d+: .*ingres/);
  });
});
