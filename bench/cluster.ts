/**
 * Benchmarks that need a dataplane (the current kube context, or the local one): how long many
 * scenarios of the upstream e2e shape take, and the whole conformance suite. Not part of
 * `npm run bench` (which runs anywhere): `npm run bench:cluster -- [options] [-- run flags]`.
 *
 *   --scenarios N     scenarios of 3 namespaces x 3 pods, 2 steps, 72 probes a step (default 45)
 *   --distinct        each scenario names its namespaces apart (s<i>x...), so no two share
 *                     pods; by default all use x, y, z as upstream e2e does, and share them
 *   --parallel N      scenarios (or sets of pods) at once (default: the command's)
 *   --conformance     run the built-in conformance suite instead
 *   --backend B       kube (default) or local
 *
 * Everything after `--` is passed to the command (e.g. the rig's image flags). Prints the
 * command's own timing line and a summary: wall time, probes/s, scenarios passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';

/**
 * An upstream-e2e-shaped scenario: namespaces x, y, z (or s<i>x... when `distinct`) with pods
 * a, b, c on 80/TCP; open, then a policy.
 */
function scenario(i: number, distinct: boolean): string {
  const ns = ['x', 'y', 'z'].map((n) => (distinct ? `s${i}${n}` : n));
  const workloads = ns.flatMap((n) => ['a', 'b', 'c'].map((p) => `    - {name: ${p}, namespace: ${n}, labels: {pod: ${p}}, ports: [{port: 80, name: serve-80-tcp}]}`));
  return [
    'apiVersion: netpol-harness/v1alpha1',
    'kind: Scenario',
    `metadata: {name: bench-${i}}`,
    'spec:',
    `  namespaces: [${ns.map((n, j) => `{name: ${n}, labels: {ns: ${'xyz'[j]}}}`).join(', ')}]`,
    '  workloads:',
    ...workloads,
    '  probe: {target: pod-ip, dns: false, timeoutSeconds: 1}',
    '  steps:',
    '    - name: open',
    '      expect: [allow * -> *]',
    '    - name: x/a admits pod b of namespace y only',
    '      apply:',
    '        - apiVersion: networking.k8s.io/v1',
    '          kind: NetworkPolicy',
    `          metadata: {name: allow-yb, namespace: ${ns[0]}}`,
    '          spec: {podSelector: {matchLabels: {pod: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]}',
    '      expect:',
    '        - allow * -> *',
    `        - deny * -> ${ns[0]}/a`,
    `        - allow ${ns[1]}/b -> ${ns[0]}/a`,
    '',
  ].join('\n');
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function run(): Promise<number> {
  const all = process.argv.slice(2);
  const split = all.indexOf('--');
  const own = split >= 0 ? all.slice(0, split) : all;
  const passThrough = split >= 0 ? all.slice(split + 1) : [];
  const backend = option(own, '--backend') ?? 'kube';
  const parallel = option(own, '--parallel');
  const conformance = own.includes('--conformance');
  const distinct = own.includes('--distinct');
  const count = Number(option(own, '--scenarios') ?? 45);
  const dir = mkdtempSync(join(tmpdir(), 'nph-bench-'));
  let stdout = '';
  let stderr = '';
  try {
    if (!conformance) for (let i = 0; i < count; i++) writeFileSync(join(dir, `bench-${i}.yaml`), scenario(i, distinct));
    const argv = [
      ...(conformance ? ['conformance', 'run'] : ['run', dir]),
      '--backend',
      backend,
      '--output',
      'json',
      ...(parallel !== undefined ? ['--parallel', parallel] : []),
      ...passThrough,
    ];
    process.stderr.write(`bench: netpol-harness ${argv.join(' ')}\n`);
    const start = performance.now();
    const code = await main(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => {
        stderr += t;
        if (/^(time:|conformance:|enforcement canary|error|warning|note)/m.test(t)) process.stderr.write(t);
      },
      env: { ...process.env, NO_COLOR: '1' },
      isTTY: false,
    });
    const wallMs = performance.now() - start;
    const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{"scenario"'));
    const results = lines.map((l) => JSON.parse(l) as { pass: boolean; steps: Array<{ probes: unknown[] }> });
    const probes = results.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.probes.length, 0), 0);
    process.stdout.write(
      `${JSON.stringify({
        bench: conformance ? 'conformance' : 'scenarios',
        backend,
        scenarios: results.length,
        passed: results.filter((r) => r.pass).length,
        probesPerRound: probes,
        wallSeconds: Math.round(wallMs / 100) / 10,
        exitCode: code,
        timing: stderr.split('\n').find((l) => l.startsWith('time:')),
      })}\n`,
    );
    if (conformance) process.stdout.write(`${stdout.trim().split('\n').at(-1)}\n`);
    return code === 0 || code === 1 || code === 3 ? 0 : code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await run();
