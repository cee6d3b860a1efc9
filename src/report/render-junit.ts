/**
 * `--junit FILE`: JUnit XML for CI test views. One `<testsuite>` per scenario step, one
 * `<testcase>` per asserted probe, plus one per unasserted probe that failed under `run` (the
 * dataplane deviated from the prediction: CI must see it). A mismatch with the expectation or
 * with the observation is a `<failure>`; an inconclusive observation is an `<error>` (the probe
 * itself failed, not the assertion). Each suite's properties count its probes per status.
 * Pure and deterministic: no clock, no host name unless passed in.
 */
import { formatObserved, PROBE_STATUSES, tallyProbes } from './count-results.js';
import { escapeXml, escapeXmlText as escapeText } from './escape.js';
import { scenarioNames, serviceSuffix, stepTitle } from './display-names.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

export interface JunitOptions {
  /** Set when the run stopped early: why (a `<testsuites>` property and a suite with one error). */
  readonly incomplete?: string;
  /** ISO 8601 time written on every `<testsuite>`; omitted when absent (deterministic output). */
  readonly timestamp?: string;
  /** Host name written on every `<testsuite>`; omitted when absent. */
  readonly hostname?: string;
  /**
   * Why a failing probe is a known deviation (e.g. of the CNI profile the run predicted with),
   * or undefined: a known one is a `<skipped>` testcase with that message, not a failure.
   */
  readonly known?: (result: ScenarioResult, step: StepResult, probe: ProbeResult) => string | undefined;
}

type Known = (probe: ProbeResult) => string | undefined;

