/**
 * From the structurally valid scenario file to a `Scenario`: names checked, references
 * resolved, defaults applied (SCENARIO-FORMAT.md). Every problem goes to the sink; the result
 * is meaningful only when the sink stayed empty.
 */
import { toPolicyKey, type PolicyKey } from '../policy/types.js';
import { checkLabelName, checkLabels, checkServedPorts, checkServices, checkWorkloadName } from './check-names.js';
import { quote } from '../quote-value.js';
import { canonicalAddress, externalAddressProblem } from './check-addresses.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { loadApplyEntry, type AppliedPolicy } from './load-policies.js';
import { rangeAt, type DocPath } from './locate-node.js';
import { parseExpectation } from './parse-expectation.js';
import type { ParsedDoc, ParsedFile } from './parse-yaml.js';
import type { ReadFailure, ReadInput } from './read-input.js';
import { resolveWorkload, type ScenarioNames } from './resolve-workload.js';
import { workloadServices } from './services.js';
import type { RawScenario } from './schema.js';
import {
  NAMESPACE_NAME_LABEL,
  toMillis,
  toWorkloadRef,
  type DnsSpec,
  type Expectation,
  type ExternalSpec,
  type LabelChange,
  type NamespaceSpec,
  type PolicyManifest,
  type DnsProtocol,
  type ProbeSettings,
  type Scenario,
  type Step,
  type WorkloadSpec,
} from './types.js';

/** SCENARIO-FORMAT.md: the default `dns` (CoreDNS/kube-dns on most clusters). */
export const DEFAULT_DNS: DnsSpec = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
/** SCENARIO-FORMAT.md: the default probe timeout, 2 s. */
export const DEFAULT_TIMEOUT_SECONDS = 2;

/** Namespace names a scenario cannot declare: Kubernetes keeps the `kube-` prefix (kube-system, kube-public, kube-node-lease). */
const RESERVED_NAMESPACE = /^kube-/;

export interface ResolveInput {
  readonly raw: RawScenario;
  readonly parsed: ParsedDoc;
  readonly sink: DiagnosticSink;
  readonly readFile: ReadInput;
  readonly sources: Map<string, string>;
}

const SPEC: DocPath = ['spec'];

/** The scenario, with every problem reported to `input.sink`. */
export function resolveScenario(input: ResolveInput): Scenario {
  const { raw, parsed, sink } = input;
  checkLabelName(sink, parsed, ['metadata', 'name'], 'scenario name', raw.metadata.name);
  const namespaces = resolveNamespaces(input);
  const namespaceNames = namespaces.map((n) => n.name);
  const defaultNamespace = resolveDefaultNamespace(input, namespaceNames);
  const workloads = resolveWorkloads(input, namespaceNames, defaultNamespace);
  const externals = resolveExternals(input, workloads);
  const dns = resolveDns(input, namespaceNames);
  const dnsProtocols = probeSettings(raw.spec.probe, undefined).dnsProtocols;
  const names: ScenarioNames = { namespaces: new Set(namespaceNames), workloads, externals, ...(dnsProtocols === undefined ? {} : { dnsProtocols }) };
  const steps = resolveSteps(input, names, defaultNamespace);
  const tags = resolveTags(input);
  return {
    name: raw.metadata.name,
    ...(raw.metadata.description === undefined ? {} : { description: raw.metadata.description }),
    ...(tags.length > 0 ? { tags } : {}),
    file: parsed.file,
    namespaces,
    workloads,
    externals,
    dns,
    ...(raw.spec.dns ? { dnsDeclared: true as const } : {}),
    steps,
  };
}

/** A tag: lowercase letters, digits and dashes, starting and ending alphanumeric, 1-63 characters. */
const TAG = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function resolveTags({ raw, parsed, sink }: ResolveInput): string[] {
  const tags = raw.metadata.tags ?? [];
  tags.forEach((tag, i) => {
    if (!TAG.test(tag)) sink.at('INVALID_NAME', parsed, ['metadata', 'tags', i], `invalid tag ${JSON.stringify(tag.slice(0, 70))}: lowercase letters, digits and dashes, at most 63`);
  });
  return [...new Set(tags)].sort();
}

