/**
 * One measured run of the scale bench, in a process of its own so that its peak memory
 * (maxRSS) is its own: `tsx bench/scale-child.ts <mode> <manifests dir> [scenario file]`.
 * Prints one JSON line: { ms, cpuMs, maxRssMb, code, bytes, probes? } (ms: wall time from the
 * start of the run, after module loading; cpuMs: user + system CPU time of the same span;
 * bytes written to stdout by the command, counted, not kept).
 *
 * Modes: `scan` (the default grouped view), `scan-json` (every flow, streamed), `check` (a
 * scenario of the same workloads), `per-pair` (the baseline: every probe of the step planned,
 * predicted and reported at once, as `check` did before the limit).
 */
import { main } from '../src/cli/main.js';
import { buildModel } from '../src/manifests/build-model.js';
import { modelScenario } from '../src/manifests/model-scenario.js';
import { readInputs } from '../src/manifests/read-inputs.js';
import { planProbes } from '../src/probe/plan-probes.js';
import { buildStepResult } from '../src/report/build-result.js';
import { predictStep } from '../src/reachability/predict-step.js';
import { predict } from '../src/simulator/simulate.js';

async function run(mode: string, dir: string, scenarioFile: string | undefined): Promise<{ code: number; bytes: number; probes?: number }> {
  let bytes = 0;
  const io = { stdout: (t: string) => void (bytes += Buffer.byteLength(t)), stderr: () => undefined, env: { NO_COLOR: '1' }, isTTY: false };
  switch (mode) {
    case 'scan':
      return { code: await main(['scan', dir], io), bytes };
    case 'scan-json':
      return { code: await main(['scan', dir, '--output', 'json'], io), bytes };
    case 'check':
      return { code: await main(['check', scenarioFile!], io), bytes };
    case 'per-pair': {
      const read = readInputs([dir], () => undefined);
      const built = buildModel(read.files, { defaultNamespace: 'default' });
      if (!built.ok) throw new Error('the synthetic manifests do not load');
      const scenario = modelScenario(built.model, 'per-pair', dir);
      const step = predictStep(scenario, 0);
      const topology = { podIps: new Map(), serviceIps: new Map(), dnsPods: [], dnsServiceIp: '', clusterDomain: '' };
      const probes = planProbes(scenario, step.state, step.step.probe, topology);
      const predictions = new Map(probes.map((p) => [p.key, predict(step.compiled, p)]));
      const result = buildStepResult({ scenario, step: step.step, probes, predictions, describe: step.describe });
      return { code: 0, bytes: 0, probes: result.probes.length };
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

const [mode = '', dir = '', scenarioFile] = process.argv.slice(2);
const start = performance.now();
const cpu = process.cpuUsage();
const { code, bytes, probes } = await run(mode, dir, scenarioFile);
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
const cpuMs = Math.round((used.user + used.system) / 1000);
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), cpuMs, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), code, bytes, ...(probes === undefined ? {} : { probes }) })}\n`);
