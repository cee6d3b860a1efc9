/**
 * `netpol-harness conformance generate --out DIR` writes the built-in suite as scenario files;
 * `netpol-harness conformance run [DIR]` runs it (or DIR) on a dataplane and prints a verdict
 * per feature: pass, deviates (with the cells), a known deviation of a CNI profile,
 * unsupported, inconclusive.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { judgeCase, matchProfiles } from '../conformance/feature-verdicts.js';
import { compileOptionsOf, loadProfiles, type Profile } from '../conformance/profiles.js';
import { loadSuite, suiteFiles, SUITE_CASES } from '../conformance/suite.js';
import { overallVerdict } from '../report/render-conformance.js';
import type { ProbeResult, ScenarioResult } from '../report/result.js';
import { checkScenario } from '../run/check-scenario.js';
import { describeTimings } from '../run/phase-timings.js';
import { runScenarios } from '../run/run-scenarios.js';
import type { Scenario, Verdict } from '../scenario/types.js';
import { systemClock } from '../util/clock.js';
import { BACKEND_OPTIONS, type BackendOptions, type BackendProvider } from './backend-provider.js';
import { conformanceReports, summarizeConformance, type ConformanceRun } from './conformance-reports.js';
import { openResultSink } from './emit-results.js';
import { timeToEnforce, withCheckedDataplane } from './checked-dataplane.js';
import { renderDiagnostics } from '../report/render-diagnostic.js';
import { ExitCode } from './exit-codes.js';
import { useColor, UsageError, type CliIo } from './io.js';
import { runInterruptible } from './interruptible.js';
import { loadScenarios } from './load-scenarios.js';
import { addOptions, parseCount, secondsOption, type OptionTable } from './option-table.js';
import { DEFAULT_PARALLEL } from './run.js';

interface GenerateOptions {
  readonly out: string;
  readonly tags?: string;
}

export interface ConformanceRunOptions extends BackendOptions {
  readonly output: 'table' | 'json';
  readonly junit?: string;
  readonly markdown?: string;
  readonly html?: string;
  readonly tags?: string;
  readonly profile?: string;
  readonly emulate?: string;
  readonly settleTimeout: number;
  readonly canaryTimeout: number;
  readonly allowNonEnforcing: boolean;
  readonly parallel?: number;
}

/**
 * Sets of pods at once when `--parallel` is not given. Locally a case costs ~1 s of waiting
 * (the probe timeout of its denied cells) and little CPU: on 2 cores the suite took ~2 min 40 s
 * with 2 sets, ~1 min with 4 or 6.
 */
export const CONFORMANCE_PARALLEL = { ...DEFAULT_PARALLEL, local: 4 } as const;

const TAGS = { flags: '--tags <tags>', description: 'only the cases carrying any of these tags (comma-separated)' };

const GENERATE_OPTIONS: OptionTable<GenerateOptions> = {
  out: { flags: '-o, --out <dir>', description: 'folder to write the cases to (created; files of the same name are replaced)' },
  tags: TAGS,
};

const RUN_OPTIONS: OptionTable<Omit<ConformanceRunOptions, keyof BackendOptions>> = {
  output: { flags: '--output <format>', description: 'what goes to stdout: table (each case as it finishes, then the verdict per feature), or json (JSON Lines: one line per case as it finishes, then one line {"conformance": ...})', choices: ['table', 'json'], default: 'table' },
  junit: { flags: '--junit <file>', description: 'also write a JUnit XML report (one testcase per probe)' },
  markdown: { flags: '--markdown <file>', description: 'also write a Markdown report: the verdict per feature, then the failing cases (under GitHub Actions also appended to $GITHUB_STEP_SUMMARY)' },
  html: { flags: '--html <file>', description: 'also write an HTML report: the verdict per feature, then every case as a grid (the explanation of any cell on click)' },
  tags: TAGS,
  profile: { flags: '--profile <name>', description: 'predict with the known deviations of a CNI profile (profiles/*.yaml); deviations it documents are reported as known, not as failures' },
  emulate: { flags: '--emulate <profile>', description: 'simulated backend: the dataplane behaves like this CNI profile (a dry run of what that CNI would show)' },
  settleTimeout: secondsOption('--settle-timeout <seconds>', 'after the first round of a step, repeat rounds of all its probes for up to this long until one agrees', 10),
  canaryTimeout: secondsOption('--canary-timeout <seconds>', 'how long the enforcement canary waits for a deny-all to take effect', 15),
  allowNonEnforcing: { flags: '--allow-non-enforcing', description: 'run even when the canary finds that policies are not enforced', default: false },
  parallel: { flags: '-j, --parallel <n>', description: `sets of shared pods at once (default: ${CONFORMANCE_PARALLEL.kube} on a cluster, ${CONFORMANCE_PARALLEL.local} on the local dataplane)`, parse: (v) => parseCount(v) },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const conformance = program
    .command('conformance')
    .description('a generated NetworkPolicy conformance suite: write it out, or run it and get a verdict per feature');
  const generate = conformance.command('generate').description('write the built-in suite as scenario files (readable, editable; `check` and `run` take them like any other)');
  addOptions(generate, GENERATE_OPTIONS).action((options: GenerateOptions) => done(runGenerate(options, io)));
  const run = conformance
    .command('run')
    .description('run the suite (the built-in one, or the scenario files under DIR) and print a verdict per feature')
    .argument('[dir]', 'a folder of cases (default: the built-in suite)');
  addOptions(addOptions(run, BACKEND_OPTIONS), RUN_OPTIONS).action(async (dir: string | undefined, options: ConformanceRunOptions) => done(await runConformanceCommand(dir, options, io)));
  conformance.exitOverride();
  generate.exitOverride();
  run.exitOverride();
}

