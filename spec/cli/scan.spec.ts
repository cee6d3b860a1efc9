/**
 * `scan` on a real multi-service application (examples/online-boutique, modelled on Google's
 * Online Boutique): the call graph its policies intend, DNS included, Services remapping
 * ports; its `--out` scenario checks to the same matrix; inputs are read boundedly.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const APP = 'examples/online-boutique';
const NS = 'boutique';

interface Probe {
  from: string;
  to: string;
  port: number;
  protocol: string;
  predicted: string;
  expected: string | null;
  reason: string;
  service?: string;
  servicePort?: number;
}

/** The call graph the application's policies intend: caller -> callee (pod port). */
export const BOUTIQUE_CALLS: readonly string[] = [
  'cartservice -> redis-cart:6379',
  'checkoutservice -> cartservice:7070',
  'checkoutservice -> currencyservice:7000',
  'checkoutservice -> emailservice:8080',
  'checkoutservice -> paymentservice:50051',
  'checkoutservice -> productcatalogservice:3550',
  'checkoutservice -> shippingservice:50051',
  'frontend -> adservice:9555',
  'frontend -> cartservice:7070',
  'frontend -> checkoutservice:5050',
  'frontend -> currencyservice:7000',
  'frontend -> productcatalogservice:3550',
  'frontend -> recommendationservice:8080',
  'frontend -> shippingservice:50051',
  'loadgenerator -> frontend:8080',
  'recommendationservice -> productcatalogservice:3550',
];

const short = (ref: string): string => ref.replace(`${NS}/`, '');

function probesOf(stdout: string): Probe[] {
  const lines = stdout.trim().split('\n');
  expect(lines).to.have.length(1);
  const result = JSON.parse(lines[0]!);
  expect(result.steps).to.have.length(1);
  return result.steps[0].probes;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nph-scan-'));
}

