/**
 * `run`, `doctor` and `cleanup` with `--backend kube` against the in-process fake API server:
 * the command wiring the local-dataplane specs cannot reach (a cluster that accepts policies
 * without enforcing them, one that enforces ingress only, a cluster that cannot be reached),
 * with real kubeconfig files and the real kube backend.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerProbeScript, startFakeApiServer, type ExecCall, type FakeApiServer, type FakeOptions } from '../backends/kube/fake-api-server.js';
import { runCli } from './run-cli.js';

const SCENARIO = 'scenarios/rogue-pod.yaml';

describe('cli run, doctor, cleanup --backend kube (fake API server)', function () {
  this.timeout(120_000);
  let fake: FakeApiServer | undefined;
  let kubeconfig: string;

  async function start(options: FakeOptions = {}): Promise<void> {
    fake = await startFakeApiServer(options);
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'nph-kube-cli-')), 'kubeconfig');
    writeFileSync(kubeconfig, fake.kubeConfigYaml());
  }
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const kube = (): string[] => ['--backend', 'kube', '--kubeconfig', kubeconfig];

  it('run: a cluster that accepts policies but never enforces them exits 3, says so and what to do', async () => {
    await start({ daemonSets: ['kube-flannel-ds'] });
    const run = await runCli(['run', SCENARIO, ...kube(), '--canary-timeout', '1']);
    expect(run.code).to.equal(3);
    expect(run.stderr).to.match(/enforcement canary on cluster .*CNI kube-flannel-ds\): NOT enforcing/);
    expect(run.stderr).to.contain('does not enforce them (CNI found: kube-flannel-ds)').and.contain('--allow-non-enforcing');
    expect(run.stdout).to.equal('');
  });

  it('run --allow-non-enforcing: the scenario runs anyway, the rogue gets through, exit 1', async () => {
    await start();
    const run = await runCli(['run', SCENARIO, ...kube(), '--canary-timeout', '1', '--settle-timeout', '1', '--allow-non-enforcing', '--output', 'json']);
    expect(run.code).to.equal(1);
    const result = JSON.parse(run.stdout);
    expect(result.environment).to.include({ backend: 'kube', enforcement: 'not-enforcing' });
    expect(result.pass).to.equal(false);
  });

  it('run: a cluster enforcing ingress only is partial: exit 3, or with --allow-non-enforcing a result that says so', async () => {
    // Probes from the canary's pods are blocked once an Ingress policy exists in its namespace.
    const ingressOnly = (call: ExecCall) => {
      const policies = [...(fake?.store.get('networkpolicies')?.values() ?? [])];
      const blocked = call.namespace.startsWith('nph-canary') && policies.some((p) => p.metadata.namespace === call.namespace && (p.spec.policyTypes ?? []).includes('Ingress'));
      return { exitCode: 0, stdout: answerProbeScript(call.command[2]!, () => (blocked ? { code: 1, text: 'TIMEOUT' } : { code: 0, text: '' })) };
    };
    await start({ exec: ingressOnly });
    const stopped = await runCli(['run', SCENARIO, ...kube(), '--canary-timeout', '2']);
    expect(stopped.code).to.equal(3);
    expect(stopped.stderr).to.match(/enforcement canary on cluster .*: partially enforcing: .*egress/);
    const run = await runCli(['run', SCENARIO, ...kube(), '--canary-timeout', '2', '--settle-timeout', '1', '--allow-non-enforcing', '--output', 'json']);
    expect(JSON.parse(run.stdout).environment).to.include({ backend: 'kube', enforcement: 'partial' });
  });

  it('doctor: exit 3 and the diagnosis when policies are not enforced', async () => {
    await start();
    const run = await runCli(['doctor', ...kube(), '--canary-timeout', '1']);
    expect(run.code).to.equal(3);
    expect(run.stdout).to.match(/^cluster .* \(context fake, Kubernetes v1\.20\.\d+.*\): .*NOT enforcing/);
    expect(run.stdout).to.contain('no known CNI DaemonSet found in kube-system');
  });

  it('cleanup: nothing to clean up on a cluster without runs, exit 0', async () => {
    await start();
    const run = await runCli(['cleanup', ...kube()]);
    expect(run).to.include({ code: 0, stdout: 'nothing to clean up (kube)\n' });
  });

  it('a cluster that cannot be reached: run, doctor and cleanup exit 3 with the reason, no stack trace', async () => {
    await start();
    await fake!.close();
    fake = undefined;
    for (const argv of [['run', SCENARIO, ...kube()], ['doctor', ...kube()], ['cleanup', ...kube()]]) {
      const run = await runCli(argv);
      expect(run.code, argv[0]).to.equal(3);
      expect(run.stderr, argv[0]).to.match(/\S/);
      expect(run.stderr, argv[0]).to.not.match(/\n\s+at /);
    }
  });

  it('timeoutSeconds 0.0001 runs as 1 s (as check reads it); 3000000 and 1e300 are refused by run as by check', async () => {
    await start();
    const dir = mkdtempSync(join(tmpdir(), 'nph-timeouts-'));
    const scenario = (timeout: string): string => {
      const file = join(dir, `t${timeout}.yaml`);
      writeFileSync(file, ['apiVersion: netpol-harness/v1alpha1', 'kind: Scenario', 'metadata: {name: t}', 'spec:', '  namespaces: [{name: demo}]', '  workloads: [{name: a, ports: [{port: 80}]}, {name: b, ports: [{port: 80}]}]', `  probe: {target: pod-ip, dns: false, timeoutSeconds: ${timeout}}`, '  steps: [{name: open, expect: ["allow * -> *"]}]', ''].join('\n'));
      return file;
    };
    const tiny = await runCli(['run', scenario('0.0001'), ...kube(), '--canary-timeout', '1', '--settle-timeout', '1', '--allow-non-enforcing', '--output', 'json']);
    expect(tiny.code, tiny.stderr).to.equal(0);
    const scripts = fake!.execCalls.map((c) => c.command[2] ?? '').filter((s) => s.includes('NPH'));
    expect(scripts.length).to.be.greaterThan(0);
    for (const value of ['3000000', '1e300']) {
      for (const command of ['check', 'run']) {
        const run = await runCli(command === 'run' ? ['run', scenario(value), ...kube()] : ['check', scenario(value)]);
        expect(run.code, `${command} ${value}`).to.equal(2);
        expect(run.stderr, `${command} ${value}`).to.contain('expected a number <= 60');
      }
    }
  });

  it('--settle-timeout and --canary-timeout outside (0, 86400] are usage errors (exit 2)', async () => {
    for (const value of ['0', '-1', '86401', '3000000', 'abc', '']) {
      const run = await runCli(['run', SCENARIO, '--backend', 'kube', '--settle-timeout', value]);
      expect(run.code, value).to.equal(2);
    }
    const doctor = await runCli(['doctor', '--backend', 'kube', '--canary-timeout', '1e300']);
    expect(doctor.code).to.equal(2);
  });
});
