import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

describe('cli explain', () => {
  it('explains a denial: the closest rule quoted with file:line, the failing part, expectation beside the verdict', async () => {
    const { code, stdout } = await runCli(['explain', 'scenarios/three-tier.yaml', '--step', '5', 'test -> backend']);
    expect(code).to.equal(0);
    const lines = stdout.split('\n');
    expect(lines[0]).to.equal('three-tier [5/6] step 6: backend to database; frontend to database still blocked');
    expect(lines[2]).to.equal('netpol-demo/test -> netpol-demo/backend 80/TCP (by Service name): DENIED');
    expect(lines[3]).to.equal('  expected: deny (`deny * -> *`) · predicted: deny: as expected');
    expect(stdout).to.include('netpol-demo/allow-frontend-to-backend: closest is rule 1 (scenarios/manifests/three-tier/allow-frontend-to-backend.yaml:15), which fails on one part:');
    expect(stdout).to.include('      18 │           app: frontend');
    expect(stdout).to.include('from: its peer (podSelector {app=frontend}) does not match: pod netpol-demo/test lacks app=frontend');
    expect(stdout).to.include('DNS: netpol-demo/test reaches netpol-demo/backend by its Service name, so it must first look the name up');
    expect(stdout).to.not.include('DESIGN');
  });

  it('takes a step by its name, and by default the last one', async () => {
    const byName = await runCli(['explain', 'scenarios/rogue-pod.yaml', '--step', '2. open network: the frontend reaches backend-svc (and so would any pod)', 'rogue -> backend-svc']);
    expect(byName.code).to.equal(0);
    expect(byName.stdout.split('\n')[0]).to.equal('rogue-pod [1/2] 2. open network: the frontend reaches backend-svc (and so would any pod)');
    const last = await runCli(['explain', 'scenarios/rogue-pod.yaml', 'rogue -> backend-svc']);
    expect(last.stdout.split('\n')[0]).to.match(/^rogue-pod \[2\/2\] /);
    expect(last.stdout).to.include('pod netpol-test/rogue has app=rogue, needs app=frontend');
  });

  it('puts the expectation beside the verdict, and says when they differ', async () => {
    const { stdout } = await runCli(['explain', 'scenarios/rogue-pod.yaml', 'frontend -> backend-svc']);
    expect(stdout).to.include('expected: allow (`allow frontend -> backend-svc:80/tcp`) · predicted: allow: as expected');
    const dir = mkdtempSync(join(tmpdir(), 'nph-explain-'));
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: netpol-harness/v1alpha1',
        'kind: Scenario',
        'metadata: {name: wrong}',
        'spec:',
        '  namespaces: [{name: demo}]',
        '  workloads: [{name: a, ports: [{port: 80}]}, {name: b, labels: {app: b}, ports: [{port: 80}]}]',
        '  steps:',
        '    - name: b isolated',
        '      apply: [{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-b}, spec: {podSelector: {matchLabels: {app: b}}}}]',
        '      expect: [allow a -> b]',
        '',
      ].join('\n'),
    );
    const wrong = await runCli(['explain', file, 'a -> b']);
    expect(wrong.stdout).to.include('expected: allow (`allow a -> b`) · predicted: deny: DIFFERS from the expectation');
    expect(wrong.stdout).to.include(`demo/deny-b (${file}:9) has no ingress rules: it allows nothing`);
    const unasserted = await runCli(['explain', file, 'b -> a']);
    expect(unasserted.stdout).to.include('expected: nothing (no expectation of the step matches) · predicted: allow');
  });

  it('exits 2 on an unknown step, listing the steps as reports number them', async () => {
    const { code, stderr } = await runCli(['explain', 'scenarios/rogue-pod.yaml', '--step', '3', 'rogue -> backend-svc']);
    expect(code).to.equal(2);
    expect(stderr).to.include('steps: 1 "2. open network');
  });
});
