/**
 * One problem in the user's input, positioned by character offsets. Line and column are
 * computed only when rendering (report/render-diagnostic.ts).
 */
import type { PolicyIssueCode } from '../policy/types.js';

export type DiagnosticCode =
  | PolicyIssueCode
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_OUTSIDE_ROOT'
  | 'LIMIT_EXCEEDED'
  | 'RESERVED_NAME'
  | 'RESERVED_ADDRESS'
  | 'PORT_CONFLICT'
  | 'YAML_SYNTAX'
  | 'UNKNOWN_KEY'
  | 'MISSING_KEY'
  | 'INVALID_VALUE'
  | 'INVALID_TYPE'
  | 'DUPLICATE_NAME'
  | 'UNKNOWN_NAMESPACE'
  | 'UNKNOWN_WORKLOAD'
  | 'AMBIGUOUS_WORKLOAD'
  | 'UNKNOWN_EXTERNAL'
  | 'UNKNOWN_POLICY'
  | 'UNKNOWN_PORT'
  | 'NAMESPACE_REQUIRED'
  | 'NOT_A_NETWORK_POLICY'
  | 'INVALID_EXPECTATION'
  | 'INVALID_PLACEHOLDER'
  | 'NO_SCENARIOS';

/** What the user should do, per code. A new code without a hint does not compile. */
export const HINTS: Readonly<Record<DiagnosticCode, string>> = {
  INVALID_NAME: 'names are DNS-1123: lower-case letters, digits and "-", starting and ending with an alphanumeric, at most 63 characters (253 for policy names)',
  INVALID_LABEL_KEY: 'a label key is an optional DNS-1123 subdomain prefix and "/", then a name of at most 63 characters of [A-Za-z0-9._-] starting and ending with an alphanumeric',
  INVALID_LABEL_VALUE: 'a label value is empty or at most 63 characters of [A-Za-z0-9._-] starting and ending with an alphanumeric',
  INVALID_SELECTOR: 'In and NotIn need a non-empty `values`; Exists and DoesNotExist take no `values`',
  INVALID_PORT: 'ports are integers from 1 to 65535',
  INVALID_PORT_NAME: 'a named port is an IANA service name: at most 15 lower-case letters, digits and "-", with at least one letter, no leading, trailing or double "-"',
  INVALID_PROTOCOL: 'protocol is one of TCP, UDP, SCTP (upper case)',
  ENDPORT_WITHOUT_PORT: 'endPort needs a numeric `port` as the start of the range',
  ENDPORT_WITH_NAMED_PORT: 'endPort needs a numeric `port`; a named port cannot start a range',
  ENDPORT_BELOW_PORT: 'endPort must be greater than or equal to port',
  INVALID_CIDR: 'write a CIDR such as 10.0.0.0/16 or fd00::/64',
  EXCEPT_OUTSIDE_CIDR: 'every `except` entry must lie strictly inside the ipBlock cidr, of the same IP family',
  IPBLOCK_WITH_SELECTOR: 'an ipBlock peer cannot also have podSelector or namespaceSelector: make them separate peers',
  EMPTY_PEER: 'a peer needs at least one of podSelector, namespaceSelector, ipBlock',
  INVALID_POLICY_TYPE: 'policyTypes holds Ingress and/or Egress',
  FILE_NOT_FOUND: 'check the path: a path on the command line is relative to the current folder, a `file:` entry to its scenario file',
  FILE_UNREADABLE: 'scenarios and manifests are regular files the harness can read (not folders, FIFOs, devices or sockets)',
  FILE_OUTSIDE_ROOT: '`file:` entries stay inside the scenario\'s folder; pass --root DIR to allow a wider folder (symlinks are followed, then judged)',
  LIMIT_EXCEEDED: 'split the scenario or make it smaller; docs/scenario-format.md lists the limits',
  RESERVED_NAME: 'rename it: Kubernetes and netpol-harness reserve these names and label keys for themselves',
  RESERVED_ADDRESS: 'use an address outside the cluster that a probe can reach, such as one of 192.0.2.0/24 (documentation) or a real service',
  PORT_CONFLICT: 'the probe agent beside each workload needs a free TCP port among 8080, 18080, 28080, 38080, 48080, 58080, 65080 (and the UDP port above it): serve one of them less',
  YAML_SYNTAX: 'fix the YAML syntax at this position',
  UNKNOWN_KEY: 'remove the key or fix its spelling; see schema/scenario.schema.json for the allowed keys',
  MISSING_KEY: 'add the required key',
  INVALID_VALUE: 'use one of the allowed values',
  INVALID_TYPE: 'use a value of the expected type',
  DUPLICATE_NAME: 'names must be unique in their scope',
  UNKNOWN_NAMESPACE: 'declare the namespace under spec.namespaces, or fix the name',
  UNKNOWN_WORKLOAD: 'declare the workload under spec.workloads, or fix the name (<namespace>/<name> when the short name is not unique)',
  AMBIGUOUS_WORKLOAD: 'several namespaces have a workload of this name: write <namespace>/<name>',
  UNKNOWN_EXTERNAL: 'declare the external under spec.externals, or fix the name',
  UNKNOWN_POLICY: 'only a policy applied by an earlier step can be deleted: write <namespace>/<name>',
  UNKNOWN_PORT: 'use a port number or a port name that the target serves',
  NAMESPACE_REQUIRED: 'in a scenario of several namespaces, name the namespace where the object is written (metadata.namespace, or namespace: of the workload), or set spec.defaultNamespace for the whole scenario',
  NOT_A_NETWORK_POLICY: 'steps apply only apiVersion networking.k8s.io/v1, kind NetworkPolicy',
  INVALID_EXPECTATION: 'write `<allow|deny> <from> -> <to>[:<port>[/<tcp|udp|sctp>]]`, e.g. `deny frontend -> database:5432`',
  INVALID_PLACEHOLDER: 'write ${ip:<ns>/<workload>}, ${cidr:<ns>/<workload>} or ${cidr:<ns>/<workload>/<prefix>}',
  NO_SCENARIOS: 'name scenario files (*.yaml) or folders that hold them',
};

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly file: string;
  /** Character offsets [start, end) in `file`; [0, 0] when no position is known. */
  readonly range: readonly [number, number];
  /** Names the offending value. */
  readonly message: string;
}