function attributes(attrs: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return attrs
    .filter((a): a is readonly [string, string | number] => a[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** `frontend -> backend:80/TCP expect deny`: stable across runs, so CI can track its history. */
export function testcaseName(probe: ProbeResult, names: ReadonlyMap<string, string>): string {
  return `${names.get(probe.from) ?? probe.from} -> ${names.get(probe.to) ?? probe.to}:${probe.port}/${probe.protocol}${serviceSuffix(probe)} expect ${probe.expected ?? 'nothing'}`;
}

type Verdict = 'pass' | 'failure' | 'error';

function verdictOf(probe: ProbeResult): Verdict {
  if (probe.pass) return 'pass';
  // Inconclusive under run, while the expectation itself holds: the probe broke, not the policy.
  const expectationHolds = probe.expected === null || probe.expected === probe.predicted;
  return probe.outcome !== undefined && probe.observed === null && expectationHolds ? 'error' : 'failure';
}

function details(probe: ProbeResult): string {
  const lines = [`expected: ${probe.expected ?? '(not asserted)'}`, `predicted: ${probe.predicted}`];
  const observed = formatObserved(probe);
  if (observed) lines.push(`observed: ${observed}`);
  if (probe.inconclusive !== undefined) lines.push(`inconclusive: ${probe.inconclusive}`);
  if (probe.flapped === true) lines.push('flapped: the observed verdict left the predicted one while the step settled');
  if (probe.expectation !== undefined) lines.push(`expectation: ${probe.expectation}`);
  lines.push(`reason: ${probe.reason}`);
  return lines.join('\n');
}

/** Every way the probe failed, e.g. `expected allow, but the policies deny it; observed allow (ok)`. */
function failureMessage(probe: ProbeResult): string {
  const problems: string[] = [];
  if (probe.expected !== null && probe.expected !== probe.predicted) {
    problems.push(`expected ${probe.expected}, but the policies ${probe.predicted} it`);
  }
  if (probe.outcome !== undefined) {
    if (probe.observed === null) problems.push(`inconclusive observation (${probe.outcome})`);
    else if (probe.observed !== probe.predicted) problems.push(`predicted ${probe.predicted}, observed ${formatObserved(probe)}`);
  }
  return problems.join('; ');
}

function renderTestcase(probe: ProbeResult, classname: string, file: string, names: ReadonlyMap<string, string>, known: Known): string[] {
  const open = `    <testcase${attributes([
    ['classname', classname],
    ['name', testcaseName(probe, names)],
    ['file', file],
  ])}>`;
  const verdict = verdictOf(probe);
  const lines = [open];
  const knownAs = verdict === 'pass' ? undefined : known(probe);
  // A failure carries the three columns and the reason; a pass keeps them as its output.
  if (verdict === 'pass') lines.push(`      <system-out>${escapeText(details(probe))}</system-out>`);
  else if (knownAs !== undefined) lines.push(`      <skipped${attributes([['message', knownAs]])}/>`, `      <system-out>${escapeText(details(probe))}</system-out>`);
  else {
    lines.push(`      <${verdict}${attributes([['message', failureMessage(probe)], ['type', verdict === 'error' ? 'inconclusive' : 'mismatch']])}>${escapeText(details(probe))}</${verdict}>`);
  }
  lines.push('    </testcase>');
  return lines;
}

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

/** The probes that are test cases: asserted ones, and unasserted ones that failed. */
function testedProbes(step: StepResult): ProbeResult[] {
  return step.probes.filter((p) => p.expected !== null || !p.pass);
}

function countStep(step: StepResult, known: Known): Counts {
  const tested = testedProbes(step);
  const verdicts = tested.map((p) => {
    const verdict = verdictOf(p);
    return verdict !== 'pass' && known(p) !== undefined ? 'skipped' : verdict;
  });
  return {
    tests: tested.length,
    failures: verdicts.filter((v) => v === 'failure').length,
    errors: verdicts.filter((v) => v === 'error').length,
    skipped: verdicts.filter((v) => v === 'skipped').length,
  };
}

/** Class name of a step's test cases: `<scenario>.step<index>`. */
export function stepClassname(result: ScenarioResult, step: StepResult): string {
  return `${result.scenario}.step${step.index}`;
}

/** `<properties>` with the step's probes per status, so CI can show the unasserted ones too. */
function statusProperties(step: StepResult): string[] {
  const t = tallyProbes(step.probes);
  return ['    <properties>', ...PROBE_STATUSES.map((s) => `      <property${attributes([['name', `probes.${s}`], ['value', t[s]]])}/>`), '    </properties>'];
}

/**
 * The JUnit XML document. Totals on `<testsuites>` and every `<testsuite>`; a step's `time`
 * is its settle time under `run` (seconds), omitted under `check`. With `incomplete`, a last
 * suite `incomplete` holds one `<error>` saying why the run stopped, so CI does not show a
 * partial run as green.
 */
export function renderJunit(results: readonly ScenarioResult[], options: JunitOptions = {}): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const result of results) {
    if (result.unsupported !== undefined) {
      // One skipped testcase says it where CI lists tests; the exit status says it too (3).
      suites.push(
        `  <testsuite${attributes([['name', `${result.scenario} (unsupported)`], ['tests', 1], ['failures', 0], ['errors', 0], ['skipped', 1], ['file', result.file]])}>`,
        `    <testcase${attributes([['classname', result.scenario], ['name', `unsupported on this dataplane: ${result.unsupported.feature}`], ['file', result.file]])}>`,
        `      <skipped${attributes([['message', result.unsupported.reason]])}/>`,
        '    </testcase>',
        '  </testsuite>',
      );
      tests += 1;
    }
    const names = scenarioNames(result);
    for (const step of result.steps) {
      const known: Known = (probe) => options.known?.(result, step, probe);
      const counts = countStep(step, known);
      tests += counts.tests;
      failures += counts.failures;
      errors += counts.errors;
      const classname = stepClassname(result, step);
      suites.push(
        `  <testsuite${attributes([
          ['name', `${result.scenario} / ${stepTitle(step, result.steps.length)}`],
          ['tests', counts.tests],
          ['failures', counts.failures],
          ['errors', counts.errors],
          ['skipped', counts.skipped],
          ['time', step.convergedMs !== undefined ? (step.convergedMs / 1000).toFixed(3) : undefined],
          ['timestamp', options.timestamp],
          ['hostname', options.hostname],
          ['file', result.file],
        ])}>`,
        ...statusProperties(step),
      );
      for (const probe of testedProbes(step)) suites.push(...renderTestcase(probe, classname, result.file, names, known));
      suites.push('  </testsuite>');
    }
  }
  if (options.incomplete !== undefined) {
    tests += 1;
    errors += 1;
    suites.push(
      `  <testsuite${attributes([['name', 'incomplete'], ['tests', 1], ['failures', 0], ['errors', 1], ['skipped', 0]])}>`,
      `    <testcase${attributes([['classname', 'netpol-harness'], ['name', 'the run finished']])}>`,
      `      <error${attributes([['message', options.incomplete], ['type', 'incomplete']])}>${escapeText(`The run stopped early: ${options.incomplete}. The suites above cover the ${results.length} scenario(s) that finished.`)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes([['name', 'netpol-harness'], ['tests', tests], ['failures', failures], ['errors', errors]])}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
