/**
 * One `expect` entry: `<allow|deny> <from> -> <to>[:<port>][/<tcp|udp|sctp>]`
 * (SCENARIO-FORMAT.md, "Expectations"). Problems are located by offsets into the entry, so
 * the loader can point at the offending part.
 */
import { ianaSvcNameProblems, isValidPortNumber } from '../policy/k8s-names.js';
import type { Protocol } from '../policy/types.js';
import type { DiagnosticCode } from './diagnostic.js';
import { resolveWorkload, type ScenarioNames } from './resolve-workload.js';
import { workloadServices } from './services.js';
import type { ServedPort, SourcePattern, TargetPattern, Verdict, WorkloadSpec } from './types.js';
import { quote } from '../quote-value.js';

/** A problem in a string, at offsets [start, end) of that string. */
export interface TextIssue {
  readonly code: DiagnosticCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export type ParsedExpectation =
  | { readonly ok: true; readonly verdict: Verdict; readonly from: SourcePattern; readonly to: TargetPattern }
  | { readonly ok: false; readonly issues: readonly TextIssue[] };

/** A piece of the entry and where it starts. */
interface Part {
  readonly text: string;
  readonly at: number;
}

/** The DNS ports a `dns` target answers on: 53/UDP, and 53/TCP with `probe.dnsProtocols` naming TCP. */
function dnsPorts(names: ScenarioNames): ServedPort[] {
  return (names.dnsProtocols ?? ['UDP']).map((protocol) => ({ port: 53, protocol }));
}

/** Characters of names, `/` and `*` that may make up a source or a target (before `:`). */
const NAME_CHARS = /^[a-z0-9*/.-]+$/;

function trimmed(text: string, at: number): Part {
  const lead = text.length - text.trimStart().length;
  return { text: text.trim(), at: at + lead };
}

function issue(code: DiagnosticCode, part: Part, message: string): TextIssue {
  return { code, start: part.at, end: part.at + Math.max(part.text.length, 1), message };
}

/**
 * Parses and resolves `text` against the scenario's names. Names are checked: workloads
 * (UNKNOWN_WORKLOAD, AMBIGUOUS_WORKLOAD), namespaces (UNKNOWN_NAMESPACE), externals, and a
 * port given for one target must be one it serves (UNKNOWN_PORT); with a `*` or `<ns>/*`
 * target a port name only filters.
 */
export function parseExpectation(text: string, names: ScenarioNames): ParsedExpectation {
  const whole: Part = trimmed(text, 0);
  const verdictMatch = /^\S+/.exec(whole.text);
  if (!verdictMatch) return { ok: false, issues: [issue('INVALID_EXPECTATION', { text, at: 0 }, 'empty expectation; expected `<allow|deny> <from> -> <to>`')] };
  const verdictPart: Part = { text: verdictMatch[0], at: whole.at };
  const issues: TextIssue[] = [];
  const verdict = verdictPart.text === 'allow' || verdictPart.text === 'deny' ? verdictPart.text : undefined;
  if (!verdict) issues.push(issue('INVALID_EXPECTATION', verdictPart, `expected "allow" or "deny" first, got ${quote(verdictPart.text)}`));
  const afterVerdict = verdictPart.at + verdictPart.text.length;
  const arrow = text.indexOf('->', afterVerdict);
  if (arrow < 0) {
    issues.push(issue('INVALID_EXPECTATION', whole, `missing "->" in ${quote(whole.text)}; expected \`<allow|deny> <from> -> <to>\``));
    return { ok: false, issues };
  }
  const fromPart = trimmed(text.slice(afterVerdict, arrow), afterVerdict);
  const toPart = trimmed(text.slice(arrow + 2), arrow + 2);
  const from = parseSource(fromPart, { text: '->', at: arrow }, names, issues);
  const to = parseTarget(toPart, { text: '->', at: arrow }, names, issues);
  if (issues.length > 0 || !verdict || !from || !to) return { ok: false, issues };
  return { ok: true, verdict, from, to };
}

function checkToken(part: Part, arrow: Part, side: 'source' | 'target', issues: TextIssue[]): boolean {
  if (part.text === '') {
    issues.push(issue('INVALID_EXPECTATION', arrow, `missing ${side} ${side === 'source' ? 'before' : 'after'} "->"`));
    return false;
  }
  if (/\s/.test(part.text)) {
    issues.push(issue('INVALID_EXPECTATION', part, `unexpected space in ${side} ${quote(part.text)}`));
    return false;
  }
  return true;
}

function parseSource(part: Part, arrow: Part, names: ScenarioNames, issues: TextIssue[]): SourcePattern | undefined {
  if (!checkToken(part, arrow, 'source', issues)) return undefined;
  if (part.text === '*') return { kind: 'all' };
  if (!NAME_CHARS.test(part.text)) {
    const extra = part.text.includes(':') ? ' (a source takes no port)' : '';
    issues.push(issue('INVALID_EXPECTATION', part, `${quote(part.text)} is not a source${extra}; expected *, <namespace>/*, <name>, <namespace>/<name> or an external client`));
    return undefined;
  }
  const namespaceAll = namespaceWildcard(part, names, issues);
  if (namespaceAll !== 'no') return namespaceAll;
  const external = part.text.includes('/') ? undefined : names.externals.find((e) => e.name === part.text);
  if (external?.client) return { kind: 'external', name: external.name };
  if (external) {
    issues.push(issue('INVALID_EXPECTATION', part, `external ${quote(external.name)} starts no probes; add \`client: true\` to it under spec.externals to probe from it`));
    return undefined;
  }
  const found = resolveWorkload(part.text, names);
  if (found.ok) return { kind: 'workload', ref: found.workload.ref };
  issues.push(issue(found.code, part, found.message));
  return undefined;
}

/** `<ns>/*`: the pattern, undefined after an issue, or 'no' when `part` is not of that form. */
function namespaceWildcard(part: Part, names: ScenarioNames, issues: TextIssue[]): { kind: 'namespace'; namespace: string } | undefined | 'no' {
  if (!part.text.endsWith('/*') || part.text.indexOf('/') !== part.text.length - 2) return 'no';
  const namespace = part.text.slice(0, -2);
  if (names.namespaces.has(namespace)) return { kind: 'namespace', namespace };
  issues.push(issue('UNKNOWN_NAMESPACE', { text: namespace, at: part.at }, `unknown namespace ${quote(namespace)}; declared: ${[...names.namespaces].join(', ')}`));
  return undefined;
}

function isProtocolWord(text: string): boolean {
  return /^(tcp|udp|sctp)$/i.test(text);
}

function parseTarget(part: Part, arrow: Part, names: ScenarioNames, issues: TextIssue[]): TargetPattern | undefined {
  if (!checkToken(part, arrow, 'target', issues)) return undefined;
  const colon = part.text.indexOf(':');
  const targetPart: Part = colon < 0 ? part : { text: part.text.slice(0, colon), at: part.at };
  const portPart: Part | undefined = colon < 0 ? undefined : { text: part.text.slice(colon + 1), at: part.at + colon + 1 };
  if (!portPart) {
    const segments = part.text.split('/');
    const last = segments[segments.length - 1]!;
    if (segments.length > 1 && isProtocolWord(last) && (segments.length > 2 || !names.namespaces.has(segments[0]!))) {
      const at = part.at + part.text.length - last.length - 1;
      issues.push(issue('INVALID_EXPECTATION', { text: `/${last}`, at }, `a protocol filter needs a port: write ${segments.slice(0, -1).join('/')}:<port>/${last}`));
      return undefined;
    }
  }
  const target = resolveTarget(targetPart, arrow, names, issues);
  if (!portPart) return target ? { target: target.target } : undefined;
  const slash = portPart.text.indexOf('/');
  const portText: Part = slash < 0 ? portPart : { text: portPart.text.slice(0, slash), at: portPart.at };
  const protoText: Part | undefined = slash < 0 ? undefined : { text: portPart.text.slice(slash + 1), at: portPart.at + slash + 1 };
  const port = parsePort(portText, issues);
  let protocol: Protocol | undefined;
  if (protoText) {
    if (isProtocolWord(protoText.text)) protocol = protoText.text.toUpperCase() as Protocol;
    else issues.push(issue('INVALID_PROTOCOL', protoText, `protocol ${quote(protoText.text)} is not one of tcp, udp, sctp`));
  }
  if (!target || port === undefined || (protoText && !protocol)) return undefined;
  if (target.served && !target.served.some((p) => (typeof port === 'number' ? p.port === port : p.name === port) && (protocol === undefined || p.protocol === protocol))) {
    const what = `${typeof port === 'number' ? `port ${port}` : `no port named ${quote(port)}`}${protocol ? `/${protocol}` : ''}`;
    const served = target.served.length === 0 ? 'no ports' : target.served.map(describeServed).join(', ');
    issues.push(issue('UNKNOWN_PORT', portPart, `${target.label} serves ${typeof port === 'number' ? `no ${what}` : what}; it serves ${served}`));
    return undefined;
  }
  return protocol === undefined ? { target: target.target, port } : { target: target.target, port, protocol };
}

/** What a workload answers on: its served ports and the ports of its Services. */
function portsOf(workload: WorkloadSpec): ServedPort[] {
  const servicePorts = workloadServices(workload).flatMap((s) => s.ports.filter((p) => !workload.ports.some((w) => w.port === p.port && w.protocol === p.protocol && w.name === p.name)));
  return [...workload.ports, ...servicePorts.map((p) => (p.name === undefined ? { port: p.port, protocol: p.protocol } : { port: p.port, protocol: p.protocol, name: p.name }))];
}

function describeServed(p: ServedPort): string {
  return `${p.port}/${p.protocol}${p.name === undefined ? '' : ` (${p.name})`}`;
}

interface ResolvedTarget {
  readonly target: TargetPattern['target'];
  /** The ports of a single target, checked against a given port; undefined for `*`, `<ns>/*`. */
  readonly served?: readonly ServedPort[];
  readonly label: string;
}

function resolveTarget(part: Part, arrow: Part, names: ScenarioNames, issues: TextIssue[]): ResolvedTarget | undefined {
  if (!checkToken(part, arrow, 'target', issues)) return undefined;
  if (part.text === '*') return { target: { kind: 'all' }, label: '*' };
  if (part.text === 'dns') return { target: { kind: 'dns' }, served: dnsPorts(names), label: 'dns' };
  if (!NAME_CHARS.test(part.text)) {
    issues.push(issue('INVALID_EXPECTATION', part, `${quote(part.text)} is not a target; expected *, <namespace>/*, <name>, <namespace>/<name>, an external or dns`));
    return undefined;
  }
  const namespaceAll = namespaceWildcard(part, names, issues);
  if (namespaceAll !== 'no') return namespaceAll ? { target: namespaceAll, label: part.text } : undefined;
  const external = part.text.includes('/') ? undefined : names.externals.find((e) => e.name === part.text);
  if (external) return { target: { kind: 'external', name: external.name }, served: external.ports, label: `external ${external.name}` };
  const found = resolveWorkload(part.text, names);
  if (found.ok) return { target: { kind: 'workload', ref: found.workload.ref }, served: portsOf(found.workload), label: found.workload.ref };
  const externals = names.externals.length > 0 && found.code === 'UNKNOWN_WORKLOAD' && !part.text.includes('/') ? ` (nor an external: ${names.externals.map((e) => e.name).join(', ')})` : '';
  issues.push(issue(found.code, part, found.message + externals));
  return undefined;
}

function parsePort(part: Part, issues: TextIssue[]): number | string | undefined {
  if (part.text === '') {
    issues.push(issue('INVALID_EXPECTATION', part, 'missing port after ":"'));
    return undefined;
  }
  if (/^\d+$/.test(part.text)) {
    const port = Number(part.text);
    if (isValidPortNumber(port)) return port;
    issues.push(issue('INVALID_PORT', part, `port ${part.text} is not from 1 to 65535`));
    return undefined;
  }
  const problems = ianaSvcNameProblems(part.text);
  if (problems.length === 0) return part.text;
  issues.push(issue('INVALID_PORT_NAME', part, `port name ${quote(part.text)} ${problems.join('; ')}`));
  return undefined;
}
