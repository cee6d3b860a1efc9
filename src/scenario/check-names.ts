/**
 * Kubernetes name, label and port checks for the scenario's own declarations (namespaces,
 * workloads, externals, dns, label changes), with the API server's rules from
 * policy/k8s-names.ts (DESIGN rule 13).
 */
import {
  dns1123LabelProblems,
  ianaSvcNameProblems,
  isValidPortNumber,
  labelValueProblems,
  qualifiedNameProblems,
} from '../policy/k8s-names.js';
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { DocPath } from './locate-node.js';
import type { ParsedDoc } from './parse-yaml.js';
import type { RawServedPort } from './schema.js';
import type { ServedPort } from './types.js';

/** INVALID_NAME unless the string at `path` is a DNS-1123 label; true when valid. */
export function checkLabelName(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, what: string, value: string): boolean {
  const problems = dns1123LabelProblems(value);
  if (problems.length > 0) sink.at('INVALID_NAME', parsed, path, `${what} ${JSON.stringify(value)} ${problems.join('; ')}`);
  return problems.length === 0;
}

/** INVALID_LABEL_KEY at each bad key and INVALID_LABEL_VALUE at each bad value (null = removal, fine). */
export function checkLabels(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, labels: Readonly<Record<string, string | null>> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) sink.atKey('INVALID_LABEL_KEY', parsed, path, key, `label key ${JSON.stringify(key)}: ${keyProblems.join('; ')}`);
    if (value === null) continue;
    const valueProblems = labelValueProblems(value);
    if (valueProblems.length > 0) sink.at('INVALID_LABEL_VALUE', parsed, [...path, key], `label value ${JSON.stringify(value)} of ${JSON.stringify(key)}: ${valueProblems.join('; ')}`);
  }
}

/**
 * The served ports at `path`, protocol defaulted to TCP and sorted by protocol (PROTOCOLS
 * order) then port. INVALID_PORT outside 1-65535, INVALID_PORT_NAME for a name that is not an
 * IANA service name, DUPLICATE_NAME for a name or a port/protocol listed twice.
 */
export function checkServedPorts(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, owner: string, ports: readonly RawServedPort[] | undefined): ServedPort[] {
  const out: ServedPort[] = [];
  const names = new Set<string>();
  const numbers = new Set<string>();
  (ports ?? []).forEach((raw, i) => {
    const at = [...path, i];
    const protocol: Protocol = raw.protocol ?? 'TCP';
    if (!isValidPortNumber(raw.port)) sink.at('INVALID_PORT', parsed, [...at, 'port'], `port ${raw.port} of ${owner} is not from 1 to 65535`);
    const id = `${raw.port}/${protocol}`;
    if (numbers.has(id)) sink.at('DUPLICATE_NAME', parsed, [...at, 'port'], `${owner} lists port ${id} twice`);
    numbers.add(id);
    if (raw.name !== undefined) {
      const problems = ianaSvcNameProblems(raw.name);
      if (problems.length > 0) sink.at('INVALID_PORT_NAME', parsed, [...at, 'name'], `port name ${JSON.stringify(raw.name)} of ${owner} ${problems.join('; ')}`);
      if (names.has(raw.name)) sink.at('DUPLICATE_NAME', parsed, [...at, 'name'], `${owner} has two ports named ${JSON.stringify(raw.name)}`);
      names.add(raw.name);
    }
    out.push(raw.name === undefined ? { port: raw.port, protocol } : { port: raw.port, protocol, name: raw.name });
  });
  return out.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
}
