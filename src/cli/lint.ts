/** `netpol-harness lint PATHS...`: policies that are valid but almost surely not what was meant. */
import type { Command } from 'commander';
import { lintModel } from '../lint/lint-model.js';
import { LINT_SEVERITIES, type LintSeverity } from '../lint/types.js';
import { renderLint, renderLintJsonl } from '../report/render-lint.js';
import { ExitCode } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadManifests } from './load-manifests.js';
import { addOptions, type OptionTable } from './option-table.js';
import { NAMESPACE_OPTION } from './scan.js';

export interface LintOptions {
  readonly namespace: string;
  readonly severity: LintSeverity;
  readonly output: 'table' | 'json';
}

const LINT_OPTIONS: OptionTable<Omit<LintOptions, 'namespace'>> = {
  severity: { flags: '--severity <level>', description: 'report findings of this severity and above (warning: all; error: only rules that cannot do what they say)', choices: [...LINT_SEVERITIES], default: 'warning' },
  output: { flags: '-o, --output <format>', description: 'table, or json (one finding per line)', choices: ['table', 'json'], default: 'table' },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('lint')
    .description('find policy mistakes in manifests: selectors matching nothing, egress without DNS, half-open flows, undefined named ports, unknown namespaces, workloads left out of a default-deny (exit 1 on findings)')
    .argument('<paths...>', 'manifest files, folders (read recursively), or - for standard input');
  addOptions(addOptions(command, NAMESPACE_OPTION), LINT_OPTIONS).action((paths: string[], options: LintOptions) => done(runLint(paths, options, io)));
}

export function runLint(paths: readonly string[], options: LintOptions, io: CliIo): ExitCode {
  const loaded = loadManifests(paths, io, { namespace: options.namespace, output: options.output, quiet: true });
  if (!loaded) return ExitCode.InvalidInput;
  const findings = lintModel(loaded.model, options.severity);
  io.stdout(options.output === 'json' ? renderLintJsonl(findings, loaded.sources) : renderLint(findings, loaded.sources, { color: useColor(io) }));
  return findings.length === 0 ? ExitCode.Pass : ExitCode.ProbeFailed;
}