function parseTags(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * The items carrying any of `--tags`; a usage error when a tag is carried by none (a typo in one
 * of several tags would otherwise leave that feature silently untested), naming the tags there are.
 */
function selectByTags<T>(items: readonly T[], tagsOf: (item: T) => readonly string[], text: string | undefined): readonly T[] {
  const tags = parseTags(text);
  if (tags === undefined) return items;
  const known = [...new Set(items.flatMap(tagsOf))].sort();
  const there = known.length > 0 ? `the tags of these cases: ${known.join(', ')}` : 'these cases carry no tags (metadata.tags)';
  if (tags.length === 0) throw new UsageError(`--tags names no tag; ${there}`);
  const unknown = tags.filter((t) => !known.includes(t));
  if (unknown.length > 0) throw new UsageError(`no case carries the tag${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; ${there}`);
  return items.filter((item) => tagsOf(item).some((t) => tags.includes(t)));
}

/** `conformance generate`. */
export function runGenerate(options: GenerateOptions, io: CliIo): ExitCode {
  const cases = selectByTags(SUITE_CASES, (c) => c.tags, options.tags);
  mkdirSync(options.out, { recursive: true });
  for (const file of suiteFiles(cases)) writeFileSync(join(options.out, file.name), file.text);
  const distinct = new Set(cases.flatMap((c) => c.tags)).size;
  io.stdout(`wrote ${cases.length} cases (${distinct} feature tags) to ${options.out}\n`);
  return ExitCode.Pass;
}

function pickProfile(name: string | undefined): { profile?: Profile; all: Profile[] } {
  const profiles = loadProfiles();
  if (name === undefined) return { all: [...profiles.values()] };
  const profile = profiles.get(name);
  if (profile === undefined) throw new UsageError(`unknown profile "${name}"; known: ${[...profiles.keys()].join(', ')}`);
  return { profile, all: [...profiles.values()] };
}

function loadCases(dir: string | undefined, io: CliIo, output: 'table' | 'json'): Scenario[] | undefined {
  if (dir !== undefined) return loadScenarios([dir], io, { output });
  const { scenarios, diagnostics } = loadSuite();
  if (diagnostics.length > 0) {
    // A case of the built-in suite that does not load is a bug of the harness, not of the user.
    io.stderr(renderDiagnostics(diagnostics, new Map(), { color: false }));
    throw new Error('the built-in conformance suite does not load');
  }
  return scenarios;
}

/**
 * Each profile's verdict of every probe of `cases`, by case name and probe identity: the
 * `predictedBy` of `matchProfiles` ("behaves like"). A probe the table lacks gets its
 * expectation (the standard verdict).
 */
export async function profilePredictor(cases: readonly Scenario[], profiles: readonly Profile[]): Promise<(profile: Profile, result: ScenarioResult, step: number, probe: ProbeResult) => Verdict> {
  const table = new Map<string, Verdict>();
  for (const profile of profiles) {
    for (const scenario of cases) {
      const predicted = await checkScenario(scenario, compileOptionsOf(profile));
      for (const step of predicted.steps) for (const p of step.probes) table.set(`${profile.name}|${scenario.name}|${step.index}|${p.from}|${p.to}|${p.port}|${p.protocol}`, p.predicted);
    }
  }
  return (profile, result, step, p) => table.get(`${profile.name}|${result.scenario}|${step}|${p.from}|${p.to}|${p.port}|${p.protocol}`) ?? (p.expected ?? p.predicted);
}

/** `conformance run`. Exit 0: every feature passes (known deviations of the profile included); 1: a deviation, an inconclusive cell; 3: environment, or only unsupported. */
export async function runConformanceCommand(dir: string | undefined, options: ConformanceRunOptions, io: CliIo): Promise<ExitCode> {
  const { profile, all } = pickProfile(options.profile);
  const loaded = loadCases(dir, io, options.output);
  if (loaded === undefined) return ExitCode.InvalidInput;
  const cases = selectByTags(loaded, (s) => s.tags ?? [], options.tags);
  const compile = compileOptionsOf(profile);
  const emulated = options.emulate === undefined ? undefined : pickProfile(options.emulate).profile;
  if (emulated !== undefined && options.backend !== 'simulated') throw new UsageError('--emulate needs --backend simulated');
  // Read by the reports whenever they are written: as each case finishes, at the end, or when the run stops early.
  let run: ConformanceRun = { ...(profile ? { profile } : {}), backend: '', wallMs: 0, behavesLike: [] };
  const startedAt = systemClock.now();
  const sink = openResultSink(options, io, io.env.GITHUB_STEP_SUMMARY, conformanceReports(options.output, useColor(io), () => ({ ...run, wallMs: systemClock.now() - startedAt })));
  return sink.guard(() =>
    runInterruptible(io, async (outer) => {
      // One line per finished case instead of every step of 150 cases.
      const ctx = { ...outer, progress: (m: string) => (/^(canary|kube|warning|note)/.test(m) ? outer.progress(m) : undefined) };
      const stopped = (provider: BackendProvider, why: string): void => {
        run = { ...run, backend: provider.describe() };
        sink.stopping(why);
      };
      return withCheckedDataplane(options, io, ctx, compileOptionsOf(emulated ?? profile), async (provider, verdict) => {
        run = { ...run, backend: provider.describe() };
        const parallel = options.parallel ?? CONFORMANCE_PARALLEL[provider.kind];
        let finished = 0;
        const tally = { deviating: 0, known: 0, unsupported: 0 };
        io.stderr(`conformance: ${cases.length} cases${profile ? `, profile ${profile.name}` : ''}, ${parallel} sets of pods at once\n`);
        const outcome = await runScenarios(cases, {
          parallel,
          shareTopologies: true,
          createBackend: () => provider.create(),
          observe: true,
          // A dataplane that enforces nothing never converges: one round per step.
          settleTimeoutMs: verdict.kind === 'not-enforcing' ? 0 : options.settleTimeout,
          inconclusiveRetries: 2,
          enforceDelayMs: timeToEnforce(verdict),
          keep: false,
          clock: systemClock,
          ctx,
          environment: { backend: provider.kind, ...(provider.cni ? { cni: provider.cni } : {}), ...(provider.serverVersion ? { serverVersion: provider.serverVersion } : {}) },
          compile,
          onResult: (r) => {
            sink.scenarioDone(r);
            finished += 1;
            const verdict = judgeCase(r, profile).verdict;
            if (verdict === 'unsupported') tally.unsupported += 1;
            else if (verdict === 'known-deviation') tally.known += 1;
            else if (verdict !== 'pass') tally.deviating += 1;
            const words = [`${tally.deviating} not passing`, `${tally.known} known deviation(s)`, `${tally.unsupported} unsupported here`].filter((w) => !w.startsWith('0 '));
            if (finished % 10 === 0 || finished === cases.length) outer.progress(`conformance: ${finished}/${cases.length} cases done${words.map((w) => `, ${w}`).join('')}`);
          },
        });
        io.stderr(`${describeTimings(outcome.timings, outcome.wallMs, cases.length, parallel)}\n`);
        const deviating = outcome.results.some((r) => judgeCase(r, profile).verdict === 'deviates');
        if (profile === undefined && deviating) run = { ...run, behavesLike: matchProfiles(outcome.results, all, await profilePredictor(cases, all)) };
        sink.finish();
        switch (overallVerdict(summarizeConformance(outcome.results, run))) {
          case 'pass':
          case 'known-deviation':
            return ExitCode.Pass;
          case 'unsupported':
            return ExitCode.Environment;
          default:
            return ExitCode.ProbeFailed;
        }
      }, stopped);
    }),
  );
}

