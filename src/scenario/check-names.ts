/**
 * Kubernetes name, label and port checks for the scenario's own declarations (namespaces,
 * workloads, externals, dns, label changes), with the API server's rules from
 * policy/k8s-names.ts (DESIGN rule 13), plus what the backends need: a workload name is also
 * a Service name, Service port names are unique, the probe agent finds a free port, and the
 * harness's own label keys stay its own.
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
import { AGENT_CANDIDATES, agentPortConflict } from '../probe/agent-ports.js';
import { quote } from '../quote-value.js';
import { valueAt } from './describe-path.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { DocPath } from './locate-node.js';
import type { ParsedDoc } from './parse-yaml.js';
import type { RawServedPort, RawService } from './schema.js';
import { toServiceRef, type ServedPort, type ServicePortSpec, type ServiceSpec } from './types.js';

/** INVALID_NAME unless the string at `path` is a DNS-1123 label; true when valid. */
export function checkLabelName(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, what: string, value: string): boolean {
  const problems = dns1123LabelProblems(value);
  if (problems.length > 0) sink.at('INVALID_NAME', parsed, path, `${what} ${quote(value)} ${problems.join('; ')}`);
  return problems.length === 0;
}

/** INVALID_NAME unless a workload name is a DNS-1035 label: it also names the workload's Service. */
export function checkWorkloadName(sink: DiagnosticSink, parsed: ParsedDoc, path: DocPath, value: string): boolean {
  const problems = dns1035LabelProblems(value);
  if (problems.length > 0) sink.at('INVALID_NAME', parsed, path, `workload name ${quote(value)} ${problems.join('; ')} (it also names the workload's Service, a DNS-1035 label)`);
  return problems.length === 0;
}

/** Label keys the harness sets on what it creates: a scenario may not set or select them. */
const RESERVED_KEY = /^netpol-harness\/|^app\.kubernetes\.io\/managed-by$/;

/** Why `key` is reserved to the harness, or undefined when it is free to use. */
export function reservedLabelKey(key: string): string | undefined {
  if (!RESERVED_KEY.test(key)) return undefined;
  return `label key ${quote(key)} is reserved: netpol-harness sets it on everything it creates (on a cluster it would override the scenario's value)`;
}

/**
 * INVALID_LABEL_KEY at each bad key, RESERVED_NAME at each key reserved to the harness (when
 * `reserved`), INVALID_LABEL_VALUE at each bad value (null = removal, fine). Keys are read
 * from the document's own data, so a key that zod's records leave out (`__proto__`) is
 * reported, never dropped.
 */
export function checkLabels(
  sink: DiagnosticSink,
  parsed: ParsedDoc,
  path: DocPath,
  labels: Readonly<Record<string, string | null>> | undefined,
  options: { readonly reserved: boolean } = { reserved: true },
): void {
  const raw = valueAt(parsed.data, path);
  const keys = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : Object.keys(labels ?? {});
  for (const key of keys) {
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) sink.atKey('INVALID_LABEL_KEY', parsed, path, key, `label key ${quote(key)}: ${keyProblems.join('; ')}`);
    else if (options.reserved) {
      const reserved = reservedLabelKey(key);
      if (reserved) sink.atKey('RESERVED_NAME', parsed, path, key, reserved);
    }
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, key)) continue;
    const value = labels[key];
    if (value === null || value === undefined) continue;
    const valueProblems = labelValueProblems(value);
    if (valueProblems.length > 0) sink.at('INVALID_LABEL_VALUE', parsed, [...path, key], `label value ${quote(value)} of ${quote(key)}: ${valueProblems.join('; ')}`);
  }
}

/** The name the kube backend gives an unnamed Service port: `<protocol>-<port>`, e.g. `udp-80`. */
export function generatedPortName(port: Pick<ServedPort, 'port' | 'protocol'>): string {
  return `${port.protocol.toLowerCase()}-${port.port}`;
}

/**
 * The served ports at `path`, protocol defaulted to TCP and sorted by protocol (PROTOCOLS
 * order) then port. INVALID_PORT outside 1-65535, INVALID_PORT_NAME for a name that is not an
 * IANA service name, DUPLICATE_NAME for a name or a port/protocol listed twice, or a name
 * that another, unnamed port gets on the workload's Service (`udp-80`). With `agent`, also
 * PORT_CONFLICT when the probe agent would find no free port.
 */
export function checkServedPorts(
  sink: DiagnosticSink,
  parsed: ParsedDoc,
  path: DocPath,
  owner: string,
  ports: readonly RawServedPort[] | undefined,
  options: { readonly agent: boolean } = { agent: false },
): ServedPort[] {
  const out: ServedPort[] = [];
  const names = new Set<string>();
  const numbers = new Set<string>();
  // Names the Service gives unnamed ports, and the port each stands for.
  const generated = new Map((ports ?? []).filter((p) => p.name === undefined).map((p) => [generatedPortName({ port: p.port, protocol: p.protocol ?? 'TCP' }), `${p.port}/${p.protocol ?? 'TCP'}`]));
  (ports ?? []).forEach((raw, i) => {
    const at = [...path, i];
    const protocol: Protocol = raw.protocol ?? 'TCP';
    if (!isValidPortNumber(raw.port)) sink.at('INVALID_PORT', parsed, [...at, 'port'], `port ${raw.port} of ${owner} is not from 1 to 65535`);
    const id = `${raw.port}/${protocol}`;
    if (numbers.has(id)) sink.at('DUPLICATE_NAME', parsed, [...at, 'port'], `${owner} lists port ${id} twice`);
    numbers.add(id);
    if (raw.name !== undefined) {
      const problems = ianaSvcNameProblems(raw.name);
      if (problems.length > 0) sink.at('INVALID_PORT_NAME', parsed, [...at, 'name'], `port name ${quote(raw.name)} of ${owner} ${problems.join('; ')}`);
      if (names.has(raw.name)) sink.at('DUPLICATE_NAME', parsed, [...at, 'name'], `${owner} has two ports named ${quote(raw.name)}`);
      else if (generated.has(raw.name) && generated.get(raw.name) !== id) {
        sink.at('DUPLICATE_NAME', parsed, [...at, 'name'], `port name ${quote(raw.name)} of ${owner} is the name its Service gives the unnamed port ${generated.get(raw.name)!}; Service port names must be unique`);
      }
      names.add(raw.name);
    }
    out.push(raw.name === undefined ? { port: raw.port, protocol } : { port: raw.port, protocol, name: raw.name });
  });
  if (options.agent) {
    const conflict = agentPortConflict(out);
    if (conflict !== undefined) {
      sink.at('PORT_CONFLICT', parsed, path, `${owner} serves every port the probe agent beside it may use (TCP ${AGENT_CANDIDATES.join(', ')} or UDP one above): it would collide on ${conflict}`);
    }
  }
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
