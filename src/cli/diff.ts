/** `netpol-harness diff BASE HEAD` / `diff --git REF PATH`: the flows a change of manifests opens or closes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { checkoutRevision } from '../manifests/git-revision.js';
import { modelScenario } from '../manifests/model-scenario.js';
import { diffSteps } from '../reachability/diff-flows.js';
import { predictStep } from '../reachability/predict-step.js';
import { DIFF_FORMATS, renderDiffJsonl, renderDiffMarkdown, renderDiffTable, type DiffFormat } from '../report/render-diff.js';
import { renderHtml } from '../report/render-html.js';
import { ExitCode } from './exit-codes.js';
import { UsageError, useColor, type CliIo } from './io.js';
import { loadManifests } from './load-manifests.js';
import { addOptions, type OptionTable } from './option-table.js';
import { NAMESPACE_OPTION } from './scan.js';

export interface DiffOptions {
  readonly namespace: string;
  readonly output: DiffFormat;
  readonly git?: string;
  readonly html?: string;
}

const DIFF_OPTIONS: OptionTable<Omit<DiffOptions, 'namespace'>> = {
  output: { flags: '-o, --output <format>', description: 'table, json (one line per changed flow) or markdown (for a pull-request comment)', choices: [...DIFF_FORMATS], default: 'table' },
  html: { flags: '--html <file>', description: 'also write an HTML page of the flows that change, with the reason of each' },
  git: { flags: '--git <ref>', description: 'compare PATH in the working tree (HEAD) with PATH at this git revision (BASE); then give one path' },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('diff')
    .description('list every flow whose verdict changes between two versions of manifests, with the policy and rule responsible on each side (exit 1 when any does)')
    .argument('<paths...>', 'BASE and HEAD (files or folders of manifests), or one PATH with --git');
  addOptions(addOptions(command, NAMESPACE_OPTION), DIFF_OPTIONS).action((paths: string[], options: DiffOptions) => done(runDiff(paths, options, io)));
}

export function runDiff(paths: readonly string[], options: DiffOptions, io: CliIo): ExitCode {
  if (options.git !== undefined && paths.length !== 1) throw new UsageError(`diff --git ${options.git} takes one path (compared with itself at ${options.git}), got ${paths.length}`);
  if (options.git === undefined && paths.length !== 2) throw new UsageError(`diff takes BASE and HEAD, got ${paths.length} path${paths.length === 1 ? '' : 's'} (or use --git REF PATH)`);
  const checkout = options.git === undefined ? undefined : checkoutRevision(options.git, paths[0]!);
  if (checkout && !checkout.ok) throw new UsageError(checkout.message);
  try {
    const load = { namespace: options.namespace, output: options.output, quiet: true };
    const base = checkout?.ok
      ? loadManifests([checkout.path], io, { ...load, displayName: (f) => f.replace(checkout.root, options.git!).replace(`${options.git!}/`, `${options.git!}:`) })
      : loadManifests([paths[0]!], io, load);
    const head = loadManifests([paths[paths.length - 1]!], io, load);
    if (!base || !head) return ExitCode.InvalidInput;
    const names = { base: checkout?.ok ? checkout.label : paths[0]!, head: paths[paths.length - 1]! };
    const diff = diffSteps(predictStep(modelScenario(base.model, 'base', names.base), 0), predictStep(modelScenario(head.model, 'head', names.head), 0), names);
    const text = options.output === 'json' ? renderDiffJsonl(diff) : options.output === 'markdown' ? renderDiffMarkdown(diff) : renderDiffTable(diff, { color: useColor(io) });
    io.stdout(text);
    if (options.html !== undefined) {
      writeReport(options.html, renderHtml({ results: [], diff: { title: `${names.base} → ${names.head}`, files: [], flows: diff.changes }, generatedAt: new Date().toISOString() }));
    }
    return diff.changes.length === 0 ? ExitCode.Pass : ExitCode.ProbeFailed;
  } finally {
    if (checkout?.ok) checkout.remove();
  }
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