function resolveNamespaces({ raw, parsed, sink }: ResolveInput): NamespaceSpec[] {
  const seen = new Set<string>();
  const out: NamespaceSpec[] = [];
  raw.spec.namespaces.forEach((ns, i) => {
    const path = [...SPEC, 'namespaces', i];
    if (checkLabelName(sink, parsed, [...path, 'name'], 'namespace name', ns.name) && RESERVED_NAMESPACE.test(ns.name)) {
      sink.at('RESERVED_NAME', parsed, [...path, 'name'], `namespace name ${quote(ns.name)} is reserved: Kubernetes keeps the kube- prefix for its own namespaces, which a scenario cannot create`);
    }
    if (seen.has(ns.name)) {
      sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], `namespace ${quote(ns.name)} is declared twice`);
      return;
    }
    seen.add(ns.name);
    checkLabels(sink, parsed, [...path, 'labels'], ns.labels);
    const own = ns.labels?.[NAMESPACE_NAME_LABEL];
    if (own !== undefined && own !== ns.name) {
      sink.at('INVALID_VALUE', parsed, [...path, 'labels', NAMESPACE_NAME_LABEL], `label ${NAMESPACE_NAME_LABEL} of namespace ${quote(ns.name)} is always ${quote(ns.name)}, got ${quote(own)}`);
    }
    out.push({ name: ns.name, labels: { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name } });
  });
  return out;
}

/**
 * The namespace of what names none: `spec.defaultNamespace` (which must be declared), else
 * the only namespace; undefined when neither applies.
 */
function resolveDefaultNamespace({ raw, parsed, sink }: ResolveInput, namespaces: readonly string[]): string | undefined {
  const written = raw.spec.defaultNamespace;
  if (written === undefined) return namespaces.length === 1 ? namespaces[0] : undefined;
  if (!namespaces.includes(written)) {
    sink.at('UNKNOWN_NAMESPACE', parsed, [...SPEC, 'defaultNamespace'], `defaultNamespace ${JSON.stringify(written)} is not declared; declared: ${namespaces.join(', ')}`);
    return undefined;
  }
  return written;
}

function resolveWorkloads({ raw, parsed, sink }: ResolveInput, namespaces: readonly string[], defaultNamespace: string | undefined): WorkloadSpec[] {
  const out: WorkloadSpec[] = [];
  raw.spec.workloads.forEach((w, i) => {
    const path = [...SPEC, 'workloads', i];
    checkWorkloadName(sink, parsed, [...path, 'name'], w.name);
    let namespace = w.namespace;
    if (namespace === undefined) {
      if (defaultNamespace !== undefined) namespace = defaultNamespace;
      else {
        // An undeclared defaultNamespace was reported already.
        if (raw.spec.defaultNamespace === undefined) {
          sink.at('NAMESPACE_REQUIRED', parsed, [...path, 'name'], `workload ${quote(w.name)} needs a namespace: the scenario has ${namespaces.length} namespaces and no defaultNamespace`);
        }
        return;
      }
    } else if (!namespaces.includes(namespace)) {
      sink.at('UNKNOWN_NAMESPACE', parsed, [...path, 'namespace'], `unknown namespace ${quote(namespace)} of workload ${quote(w.name)}; declared: ${namespaces.join(', ')}`);
    }
    const ref = toWorkloadRef(namespace, w.name);
    if (out.some((o) => o.ref === ref)) {
      sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], `workload ${quote(ref)} is declared twice`);
      return;
    }
    checkLabels(sink, parsed, [...path, 'labels'], w.labels);
    const ports = checkServedPorts(sink, parsed, [...path, 'ports'], `workload ${ref}`, w.ports, { agent: true });
    const workload: WorkloadSpec = { ref, namespace, name: w.name, labels: { ...w.labels }, ports };
    if (w.services === undefined) out.push(workload);
    else out.push({ ...workload, services: checkServices(sink, parsed, [...path, 'services'], workload, w.services) });
  });
  checkServiceNamesUnique({ raw, parsed, sink }, out);
  return out;
}

