/**
 * Kubernetes name, label and port checks for the scenario's own declarations (namespaces,
 * workloads, externals, dns, label changes), with the API server's rules from
 * policy/k8s-names.ts (DESIGN rule 13).
 */
import {
  dns1035LabelProblems,
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
import type { RawServedPort, RawService } from './schema.js';
import { toServiceRef, type ServedPort, type ServicePortSpec, type ServiceSpec } from './types.js';

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

/**
 * The Services written for a workload, checked like the API server checks a Service (a
 * DNS-1035 name; ports 1-65535; every port named when there are several, names DNS-1123
 * labels and unique; no port/protocol twice) plus what a scenario needs: every targetPort
 * names or numbers a port the workload serves, with the same protocol (UNKNOWN_PORT), since
 * traffic to any other port would find no server. Ports sorted by protocol, then port.
 */
export function checkServices(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, owner: { readonly namespace: string; readonly ref: string; readonly ports: readonly ServedPort[] }, services: readonly RawService[]): ServiceSpec[] {
  return services.map((raw, i): ServiceSpec => {
    const at = [...path, i];
    const problems = dns1035LabelProblems(raw.name);
    if (problems.length > 0) sink.at('INVALID_NAME', parsed, [...at, 'name'], `Service name ${JSON.stringify(raw.name)} ${problems.join('; ')}`);
    const label = `Service ${raw.name} of workload ${owner.ref}`;
    const names = new Set<string>();
    const numbers = new Set<string>();
    const ports = raw.ports.map((p, j): ServicePortSpec => {
      const portAt = [...at, 'ports', j];
      const protocol: Protocol = p.protocol ?? 'TCP';
      if (!isValidPortNumber(p.port)) sink.at('INVALID_PORT', parsed, [...portAt, 'port'], `port ${p.port} of ${label} is not from 1 to 65535`);
      const id = `${p.port}/${protocol}`;
      if (numbers.has(id)) sink.at('DUPLICATE_NAME', parsed, [...portAt, 'port'], `${label} lists port ${id} twice`);
      numbers.add(id);
      if (p.name === undefined) {
        if (raw.ports.length > 1) sink.at('MISSING_KEY', parsed, portAt, `${label} has several ports, so each needs a name`);
      } else {
        const nameProblems = dns1123LabelProblems(p.name);
        if (nameProblems.length > 0) sink.at('INVALID_NAME', parsed, [...portAt, 'name'], `port name ${JSON.stringify(p.name)} of ${label} ${nameProblems.join('; ')}`);
        if (names.has(p.name)) sink.at('DUPLICATE_NAME', parsed, [...portAt, 'name'], `${label} has two ports named ${JSON.stringify(p.name)}`);
        names.add(p.name);
      }
      const written = p.targetPort ?? p.port;
      const target = resolveTargetPort(written, protocol, owner.ports);
      if (typeof written === 'number' && !isValidPortNumber(written)) {
        sink.at('INVALID_PORT', parsed, [...portAt, 'targetPort'], `targetPort ${written} of ${label} is not from 1 to 65535`);
      } else if (typeof written === 'string' && ianaSvcNameProblems(written).length > 0) {
        sink.at('INVALID_PORT_NAME', parsed, [...portAt, 'targetPort'], `targetPort ${JSON.stringify(written)} of ${label} ${ianaSvcNameProblems(written).join('; ')}`);
      } else if (target === undefined) {
        const served = owner.ports.length === 0 ? 'no ports' : owner.ports.map((s) => `${s.port}/${s.protocol}${s.name === undefined ? '' : ` (${s.name})`}`).join(', ');
        const what = typeof written === 'number' ? `${written}/${protocol}` : `a port named ${JSON.stringify(written)} over ${protocol}`;
        sink.at('UNKNOWN_PORT', parsed, [...portAt, p.targetPort === undefined ? 'port' : 'targetPort'], `${label} forwards to ${what}, which the workload does not serve; it serves ${served}`);
      }
      return {
        ...(p.name === undefined ? {} : { name: p.name }),
        port: p.port,
        protocol,
        targetPort: target ?? (typeof written === 'number' ? written : 0),
        ...(typeof written === 'string' ? { targetPortName: written } : {}),
      };
    });
    ports.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
    return { ref: toServiceRef(owner.namespace, raw.name), namespace: owner.namespace, name: raw.name, ports };
  });
}

/** The served port a targetPort (number or name) forwards to over `protocol`, if the workload serves it. */
function resolveTargetPort(written: number | string, protocol: Protocol, served: readonly ServedPort[]): number | undefined {
  const found = served.find((s) => s.protocol === protocol && (typeof written === 'number' ? s.port === written : s.name === written));
  return found?.port;
}
