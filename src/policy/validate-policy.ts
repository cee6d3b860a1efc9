/**
 * Validation of a NetworkPolicy as the API server does it (DESIGN rule 13), before anything
 * is applied: client-node silently drops misspelled fields, so we check strictly ourselves.
 * Mirrors ValidateNetworkPolicy (pkg/apis/networking/validation) and the apimachinery name,
 * label and selector checks, reporting every problem with its path in the object.
 */
import { parseCidr, isStrictSubnet } from './cidr.js';
import {
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  ianaSvcNameProblems,
  isValidPortNumber,
  labelValueProblems,
  qualifiedNameProblems,
} from './k8s-names.js';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyIssue, PolicyIssueCode } from './types.js';
import { quote } from '../quote-value.js';

type Path = readonly (string | number)[];

class IssueSink {
  readonly issues: PolicyIssue[] = [];
  add(code: PolicyIssueCode, path: Path, message: string): void {
    this.issues.push({ code, path, message });
  }
}

/** A value for a message: a string quoted by its prefix, a number as is, a list or map by its kind. */
const q = (v: unknown): string => {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return 'a list';
  return v !== null && typeof v === 'object' ? 'a map' : String(v);
};

function validateLabels(labels: unknown, path: Path, sink: IssueSink, lowerKeys = false): void {
  if (labels === undefined || labels === null) return;
  if (typeof labels !== 'object') {
    sink.add('INVALID_LABEL_KEY', path, 'must be a map of label keys to values');
    return;
  }
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    for (const p of qualifiedNameProblems(lowerKeys ? key.toLowerCase() : key)) sink.add('INVALID_LABEL_KEY', [...path, key], `label key ${q(key)}: ${p}`);
    if (typeof value !== 'string') sink.add('INVALID_LABEL_VALUE', [...path, key], `label value of ${q(key)} must be a string, got ${q(value)}`);
    else if (!lowerKeys) for (const p of labelValueProblems(value)) sink.add('INVALID_LABEL_VALUE', [...path, key], `label value ${q(value)}: ${p}`);
  }
}