/** Two Services of one namespace cannot share a name, written or default (the workload's name). */
function checkServiceNamesUnique({ raw, parsed, sink }: Pick<ResolveInput, 'raw' | 'parsed' | 'sink'>, workloads: readonly WorkloadSpec[]): void {
  const owners = new Map<string, WorkloadSpec>();
  for (const w of workloads) {
    const index = raw.spec.workloads.findIndex((r) => r.name === w.name && (r.namespace ?? w.namespace) === w.namespace);
    workloadServices(w).forEach((service, j) => {
      const owner = owners.get(service.ref);
      if (owner === undefined) {
        owners.set(service.ref, w);
        return;
      }
      const path = w.services === undefined ? [...SPEC, 'workloads', index, 'name'] : [...SPEC, 'workloads', index, 'services', j, 'name'];
      const whose = owner === w ? 'this workload' : `workload ${owner.ref}`;
      sink.at('DUPLICATE_NAME', parsed, path, `Service ${JSON.stringify(service.ref)} of workload ${w.ref} is also a Service of ${whose}${w.services === undefined ? ' (a workload without `services` has a Service of its own name)' : ''}`);
    });
  }
}

function resolveExternals({ raw, parsed, sink }: ResolveInput, workloads: readonly WorkloadSpec[]): ExternalSpec[] {
  const out: ExternalSpec[] = [];
  /** Canonical address -> the external that declared it first. */
  const addresses = new Map<string, string>();
  (raw.spec.externals ?? []).forEach((e, i) => {
    const path = [...SPEC, 'externals', i];
    checkLabelName(sink, parsed, [...path, 'name'], 'external name', e.name);
    // An external is named alone in expectations (`-> partner-api`), so it must not read as
    // another target.
    if (out.some((o) => o.name === e.name)) sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], `external ${quote(e.name)} is declared twice`);
    else if (e.name === 'dns') sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], 'an external cannot be named "dns": `-> dns` is the DNS probe');
    else if (workloads.some((w) => w.name === e.name)) sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], `external ${quote(e.name)} has the name of a workload; expectations could not tell them apart`);
    const problem = externalAddressProblem(e.ip);
    if (problem) sink.at(problem.code, parsed, [...path, 'ip'], `ip ${quote(e.ip)} of external ${quote(e.name)} ${problem.reason}`);
    const canonical = canonicalAddress(e.ip);
    const first = canonical === undefined ? undefined : addresses.get(canonical);
    if (first !== undefined) sink.at('DUPLICATE_NAME', parsed, [...path, 'ip'], `ip ${quote(e.ip)} of external ${quote(e.name)} is already the address of external ${quote(first)}; each external has its own address`);
    else if (canonical !== undefined) addresses.set(canonical, e.name);
    const ports = checkServedPorts(sink, parsed, [...path, 'ports'], `external ${e.name}`, e.ports);
    out.push({ name: e.name, ip: e.ip, ports, ...(e.client === true ? { client: true as const } : {}) });
  });
  return out;
}

function resolveDns({ raw, parsed, sink }: ResolveInput, namespaces: readonly string[]): DnsSpec {
  const dns = raw.spec.dns;
  if (!dns) return DEFAULT_DNS;
  const path = [...SPEC, 'dns'];
  const namespace = dns.namespace ?? DEFAULT_DNS.namespace;
  if (dns.namespace !== undefined && checkLabelName(sink, parsed, [...path, 'namespace'], 'dns namespace', dns.namespace) && namespaces.includes(dns.namespace)) {
    sink.at('RESERVED_NAME', parsed, [...path, 'namespace'], `dns namespace ${quote(dns.namespace)} is declared under spec.namespaces: the DNS pods are the cluster's own, in a namespace the scenario does not create`);
  }
  // These labels select the cluster's own DNS pods, so any key may be needed.
  checkLabels(sink, parsed, [...path, 'labels'], dns.labels, { reserved: false });
  return { namespace, labels: dns.labels ? { ...dns.labels } : DEFAULT_DNS.labels };
}

