/** Small inline scenario fixtures for the loader specs. `@@` marks where a diagnostic should start. */
import { loadScenarioSource, type LoadResult } from '../../src/scenario/load-scenario.js';
import type { ReadFailure, ReadInput } from '../../src/scenario/read-input.js';
import { toLineCol } from '../../src/scenario/line-col.js';

export const SCENARIO_FILE = 'scn/demo.yaml';

/** One namespace, two workloads, one external; `steps` is appended under `spec.steps:`. */
export function scenarioText(steps: string, head: Partial<Record<'namespaces' | 'workloads' | 'extra', string>> = {}): string {
  return [
    'apiVersion: netpol-harness/v1alpha1',
    'kind: Scenario',
    'metadata: {name: demo}',
    'spec:',
    `  namespaces: ${head.namespaces ?? '[{name: demo}]'}`,
    '  workloads:',
    head.workloads ?? ['    - {name: web, labels: {app: web}, ports: [{port: 80, name: http}]}', '    - {name: db, labels: {app: db}, ports: [{port: 5432, name: pg}, {port: 53, protocol: UDP}]}'].join('\n'),
    '  externals: [{name: partner, ip: 192.0.2.10, ports: [{port: 443, name: https}]}]',
    ...(head.extra ? [head.extra] : []),
    '  steps:',
    steps,
    '',
  ].join('\n');
}

/** A one-step scenario applying `policy` (flow-style spec and metadata lines). */
export function policyStep(spec: string, metadata = '{name: p}'): string {
  return [
    '    - name: s',
    '      apply:',
    '        - apiVersion: networking.k8s.io/v1',
    '          kind: NetworkPolicy',
    `          metadata: ${metadata}`,
    `          spec: ${spec}`,
  ].join('\n');
}

export interface Marked {
  /** Text without the marker. */
  readonly text: string;
  /** Offset of the marker, or -1. */
  readonly at: number;
}

export function unmark(text: string): Marked {
  return { text: text.replace('@@', ''), at: text.indexOf('@@') };
}

/** A manifest reader over texts by name, refusing the names in `refused`; any other name is not found. */
export function readerOf(texts: ReadonlyMap<string, string> | Readonly<Record<string, string>> = {}, refused: Readonly<Record<string, ReadFailure>> = {}): ReadInput {
  const byName = texts instanceof Map ? texts : new Map(Object.entries(texts));
  return (path) => {
    const failure = Object.prototype.hasOwnProperty.call(refused, path) ? refused[path] : undefined;
    if (failure) return { ok: false, ...failure };
    const text = byName.get(path);
    return text === undefined ? { ok: false, code: 'FILE_NOT_FOUND', reason: 'no such file' } : { ok: true, text };
  };
}

/** Loads `scenario` (with `files` as the manifests, by name, and `refused` refused) after removing markers. */
export function load(scenario: string, files: Readonly<Record<string, string>> = {}, refused: Readonly<Record<string, ReadFailure>> = {}): LoadResult {
  const texts = new Map(Object.entries(files).map(([name, text]) => [name, unmark(text).text]));
  return loadScenarioSource(unmark(scenario).text, SCENARIO_FILE, readerOf(texts, refused));
}

/** `line:col` of an offset, 1-based. */
export function lineCol(source: string, offset: number): string {
  const { line, col } = toLineCol(source, offset);
  return `${line}:${col}`;
}

/** `file:line:col code` of every diagnostic of a failed load ([] when it loaded). */
export function positions(result: LoadResult): string[] {
  if (result.ok) return [];
  return result.diagnostics.map((d) => `${d.file}:${lineCol(result.sources.get(d.file) ?? '', d.range[0])} ${d.code}`);
}
