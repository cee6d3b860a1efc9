/**
 * End to end: every scenario of scenarios/ on a real cluster through the kube backend, one
 * test per step (its probes must pass: expected = predicted = observed). Before any scenario,
 * the enforcement canary must find a CNI that enforces (set NPH_E2E_ALLOW_NON_ENFORCING=1 to
 * run anyway on a cluster that does not, e.g. the netpol rig's bridge CNI; steps then fail
 * where policies should have blocked). Reports: `--reporter` options of mocha (CI: JUnit).
 */
import { expect } from 'chai';
import { connectKube, createKubeBackend, type KubeConnection } from '../src/backends/kube/kube-backend.js';
import type { BackendContext } from '../src/backends/backend.js';
import { runCanary } from '../src/run/canary.js';
import { runScenario } from '../src/run/run-scenario.js';
import { systemClock } from '../src/util/clock.js';
import { findScenarioFiles } from '../src/scenario/find-scenario-files.js';
import { loadScenarioFile } from '../src/scenario/load-scenario.js';
import type { Scenario } from '../src/scenario/types.js';
import type { ScenarioResult, StepResult } from '../src/report/result.js';
import { acquireCluster, type E2eCluster } from './acquire-cluster.js';

// NPH_E2E_SCENARIOS: comma-separated files or folders instead of scenarios/ (for a quick run).
const found = findScenarioFiles((process.env.NPH_E2E_SCENARIOS ?? 'scenarios').split(',').filter((p) => p !== ''));
const scenarios: Scenario[] = [];
const loadErrors: string[] = found.diagnostics.map((d) => `${d.file}: ${d.message}`);
for (const file of found.files) {
  const result = loadScenarioFile(file);
  if (result.ok) scenarios.push(result.scenario);
  else loadErrors.push(...result.diagnostics.map((d) => `${d.file}: ${d.message}`));
}

function describeFailures(step: StepResult): string {
  return step.probes
    .filter((p) => !p.pass)
    .map((p) => `  ${p.from} -> ${p.to}:${p.port}/${p.protocol}: expected ${p.expected} predicted ${p.predicted} observed ${p.observed} (${p.outcome ?? '?'}) ${p.reason}`)
    .join('\n');
}

describe('e2e: scenarios on a real cluster (kube backend)', function () {
  let cluster: E2eCluster | undefined;
  let conn: KubeConnection | undefined;
  const controller = new AbortController();
  let enforceDelayMs = 0;
  const ctx: BackendContext = { signal: controller.signal, progress: (m) => process.stderr.write(`    ${m}\n`) };

  before(async function () {
    expect(loadErrors, 'every scenario loads').to.deep.equal([]);
    cluster = await acquireCluster();
    process.stderr.write(`    cluster: ${cluster.description}\n`);
    const result = await connectKube(cluster.kubeconfig !== undefined ? { kubeconfig: cluster.kubeconfig } : {});
    if (!result.ok) throw new Error(result.message);
    conn = result;
    process.stderr.write(`    Kubernetes ${conn.preflight.serverVersion?.gitVersion}, CNI hint ${conn.preflight.cniHint ?? 'unknown'}\n`);
    const verdict = await runCanary(createKubeBackend(conn), { deadlineMs: 30_000, clock: systemClock, ctx });
    enforceDelayMs = 'timeToEnforceMs' in verdict ? verdict.timeToEnforceMs : 0;
    process.stderr.write(`    canary: ${JSON.stringify(verdict)}\n`);
    if (verdict.kind !== 'enforcing' && process.env.NPH_E2E_ALLOW_NON_ENFORCING !== '1') {
      throw new Error(`the cluster does not enforce NetworkPolicies (${verdict.kind}); use an enforcing CNI (docs/kube.md) or set NPH_E2E_ALLOW_NON_ENFORCING=1`);
    }
  });

  // Each runScenario tears its own run down (also on failure); nothing global is deleted here,
  // so a developer's kept runs on the same cluster survive.
  after(async function () {
    controller.abort();
    await cluster?.stop();
  });

  for (const scenario of scenarios) {
    describe(`${scenario.name} (${scenario.file})`, function () {
      let result: ScenarioResult | undefined;
      before(async function () {
        if (conn === undefined) throw new Error('no cluster connection');
        result = await runScenario(scenario, createKubeBackend(conn), {
          observe: true,
          settleTimeoutMs: 20_000,
          inconclusiveRetries: 2,
          enforceDelayMs: enforceDelayMs,
          keep: false,
          clock: systemClock,
          ctx,
          environment: { backend: 'kube', ...(conn.preflight.cniHint !== undefined && { cni: conn.preflight.cniHint }) },
        });
      });
      for (const step of scenario.steps) {
        it(`step ${step.index + 1}: ${step.name}`, function () {
          const observed = result?.steps[step.index];
          expect(observed, 'the step ran').to.not.equal(undefined);
          if (observed !== undefined && !observed.pass) expect.fail(`probes failed:\n${describeFailures(observed)}`);
        });
      }
    });
  }
});