/** Probe settings as written in `spec.probe` or a step's `probe`. */
export interface ProbeOverride {
  readonly target?: ProbeSettings['target'] | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly self?: boolean | undefined;
  readonly dns?: boolean | undefined;
  readonly dnsProtocols?: readonly DnsProtocol[] | undefined;
}

/**
 * A step's effective probe settings. `dns` defaults to true exactly when the effective target
 * is service-name (SCENARIO-FORMAT.md); a step that changes the target recomputes that default
 * rather than inheriting the scenario's explicit `dns`.
 */
export function probeSettings(scenario: ProbeOverride | undefined, step: ProbeOverride | undefined): ProbeSettings {
  const target = step?.target ?? scenario?.target ?? 'service-name';
  const seconds = step?.timeoutSeconds ?? scenario?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const inherited = step?.target === undefined ? scenario?.dns : undefined;
  const dns = step?.dns ?? inherited ?? target === 'service-name';
  // The probe tools time out in whole seconds: check and run alike round a fraction up.
  const settings: ProbeSettings = { target, timeoutMs: toMillis(Math.ceil(seconds) * 1000), self: scenario?.self ?? false, dns };
  // Written only when it says more than the default (UDP alone), so plans and results stay as they were.
  const dnsProtocols = DNS_PROTOCOLS.filter((p) => scenario?.dnsProtocols?.includes(p));
  return dnsProtocols.length === 0 || (dnsProtocols.length === 1 && dnsProtocols[0] === 'UDP') ? settings : { ...settings, dnsProtocols };
}

/** The protocols a `-> dns` probe may use, in plan order. */
const DNS_PROTOCOLS: readonly DnsProtocol[] = ['UDP', 'TCP'];

function resolveSteps(input: ResolveInput, names: ScenarioNames, defaultNamespace: string | undefined): Step[] {
  const { raw, parsed, sink } = input;
  const namespaces = [...names.namespaces];
  const applyContext = {
    sink,
    scenario: parsed,
    namespaces,
    defaultNamespace,
    defaultNamespaceWritten: raw.spec.defaultNamespace !== undefined,
    workloadRefs: new Set(names.workloads.map((w) => w.ref)),
    readFile: input.readFile,
    files: new Map<string, ParsedFile | ReadFailure>(),
    sources: input.sources,
  };
  // Policies in force (valid or not: an invalid one was reported where it was applied).
  const inForce = new Set<PolicyKey>();
  const stepNames = new Set<string>();
  return raw.spec.steps.map((step, index): Step => {
    const path = [...SPEC, 'steps', index];
    if (stepNames.has(step.name)) sink.at('DUPLICATE_NAME', parsed, [...path, 'name'], `step name ${quote(step.name)} is used twice`);
    stepNames.add(step.name);
    // SCENARIO-FORMAT: within a step, delete first, then apply, then label.
    const deleted: PolicyKey[] = [];
    (step.delete ?? []).forEach((text, j) => {
      const key = parsePolicyKey(text);
      if (key && inForce.has(key)) {
        inForce.delete(key);
        deleted.push(key);
      } else {
        const known = [...inForce].sort().join(', ') || 'none';
        sink.at('UNKNOWN_POLICY', parsed, [...path, 'delete', j], `${quote(text)} is not a policy in force before step ${quote(step.name)}${key ? '' : ' (write <namespace>/<name>)'}; in force: ${known}`);
      }
    });
    const applied: PolicyManifest[] = [];
    const appliedHere = new Set<PolicyKey>();
    (step.apply ?? []).forEach((entry, j) => {
      for (const policy of loadApplyEntry(entry, [...path, 'apply', j], applyContext)) recordApplied(policy, appliedHere, inForce, applied, sink);
    });
    const label = resolveLabelChanges(input, path, step.label ?? [], names);
    const expect = resolveExpectations(input, path, step.expect ?? [], names);
    return { index, name: step.name, delete: deleted, apply: applied, label, probe: probeSettings(raw.spec.probe, step.probe), expect };
  });
}

