/**
 * `run`, `doctor` and `cleanup --backend kube` end to end in-process, against the fake API
 * server (HTTP and the exec websocket) with a dataplane that enforces deny-all policies:
 * scenarios in parallel, an unsupported one among them, a cleanup during a run, a node that
 * does not enforce, an admission webhook that refuses pods.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { denyAllEnforcer, startFakeApiServer, type FakeApiServer, type FakeOptions } from '../backends/kube/fake-api-server.js';
import { runCli } from './run-cli.js';
import { pollUntil } from '../../src/util/poll-until.js';

function scenarioYaml(name: string, namespace: string, extraPolicy = ''): string {
  return `apiVersion: netpol-harness/v1alpha1
kind: Scenario
metadata: {name: ${name}}
spec:
  namespaces: [{name: ${namespace}}]
  workloads:
    - {name: web, labels: {app: web}, ports: [{port: 80, name: http}]}
    - {name: client, labels: {app: client}}
  probe: {timeoutSeconds: 1}
  steps:
    - name: open
      expect: [allow * -> *, allow * -> dns]
    - name: deny-all ingress
      apply:
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny-in}
          spec: {podSelector: {}, policyTypes: [Ingress]${extraPolicy}}
      expect: [deny * -> *, allow * -> dns]
`;
}

/** The JSON lines of `run --output json`, sorted by scenario name (they come as scenarios finish). */
function resultsByName(stdout: string): any[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .sort((a, b) => (a.scenario < b.scenario ? -1 : 1));
}