describe('cli scan', () => {
  it('gives the call graph the policies intend, DNS included, with a reason for every flow', async () => {
    const { code, stdout, stderr } = await runCli(['scan', APP, '--namespace', NS, '--output', 'json']);
    expect(code).to.equal(0);
    const probes = probesOf(stdout);
    const allowed = probes.filter((p) => p.predicted === 'allow' && p.to !== 'dns').map((p) => `${short(p.from)} -> ${short(p.to)}:${p.port}`);
    expect([...new Set(allowed)].sort()).to.deep.equal(BOUTIQUE_CALLS);
    const dns = probes.filter((p) => p.to === 'dns');
    expect(dns).to.have.length(12);
    expect(dns.every((p) => p.predicted === 'allow' && p.reason.includes(`${NS}/allow-dns`))).to.equal(true);
    expect(probes.every((p) => p.reason.length > 0 && p.expected === p.predicted)).to.equal(true);
    // A kustomization and ServiceAccounts are not errors: listed once, skipped.
    expect(stderr).to.match(/skipped \(kinds not modelled\): 1 Kustomization, 11 ServiceAccount\n/);
  });

  it('reports the pod port, as policies judge it, with the Service port beside it where they differ', async () => {
    const probes = probesOf((await runCli(['scan', APP, '-n', NS, '-o', 'json'])).stdout);
    const email = probes.find((p) => p.from === `${NS}/checkoutservice` && p.to === `${NS}/emailservice`)!;
    expect(email).to.include({ port: 8080, service: 'emailservice', servicePort: 5000, predicted: 'allow' });
    const front = probes.filter((p) => p.from === `${NS}/loadgenerator` && p.to === `${NS}/frontend`);
    expect(front.map((p) => [p.service, p.servicePort, p.port])).to.deep.equal([
      ['frontend', 80, 8080],
      ['frontend-external', 80, 8080],
    ]);
    const direct = probes.find((p) => p.from === `${NS}/frontend` && p.to === `${NS}/adservice`)!;
    expect(direct).to.not.have.property('service');
    const denied = probes.find((p) => p.from === `${NS}/frontend` && p.to === `${NS}/emailservice`)!;
    expect(denied.predicted).to.equal('deny');
    expect(denied.reason).to.contain(`${NS}/default-deny-all`);
  });

  it('writes a scenario with --out whose check gives the same matrix (file references, stand-ins, Services)', async () => {
    // Inside the manifests' folder, the scenario refers to them (outside, it inlines them: see below).
    const app = tempDir();
    cpSync(APP, app, { recursive: true });
    const out = join(app, 'boutique.yaml');
    const scan = await runCli(['scan', app, '-n', NS, '--out', out, '-o', 'json']);
    const text = readFileSync(out, 'utf8');
    expect(text).to.contain('skipOtherKinds: true').and.contain('name: frontend-external').and.contain('targetPort: http');
    expect(text).to.match(/- deny \* -> \*\n\s+- allow \* -> dns\n/);
    const check = await runCli(['check', out, '-o', 'json']);
    expect(check.code, check.stderr).to.equal(0);
    const strip = (p: Probe & { expectation?: string }) => ({ ...p, expectation: undefined });
    expect(probesOf(check.stdout).map(strip)).to.deep.equal(probesOf(scan.stdout).map(strip));
  });

  it('writes the policies inline, and says so, when the manifests lie outside the scenario\'s folder', async () => {
    const out = join(tempDir(), 'boutique.yaml');
    const scan = await runCli(['scan', APP, '-n', NS, '--out', out]);
    expect(scan.code).to.equal(0);
    expect(scan.stderr).to.match(/note: the policies of 3 files outside .* are written inline/);
    const text = readFileSync(out, 'utf8');
    expect(text).to.not.contain('file:');
    expect((await runCli(['check', out])).code).to.equal(0);
  });

  it('reads standard input (`-`), and --out then writes the policies inline', async () => {
    const files = ['namespace.yaml', 'kubernetes-manifests.yaml', 'network-policies/default-deny-all.yaml', 'network-policies/allow-dns.yaml', 'network-policies/services.yaml'];
    const stdin = files.map((f) => readFileSync(join(APP, f), 'utf8')).join('\n---\n');
    const out = join(tempDir(), 'from-stdin.yaml');
    const { code, stdout } = await runCli(['scan', '-', '-n', NS, '-o', 'json', '--out', out], {}, stdin);
    expect(code).to.equal(0);
    expect(probesOf(stdout).filter((p) => p.predicted === 'allow' && p.to !== 'dns')).to.have.length(BOUTIQUE_CALLS.length + 1);
    const text = readFileSync(out, 'utf8');
    expect(text).to.not.contain('file:');
    expect(text).to.contain('kind: NetworkPolicy');
    expect((await runCli(['check', out])).code).to.equal(0);
  });

  it('prints the truth table by default and the grouped view with --view groups', async () => {
    const table = await runCli(['scan', APP, '-n', NS]);
    expect(table.stdout).to.contain('emailservice:8080 via emailservice:5000');
    const groups = await runCli(['scan', APP, '-n', NS, '--view', 'groups']);
    expect(groups.code).to.equal(0);
    expect(groups.stdout).to.match(/Reachability of 12 workloads in 1 namespace under 14 policies/);
    expect(groups.stdout).to.match(/S\d+ \(1\) may reach 1 workload on 8080\/TCP \(T\d+ \(1\)\): 2 flows, because/);
    expect(groups.stdout).to.contain('may resolve names');
  });

  it('writes JUnit and Markdown reports like check', async () => {
    const dir = tempDir();
    const { code } = await runCli(['scan', APP, '-n', NS, '--junit', join(dir, 'r.xml'), '--markdown', join(dir, 'r.md')]);
    expect(code).to.equal(0);
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).to.contain('checkoutservice -&gt; emailservice:8080/TCP via emailservice:5000');
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).to.contain('```mermaid');
  });

  it('exits 2 with file:line:col on a bad manifest, and on a missing path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          ports: [{containerPort: 70000}]\n');
    const bad = await runCli(['scan', dir]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/bad\.yaml:9:\d+: containerPort 70000 of Deployment default\/web is not from 1 to 65535/);
    expect(bad.stderr).to.not.match(/\n\s+at /);
    expect((await runCli(['scan', join(dir, 'nope.yaml')])).code).to.equal(2);
    expect((await runCli(['scan', tempDir()])).stderr).to.contain('no manifest files');
  });

  it('refuses a FIFO named on the command line instead of hanging on it', async () => {
    const fifo = join(tempDir(), 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const { code, stderr } = await runCli(['scan', fifo]);
    expect(code).to.equal(2);
    expect(stderr).to.contain('not a regular file');
  });
});
