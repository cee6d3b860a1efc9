/**
 * Workload references: `<namespace>/<name>`, or a name that only one namespace uses
 * (SCENARIO-FORMAT.md: "`<name>` (must be unique)").
 */
import type { DiagnosticCode } from './diagnostic.js';
import type { DnsProtocol, ExternalSpec, WorkloadSpec } from './types.js';
import { quote } from '../quote-value.js';

/** The names a scenario declares, for resolving references. */
export interface ScenarioNames {
  readonly namespaces: ReadonlySet<string>;
  readonly workloads: readonly WorkloadSpec[];
  readonly externals: readonly ExternalSpec[];
  /** The protocols of the `-> dns` probes (`probe.dnsProtocols`); absent: UDP only. */
  readonly dnsProtocols?: readonly DnsProtocol[];
}

export type WorkloadLookup =
  | { readonly ok: true; readonly workload: WorkloadSpec }
  | { readonly ok: false; readonly code: Extract<DiagnosticCode, 'UNKNOWN_WORKLOAD' | 'AMBIGUOUS_WORKLOAD' | 'UNKNOWN_NAMESPACE'>; readonly message: string };

/**
 * The workload `text` names. `<ns>/<name>` needs a declared namespace and a workload in it;
 * a bare name must be used by exactly one workload.
 */
export function resolveWorkload(text: string, names: ScenarioNames): WorkloadLookup {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const namespace = text.slice(0, slash);
    const name = text.slice(slash + 1);
    if (!names.namespaces.has(namespace)) return { ok: false, code: 'UNKNOWN_NAMESPACE', message: `unknown namespace ${quote(namespace)} in ${quote(text)}; declared: ${[...names.namespaces].join(', ')}` };
    const workload = names.workloads.find((w) => w.namespace === namespace && w.name === name);
    if (workload) return { ok: true, workload };
    return { ok: false, code: 'UNKNOWN_WORKLOAD', message: `unknown workload ${quote(text)}${suggest(name, names.workloads.filter((w) => w.namespace === namespace).map((w) => w.name))}` };
  }
  const matches = names.workloads.filter((w) => w.name === text);
  if (matches.length === 1) return { ok: true, workload: matches[0]! };
  if (matches.length > 1) return { ok: false, code: 'AMBIGUOUS_WORKLOAD', message: `workload name ${quote(text)} is used in several namespaces: write one of ${matches.map((w) => w.ref).join(', ')}` };
  return { ok: false, code: 'UNKNOWN_WORKLOAD', message: `unknown workload ${quote(text)}${suggest(text, names.workloads.map((w) => w.name))}` };
}

/** `; known: a, b, c` (at most 8), or '' when there is nothing to list. */
function suggest(_wanted: string, known: readonly string[]): string {
  const unique = [...new Set(known)].sort();
  if (unique.length === 0) return '';
  const shown = unique.slice(0, 8).join(', ');
  return `; known: ${shown}${unique.length > 8 ? ', ...' : ''}`;
}