function recordApplied(policy: AppliedPolicy, appliedHere: Set<PolicyKey>, inForce: Set<PolicyKey>, applied: PolicyManifest[], sink: DiagnosticSink): void {
  if (policy.key === undefined) return;
  if (appliedHere.has(policy.key)) {
    sink.at('DUPLICATE_NAME', policy.site, [...policy.path, 'metadata', 'name'], `policy ${policy.key} is applied twice in one step`);
    return;
  }
  appliedHere.add(policy.key);
  inForce.add(policy.key);
  if (policy.manifest) applied.push(policy.manifest);
}

/** `<namespace>/<name>` of a policy, or undefined when `text` is not of that form. */
function parsePolicyKey(text: string): PolicyKey | undefined {
  const parts = text.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return toPolicyKey(parts[0]!, parts[1]!);
}

function resolveLabelChanges(
  { parsed, sink }: ResolveInput,
  stepPath: DocPath,
  changes: NonNullable<RawScenario['spec']['steps'][number]['label']>,
  names: ScenarioNames,
): LabelChange[] {
  const out: LabelChange[] = [];
  changes.forEach((change, j) => {
    const path = [...stepPath, 'label', j];
    const origin = { file: parsed.file, range: rangeAt(parsed.doc, path) };
    checkLabels(sink, parsed, [...path, 'labels'], change.labels);
    const labels: Readonly<Record<string, string | null>> = { ...change.labels };
    if (change.namespace !== undefined && change.workload !== undefined) {
      sink.at('INVALID_VALUE', parsed, [...path, 'workload'], 'a label change names a namespace or a workload, not both');
      return;
    }
    if (change.namespace !== undefined) {
      if (!names.namespaces.has(change.namespace)) {
        sink.at('UNKNOWN_NAMESPACE', parsed, [...path, 'namespace'], `unknown namespace ${quote(change.namespace)}; declared: ${[...names.namespaces].join(', ')}`);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(labels, NAMESPACE_NAME_LABEL) && labels[NAMESPACE_NAME_LABEL] !== change.namespace) {
        sink.at('INVALID_VALUE', parsed, [...path, 'labels', NAMESPACE_NAME_LABEL], `label ${NAMESPACE_NAME_LABEL} of a namespace cannot be changed or removed`);
      }
      out.push({ kind: 'namespace', namespace: change.namespace, labels, origin });
      return;
    }
    if (change.workload !== undefined) {
      const found = resolveWorkload(change.workload, names);
      if (!found.ok) {
        sink.at(found.code, parsed, [...path, 'workload'], found.message);
        return;
      }
      out.push({ kind: 'workload', workload: found.workload.ref, labels, origin });
      return;
    }
    sink.at('MISSING_KEY', parsed, path, `a label change needs "namespace" or "workload" in ${describeStep(stepPath)}`);
  });
  return out;
}

function describeStep(stepPath: DocPath): string {
  return `spec.steps[${String(stepPath[stepPath.length - 1])}]`;
}

function resolveExpectations({ parsed, sink }: ResolveInput, stepPath: DocPath, texts: readonly string[], names: ScenarioNames): Expectation[] {
  const out: Expectation[] = [];
  texts.forEach((text, j) => {
    const path = [...stepPath, 'expect', j];
    const result = parseExpectation(text, names);
    if (!result.ok) {
      for (const issue of result.issues) sink.inString(issue.code, parsed, path, issue.start, issue.end, issue.message);
      return;
    }
    out.push({ verdict: result.verdict, from: result.from, to: result.to, text, origin: { file: parsed.file, range: rangeAt(parsed.doc, path) } });
  });
  return out;
}