/** ValidateLabelSelector: matchExpressions operators, keys and values, then matchLabels. */
function validateSelector(selector: LabelSelector, path: Path, sink: IssueSink): void {
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = [...path, 'matchExpressions', i];
    const values = req.values ?? [];
    const op: string = req.operator;
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) sink.add('INVALID_SELECTOR', [...at, 'values'], `operator ${op} on ${q(req.key)} needs at least one value`);
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) sink.add('INVALID_SELECTOR', [...at, 'values'], `operator ${op} on ${q(req.key)} takes no values`);
        break;
      default:
        sink.add('INVALID_SELECTOR', [...at, 'operator'], `${q(op)} is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
    }
    for (const p of qualifiedNameProblems(String(req.key))) sink.add('INVALID_LABEL_KEY', [...at, 'key'], `label key ${q(req.key)}: ${p}`);
    values.forEach((v, j) => {
      const problems = typeof v === 'string' ? labelValueProblems(v) : ['must be a string'];
      for (const p of problems) sink.add('INVALID_LABEL_VALUE', [...at, 'values', j], `label value ${q(v)}: ${p}`);
    });
  });
  validateLabels(selector.matchLabels, [...path, 'matchLabels'], sink);
}

/** ValidateNetworkPolicyPort (DESIGN rule 7 and 13). */
function validatePort(port: NetworkPolicyPort, path: Path, sink: IssueSink): void {
  const protocol: unknown = port.protocol;
  if (protocol !== undefined && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    sink.add('INVALID_PROTOCOL', [...path, 'protocol'], `protocol ${q(protocol)} is not supported (TCP, UDP, SCTP)`);
  }
  const p: unknown = port.port;
  const end: unknown = port.endPort;
  if (p === undefined || p === null) {
    if (end !== undefined) sink.add('ENDPORT_WITHOUT_PORT', [...path, 'endPort'], `endPort ${q(end)} may not be specified when port is not specified`);
    return;
  }
  if (typeof p === 'number') {
    if (!isValidPortNumber(p)) sink.add('INVALID_PORT', [...path, 'port'], `port ${q(p)} must be an integer from 1 to 65535`);
    if (end !== undefined) {
      if (typeof end !== 'number') {
        sink.add('INVALID_PORT', [...path, 'endPort'], `endPort ${q(end)} must be an integer from 1 to 65535`);
        return;
      }
      if (end < p) sink.add('ENDPORT_BELOW_PORT', [...path, 'endPort'], `endPort ${end} must be greater than or equal to port ${p}`);
      if (!isValidPortNumber(end)) sink.add('INVALID_PORT', [...path, 'endPort'], `endPort ${q(end)} must be an integer from 1 to 65535`);
    }
    return;
  }
  if (typeof p === 'string') {
    if (end !== undefined) sink.add('ENDPORT_WITH_NAMED_PORT', [...path, 'endPort'], `endPort ${q(end)} may not be specified when port is non-numeric (${q(p)})`);
    for (const m of ianaSvcNameProblems(p)) sink.add('INVALID_PORT_NAME', [...path, 'port'], `port name ${q(p)}: ${m}`);
    return;
  }
  sink.add('INVALID_PORT', [...path, 'port'], `port ${q(p)} must be a number or a port name`);
}

/** ValidateIPBlock: cidr parses; every except parses and lies strictly inside, same family. */
function validateIpBlock(block: NonNullable<NetworkPolicyPeer['ipBlock']>, path: Path, sink: IssueSink): void {
  const cidrText: unknown = block.cidr;
  if (typeof cidrText !== 'string' || cidrText === '') {
    sink.add('INVALID_CIDR', [...path, 'cidr'], 'cidr is required');
    return;
  }
  const cidr = parseCidr(cidrText);
  if (!cidr) {
    sink.add('INVALID_CIDR', [...path, 'cidr'], `${q(cidrText)} is not a valid CIDR (e.g. 10.9.8.0/24 or 2001:db8::/64)`);
    return;
  }
  (block.except ?? []).forEach((text, j) => {
    const at = [...path, 'except', j];
    const except = typeof text === 'string' ? parseCidr(text) : undefined;
    if (!except) sink.add('INVALID_CIDR', at, `${q(text)} is not a valid CIDR (e.g. 10.9.8.0/24 or 2001:db8::/64)`);
    else if (!isStrictSubnet(except, cidr)) sink.add('EXCEPT_OUTSIDE_CIDR', at, `except ${q(text)} must be a strict subset of cidr ${q(cidrText)}`);
  });
}

/** ValidateNetworkPolicyPeer: at least one of the three; ipBlock alone. */
function validatePeer(peer: NetworkPolicyPeer, path: Path, sink: IssueSink): void {
  let count = 0;
  if (peer.podSelector) {
    count++;
    validateSelector(peer.podSelector, [...path, 'podSelector'], sink);
  }
  if (peer.namespaceSelector) {
    count++;
    validateSelector(peer.namespaceSelector, [...path, 'namespaceSelector'], sink);
  }
  if (peer.ipBlock) {
    count++;
    validateIpBlock(peer.ipBlock, [...path, 'ipBlock'], sink);
  }
  if (count === 0) sink.add('EMPTY_PEER', path, 'a peer must specify podSelector, namespaceSelector or ipBlock');
  else if (count > 1 && peer.ipBlock) sink.add('IPBLOCK_WITH_SELECTOR', path, 'a peer may not specify both ipBlock and a selector');
}

/**
 * Every problem the API server would reject `policy` for, in the API server's order
 * (metadata, podSelector, ingress, egress, policyTypes). Empty when the policy is valid.
 * Paths are into the policy object, e.g. `['spec', 'ingress', 0, 'ports', 1, 'endPort']`.
 * The CIDR rules are those the API server applies by default (see policy/cidr.ts).
 */
export function validatePolicy(policy: NetworkPolicy): PolicyIssue[] {
  const sink = new IssueSink();
  const { name, namespace, labels, annotations } = policy.metadata;
  if (typeof name !== 'string' || name === '') sink.add('INVALID_NAME', ['metadata', 'name'], 'name is required');
  else for (const p of dns1123SubdomainProblems(name)) sink.add('INVALID_NAME', ['metadata', 'name'], `name ${q(name)}: ${p}`);
  if (typeof namespace !== 'string' || namespace === '') sink.add('INVALID_NAME', ['metadata', 'namespace'], 'namespace is required');
  else for (const p of dns1123LabelProblems(namespace)) sink.add('INVALID_NAME', ['metadata', 'namespace'], `namespace ${q(namespace)}: ${p}`);
  validateLabels(labels, ['metadata', 'labels'], sink);
  // Annotation keys are qualified names compared in lower case; values are free text.
  validateLabels(annotations, ['metadata', 'annotations'], sink, true);

  const spec = policy.spec;
  validateSelector(spec.podSelector ?? {}, ['spec', 'podSelector'], sink);
  (spec.ingress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((port, j) => validatePort(port, ['spec', 'ingress', i, 'ports', j], sink));
    (rule.from ?? []).forEach((peer, j) => validatePeer(peer, ['spec', 'ingress', i, 'from', j], sink));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((port, j) => validatePort(port, ['spec', 'egress', i, 'ports', j], sink));
    (rule.to ?? []).forEach((peer, j) => validatePeer(peer, ['spec', 'egress', i, 'to', j], sink));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    sink.add('INVALID_POLICY_TYPE', ['spec', 'policyTypes'], `policyTypes may not list more than two types, got ${types.length}`);
  } else {
    types.forEach((t, i) => {
      const s: string = t;
      if (s !== 'Ingress' && s !== 'Egress') sink.add('INVALID_POLICY_TYPE', ['spec', 'policyTypes', i], `policy type ${q(s)} is not supported (Ingress, Egress)`);
    });
  }
  return sink.issues;
}