describe('cli run/doctor/cleanup --backend kube (fake API server, deny-all enforcing exec)', function () {
  this.timeout(60_000);
  let fake: FakeApiServer;
  let dir: string;
  let kubeconfig: string;

  async function start(options: FakeOptions = {}): Promise<void> {
    fake = await startFakeApiServer({ exec: denyAllEnforcer(), ...options });
    dir = mkdtempSync(join(tmpdir(), 'nph-kube-cli-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, fake.kubeConfigYaml());
  }
  afterEach(async () => fake?.close());

  const harnessNamespaces = (): string[] => [...fake.store.get('namespaces')!.keys()].filter((n) => n !== 'kube-system');
  const doctorFlags = (): string[] => ['--backend', 'kube', '--kubeconfig', kubeconfig, '--canary-timeout', '2', '--delete-wait', '2'];
  const flags = (): string[] => [...doctorFlags(), '--settle-timeout', '1'];

  it('runs scenarios two at a time, reports an endPort scenario as unsupported on 1.20 while the others pass, exits 3, leaves nothing', async () => {
    await start();
    const scenarios = join(dir, 'scenarios');
    writeFileSync(join(dir, 'kubeconfig'), fake.kubeConfigYaml());
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    writeFileSync(join(scenarios, 'a.yaml'), scenarioYaml('alpha', 'alpha'));
    writeFileSync(join(scenarios, 'b.yaml'), scenarioYaml('beta', 'beta'));
    writeFileSync(join(scenarios, 'c.yaml'), scenarioYaml('ranged', 'gamma', ', ingress: [{ports: [{port: 8000, endPort: 8100}]}]'));
    const { code, stdout, stderr } = await runCli(['run', scenarios, ...flags(), '--parallel', '2', '--output', 'json']);
    // Lines come as scenarios finish: two at a time, in any order.
    const results = resultsByName(stdout);
    expect(results.map((r) => [r.scenario, r.pass, r.unsupported?.feature])).to.deep.equal([
      ['alpha', true, undefined],
      ['beta', true, undefined],
      ['ranged', false, 'endPort'],
    ]);
    expect(results[2].unsupported.reason).to.match(/endPort needs Kubernetes >= 1\.22 and this cluster runs v1\.20\.2/);
    expect(code, stderr).to.equal(3);
    expect(stderr).to.match(/canary .*: enforcing/);
    expect(stderr).to.match(/^time: wall .* set-up .* apply .* probe .* teardown .*\(summed over 3 scenarios, 2 at a time\) · \d+ probes/m);
    // Two scenarios at once: the second's namespace exists before the first's is deleted.
    const order = fake.requests.filter((r) => /^\/api\/v1\/namespaces(\/(alpha|beta)-[a-z0-9]+)?$/.test(r.path) && (r.method === 'POST' || r.method === 'DELETE'));
    expect(order.slice(0, 2).map((r) => r.method)).to.deep.equal(['POST', 'POST']);
    // The unsupported scenario created nothing.
    expect(fake.requests.some((r) => r.method === 'POST' && /gamma/.test(JSON.stringify(r.body ?? '')))).to.equal(false);
    expect(harnessNamespaces()).to.deep.equal([]);
  });

  it('reports a scenario with an external client, and one with lookups over TCP, as unsupported with the field and why; the other runs', async () => {
    await start();
    const scenarios = join(dir, 'scenarios');
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    writeFileSync(join(scenarios, 'a.yaml'), scenarioYaml('alpha', 'alpha'));
    // A routable address, so only `client: true` makes it unsupported.
    const client = scenarioYaml('clients', 'beta').replace('  probe:', '  externals: [{name: partner, ip: 172.31.99.10, client: true}]\n  probe:');
    writeFileSync(join(scenarios, 'b.yaml'), client.replace('expect: [deny * -> *, allow * -> dns]', 'expect: [deny * -> *, allow * -> dns, deny partner -> *]'));
    writeFileSync(join(scenarios, 'c.yaml'), scenarioYaml('dns-tcp', 'gamma').replace('probe: {timeoutSeconds: 1}', 'probe: {timeoutSeconds: 1, dnsProtocols: [UDP, TCP]}'));
    const { code, stdout, stderr } = await runCli(['run', scenarios, ...flags(), '--output', 'json']);
    const results = resultsByName(stdout);
    expect(results.map((r) => [r.scenario, r.pass, r.unsupported?.feature]), stderr).to.deep.equal([
      ['alpha', true, undefined],
      ['clients', false, 'externals[].client'],
      ['dns-tcp', false, 'probe.dnsProtocols'],
    ]);
    expect(results[1].unsupported.reason).to.match(/^external partner \(172\.31\.99\.10\) has client: true, but nothing of the harness runs outside a cluster/);
    expect(results[2].unsupported.reason).to.match(/busybox nslookup, has no TCP mode/);
    expect(code, stderr).to.equal(3);
    // Neither unsupported scenario created anything.
    expect(fake.requests.some((r) => r.method === 'POST' && /beta|gamma/.test(JSON.stringify(r.body ?? '')))).to.equal(false);
    expect(harnessNamespaces()).to.deep.equal([]);
  });

  for (const build of ['plain', 'verbose'] as const) {
    it(`probes TCP with the image's busybox nc (${build} build) once it passed a connect and a refusal; denials read as timeouts`, async () => {
      await start({ exec: denyAllEnforcer({ nc: build }) });
      const file = join(dir, 'a.yaml');
      writeFileSync(file, scenarioYaml('alpha', 'alpha'));
      const { code, stdout, stderr } = await runCli(['run', file, ...flags(), '--output', 'json']);
      expect(code, stderr).to.equal(0);
      expect(stderr).to.include(`probe tools: busybox nc${build === 'verbose' ? ' -vv' : ''} for TCP connects`);
      const denied = JSON.parse(stdout).steps[1].probes.filter((p: { expected: string }) => p.expected === 'deny');
      expect(denied.length).to.be.greaterThan(0);
      expect(denied.every((p: { observed: string; outcome: string }) => p.observed === 'deny' && p.outcome === 'timeout'), JSON.stringify(denied[0])).to.equal(true);
      // After the check, every TCP probe of the scenario went through nc, none through agnhost.
      const scripts = fake.execCalls.map((c) => c.command[2] ?? '').filter((s) => / nc (-vv )?-w /.test(s));
      expect(scripts.length).to.be.greaterThan(2);
      expect(fake.execCalls.filter((c) => c.namespace.startsWith('alpha-')).some((c) => (c.command[2] ?? '').includes('/agnhost connect'))).to.equal(false);
    });
  }

  it('keeps agnhost for TCP when the image has no usable nc', async () => {
    await start();
    const file = join(dir, 'a.yaml');
    writeFileSync(file, scenarioYaml('alpha', 'alpha'));
    const { code, stderr } = await runCli(['run', file, ...flags()]);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.include("probe tools: agnhost connect for TCP (the image's nc failed a connect or a refusal)");
    expect(fake.execCalls.filter((c) => c.namespace.startsWith('alpha-')).every((c) => !/ nc (-vv )?-w /.test(c.command[2] ?? ''))).to.equal(true);
  });

  it('runs scenarios of one topology on one set of pods, one after the other; --fresh-pods gives each its own', async () => {
    await start();
    const scenarios = join(dir, 'scenarios');
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    for (const name of ['one', 'two', 'three']) writeFileSync(join(scenarios, `${name}.yaml`), scenarioYaml(name, 'shop'));
    const podsCreated = (): number => fake.requests.filter((r) => r.method === 'POST' && /^\/api\/v1\/namespaces\/shop-[a-z0-9]+\/pods$/.test(r.path)).length;
    const shared = await runCli(['run', scenarios, ...flags(), '--parallel', '1', '--output', 'json']);
    expect(shared.code, shared.stderr).to.equal(0);
    expect(resultsByName(shared.stdout).map((r) => r.pass)).to.deep.equal([true, true, true]);
    // Two workloads, set up once; the deny-all of one scenario is gone when the next one's open step runs.
    expect(podsCreated()).to.equal(2);
    // Every round of the three scenarios went through one probe session per source pod.
    const sessions = (): number => fake.sessionCalls.filter((c) => c.namespace.startsWith('shop-')).length;
    expect(sessions()).to.equal(2);
    const fresh = await runCli(['run', scenarios, ...flags(), '--parallel', '1', '--fresh-pods']);
    expect(fresh.code, fresh.stderr).to.equal(0);
    expect(podsCreated()).to.equal(2 + 6);
    expect(sessions()).to.equal(2 + 6);
    expect(harnessNamespaces()).to.deep.equal([]);
  });

  it('--keep leaves each scenario its own pods in place and ends the probe sessions, so the run exits', async () => {
    await start();
    const scenarios = join(dir, 'scenarios');
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    for (const name of ['one', 'two']) writeFileSync(join(scenarios, `${name}.yaml`), scenarioYaml(name, 'shop'));
    const kept = await runCli(['run', scenarios, ...flags(), '--parallel', '1', '--keep']);
    expect(kept.code, kept.stderr).to.equal(0);
    // Not shared: a later scenario would have reset or removed the pods of the one before.
    expect(harnessNamespaces().filter((ns) => ns.startsWith('shop-'))).to.have.length(2);
    expect(fake.sessionCalls.filter((c) => c.namespace.startsWith('shop-'))).to.have.length(4);
    // An open session (an exec waiting on stdin) would keep the process alive after the run.
    await pollUntil(async () => fake.openSessions(), (open) => open === 0, { timeoutMs: 5000, intervalMs: 20 });
    expect(fake.openSessions()).to.equal(0);
  });

  it('gives a scenario that dials Services pods of its own when the scenario of the same pods before it probed only by pod IP (it had no Services)', async () => {
    await start();
    const scenarios = join(dir, 'scenarios');
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    writeFileSync(join(scenarios, 'a.yaml'), scenarioYaml('by-ip', 'shop').replace('probe: {timeoutSeconds: 1}', 'probe: {timeoutSeconds: 1, target: pod-ip}'));
    writeFileSync(join(scenarios, 'b.yaml'), scenarioYaml('by-name', 'shop'));
    const { code, stdout, stderr } = await runCli(['run', scenarios, ...flags(), '--parallel', '1', '--output', 'json']);
    expect(resultsByName(stdout).map((r) => [r.scenario, r.pass]), stderr).to.deep.equal([
      ['by-ip', true],
      ['by-name', true],
    ]);
    expect(code, stderr).to.equal(0);
  });

  it('reports a scenario with SCTP ports as unsupported when its SCTP servers cannot listen, at once, runs the others, and creates no SCTP pods again', async () => {
    await start({ noSctp: true });
    const scenarios = join(dir, 'scenarios');
    await import('node:fs').then((fs) => fs.mkdirSync(scenarios));
    const withSctp = (name: string, ns: string): string => scenarioYaml(name, ns).replace('ports: [{port: 80, name: http}]', 'ports: [{port: 80, name: http}, {port: 9000, protocol: SCTP}]');
    writeFileSync(join(scenarios, 'a.yaml'), scenarioYaml('alpha', 'alpha'));
    writeFileSync(join(scenarios, 's.yaml'), withSctp('sctp', 'beta'));
    writeFileSync(join(scenarios, 't.yaml'), withSctp('sctp-again', 'gamma'));
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['run', scenarios, ...flags(), '--output', 'json', '--pod-ready-timeout', '60', '--parallel', '1']);
    const results = resultsByName(stdout);
    expect(results.map((r) => [r.scenario, r.pass, r.unsupported?.feature]), stderr).to.deep.equal([
      ['alpha', true, undefined],
      ['sctp', false, 'SCTP'],
      ['sctp-again', false, 'SCTP'],
    ]);
    expect(results[1].unsupported.reason).to.match(/^SCTP servers cannot listen on this cluster's nodes .*beta-[a-z0-9]+\/web container sctp-9000: CrashLoopBackOff/);
    expect(results[2].unsupported.reason).to.match(/^SCTP servers cannot listen .*\(found earlier in this run, on fake-node; no SCTP pods were created again\)$/);
    const podsCreatedIn = (ns: string): number => fake.requests.filter((r) => r.method === 'POST' && new RegExp(`^/api/v1/namespaces/${ns}-[a-z0-9]+/pods$`).test(r.path)).length;
    expect([podsCreatedIn('beta'), podsCreatedIn('gamma')]).to.deep.equal([2, 0]);
    expect(code, stderr).to.equal(3);
    expect(Date.now() - started, 'not the pod-ready timeout').to.be.below(30_000);
    expect(harnessNamespaces()).to.deep.equal([]);
  });

  it('a cleanup during a run leaves the run alone, and the run passes', async () => {
    await start({ readyAfterLists: 6 });
    const file = join(dir, 'a.yaml');
    writeFileSync(file, scenarioYaml('alpha', 'alpha'));
    const running = runCli(['run', file, ...flags()]);
    while (!harnessNamespaces().some((n) => n.startsWith('alpha-'))) await new Promise((r) => setTimeout(r, 20));
    const cleanup = await runCli(['cleanup', '--backend', 'kube', '--kubeconfig', kubeconfig]);
    expect(cleanup.code).to.equal(0);
    expect(cleanup.stdout).to.match(/left alone, their run is in progress .*\n {2}alpha-/);
    const run = await running;
    expect(run.code, run.stderr).to.equal(0);
    expect(harnessNamespaces()).to.deep.equal([]);
  });

  it('stops when one node does not enforce, naming it; runs anyway with --allow-non-enforcing', async () => {
    await start({ nodes: [{ name: 'w1' }, { name: 'w2' }], exec: denyAllEnforcer({ notOnNodes: ['w2'] }) });
    const doctor = await runCli(['doctor', ...doctorFlags()]);
    expect(doctor.code).to.equal(3);
    expect(doctor.stdout).to.match(/partially enforcing: .*ingress on node w2, egress on node w2/);
    expect(doctor.stdout).to.match(/not on node\(s\) w2/);
    const file = join(dir, 'a.yaml');
    writeFileSync(file, scenarioYaml('alpha', 'alpha'));
    expect((await runCli(['run', file, ...flags()])).code).to.equal(3);
    const anyway = await runCli(['run', file, ...flags(), '--allow-non-enforcing', '--output', 'json']);
    expect(JSON.parse(anyway.stdout).environment.enforcement).to.equal('partial');
  });

  it('quotes an admission webhook that refuses the pods, exit 3', async () => {
    await start();
    fake.addFault({ method: 'POST', path: /\/pods$/, status: 403, message: 'admission webhook "no-netpol-tests.example" denied the request: not here', count: 100 });
    const { code, stderr } = await runCli(['doctor', ...doctorFlags()]);
    expect(code).to.equal(3);
    expect(stderr).to.contain('admission webhook "no-netpol-tests.example" denied the request: not here');
    expect(harnessNamespaces()).to.deep.equal([]);
  });
});
