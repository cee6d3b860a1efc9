/** `netpol-harness scan PATHS... [--namespace NS] [--out FILE]`: the reachability of an application's own manifests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { expectationNames, matrixExpectations, type EachSource } from '../manifests/matrix-expectations.js';
import { modelScenario } from '../manifests/model-scenario.js';
import { STDIN_NAME } from '../manifests/read-inputs.js';
import { renderAppScenario } from '../manifests/render-scenario.js';
import type { AppModel } from '../manifests/types.js';
import { groupFlows } from '../reachability/group-flows.js';
import { GROUPED_VIEW_ABOVE_WORKLOADS, MAX_PROBES_PER_STEP } from '../reachability/limits.js';
import { matrixProbeResult, predictStep, type PredictedStep } from '../reachability/predict-step.js';
import { buildScenarioResult } from '../report/build-result.js';
import { renderGroups } from '../report/render-groups.js';
import type { ProbeResult, ScenarioResult } from '../report/result.js';
import { escapeTerminal } from '../report/escape.js';
import { streamStepJsonl } from '../report/stream-jsonl.js';
import { isDns1123Label } from '../policy/k8s-names.js';
import { DEFAULT_NAMESPACE } from '../manifests/build-model.js';
import { REPORT_OPTIONS, type CheckOptions } from './check.js';
import { openResultSink } from './emit-results.js';
import { ExitCode } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadManifests } from './load-manifests.js';
import { addOptions, type OptionTable } from './option-table.js';

export interface ScanOptions extends CheckOptions {
  readonly namespace: string;
  readonly out?: string;
  readonly view: 'auto' | 'cells' | 'groups';
}

/** `--namespace`, shared by `scan`, `diff` and `lint`. */
export const NAMESPACE_OPTION: OptionTable<{ namespace: string }> = {
  namespace: { flags: '-n, --namespace <namespace>', description: 'namespace of the objects that name none', default: DEFAULT_NAMESPACE },
};

const SCAN_OPTIONS: OptionTable<Omit<ScanOptions, keyof CheckOptions | 'namespace'>> = {
  out: { flags: '--out <file>', description: 'also write a scenario that runs this matrix for real: stand-in workloads with the same labels, ports and Services, the policies by file reference, the matrix as expectations' },
  view: {
    flags: '--view <view>',
    description: `table output: the truth table of every cell, or groups of workloads with identical reachability; auto: groups above ${GROUPED_VIEW_ABOVE_WORKLOADS} workloads`,
    choices: ['auto', 'cells', 'groups'],
    default: 'auto',
  },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('scan')
    .description('derive the full reachability matrix of Kubernetes manifests (workloads, Services, namespaces, NetworkPolicies), DNS included, with the reason of every flow')
    .argument('<paths...>', 'manifest files, folders (read recursively), or - for standard input');
  addOptions(addOptions(addOptions(command, NAMESPACE_OPTION), REPORT_OPTIONS), SCAN_OPTIONS).action((paths: string[], options: ScanOptions) => done(runScan(paths, options, io)));
}

/** A DNS-1123 label from the `--out` file's name (`online-boutique.yaml` -> `online-boutique`). */
export function scenarioNameOf(out: string | undefined): string {
  if (out === undefined) return 'scan';
  const name = basename(out, extname(out)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return isDns1123Label(name) ? name : 'scan';
}

export function runScan(paths: readonly string[], options: ScanOptions, io: CliIo): ExitCode {
  const loaded = loadManifests(paths, io, { namespace: options.namespace, output: options.output });
  if (!loaded) return ExitCode.InvalidInput;
  const { model } = loaded;
  const scenario = modelScenario(model, scenarioNameOf(options.out), options.out ?? paths.join(' '));
  const step = predictStep(scenario, 0);
  const cells = step.planner.count();
  const grouped = options.view === 'groups' || (options.view === 'auto' && model.workloads.length > GROUPED_VIEW_ABOVE_WORKLOADS);
  const reportFiles = options.junit !== undefined || options.markdown !== undefined || options.html !== undefined;
  if ((reportFiles || (options.output === 'table' && !grouped)) && cells > MAX_PROBES_PER_STEP) {
    io.stderr(
      `error: the matrix has ${cells.toLocaleString('en-US')} flows; reports that hold every flow (the cells view, --junit, --markdown, --html) take at most ${MAX_PROBES_PER_STEP.toLocaleString('en-US')}.\n` +
        'Use the grouped view (--view groups) or --output json (streamed).\n',
    );
    return ExitCode.InvalidInput;
  }
  if (options.out !== undefined) {
    const inlined = writeScenario(options.out, model, step, options.namespace);
    if (inlined > 0) {
      io.stderr(`note: the policies of ${inlined} file${inlined === 1 ? '' : 's'} outside ${escapeTerminal(dirname(options.out))} are written inline into the scenario: a scenario reads \`file:\` references only inside its own folder (or --root)\n`);
    }
  }
  const chunks = function* (): Generator<ProbeResult[]> {
    for (const source of step.planner.sources) yield step.predictFrom(source).map((p) => matrixProbeResult(step, p));
  };
  const groups = (): string => renderGroups(groupFlows(step), { color: useColor(io) });
  if (!reportFiles && options.output === 'json') {
    streamStepJsonl({ scenario: scenario.name, file: scenario.file, pass: true }, { index: 0, name: step.step.name, pass: true }, chunks(), (t) => io.stdout(t));
    return ExitCode.Pass;
  }
  if (!reportFiles && grouped) {
    io.stdout(groups());
    return ExitCode.Pass;
  }
  const result = buildScenarioResult(scenario, [{ index: 0, name: step.step.name, pass: true, probes: [...chunks()].flat() }]);
  if (options.output === 'table' && grouped) {
    io.stdout(groups());
    return emitResult(result, options, { ...io, stdout: () => undefined });
  }
  return emitResult(result, options, io);
}

/** The matrix as one scenario result: to stdout in the chosen format, and to the report files. */
function emitResult(result: ScenarioResult, options: ScanOptions, io: CliIo): ExitCode {
  const sink = openResultSink(options, io);
  sink.scenarioDone(result);
  return sink.finish();
}

/** The `--out` scenario: manifests referenced relative to it (posix), standard input inline. */
/** Writes the `--out` scenario; returns how many manifest files it had to inline (outside the scenario's folder). */
function writeScenario(out: string, model: AppModel, step: PredictedStep, namespace: string): number {
  const eachSource: EachSource = (visit) => {
    for (const source of step.planner.sources) visit(step.predictFrom(source).map(({ probe, prediction }) => ({ probe, verdict: prediction.allowed ? 'allow' : 'deny' })));
  };
  const inlined = new Set<string>();
  const expect = matrixExpectations(eachSource, expectationNames(model.workloads.map((w) => w.spec.ref)));
  const text = renderAppScenario(model, {
    name: step.scenario.name,
    description: `The reachability of ${model.workloads.length} workloads under ${model.policies.length} NetworkPolicies, as netpol-harness scan predicts it.`,
    defaultNamespace: namespace,
    fileRef: (file) => {
      if (file === STDIN_NAME) return undefined;
      const ref = relative(dirname(out), file);
      if (ref.startsWith('..') || isAbsolute(ref)) {
        inlined.add(file);
        return undefined;
      }
      return ref.split(sep).join('/');
    },
    expect,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return inlined.size;
}
