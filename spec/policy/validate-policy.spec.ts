/** validatePolicy: one row per PolicyIssueCode (code + path), plus valid policies that must pass. */
import { expect } from 'chai';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import type { NetworkPolicy, NetworkPolicySpec, PolicyIssueCode } from '../../src/policy/types.js';

function policy(spec: Partial<NetworkPolicySpec> & Record<string, unknown>, meta: Partial<NetworkPolicy['metadata']> = {}): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'ns', ...meta },
    spec: { podSelector: {}, ...spec } as NetworkPolicySpec,
  };
}

/** Casts invalid input (the loader hands over whatever YAML said). */
const raw = <T>(v: unknown): T => v as T;

interface Row {
  readonly code: PolicyIssueCode;
  readonly name: string;
  readonly policy: NetworkPolicy;
  readonly path: readonly (string | number)[];
}

const ROWS: readonly Row[] = [
  { code: 'INVALID_NAME', name: 'upper-case policy name', policy: policy({}, { name: 'Allow' }), path: ['metadata', 'name'] },
  { code: 'INVALID_NAME', name: 'policy name over 253 characters', policy: policy({}, { name: 'a'.repeat(254) }), path: ['metadata', 'name'] },
  { code: 'INVALID_NAME', name: 'dotted namespace (a label, not a subdomain)', policy: policy({}, { namespace: 'a.b' }), path: ['metadata', 'namespace'] },
  { code: 'INVALID_NAME', name: 'empty name', policy: policy({}, { name: '' }), path: ['metadata', 'name'] },
  { code: 'INVALID_LABEL_KEY', name: 'matchLabels key with two slashes', policy: policy({ podSelector: { matchLabels: { 'a/b/c': 'x' } } }), path: ['spec', 'podSelector', 'matchLabels', 'a/b/c'] },
  { code: 'INVALID_LABEL_KEY', name: 'expression key with a bad prefix', policy: policy({ ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'Bad_Prefix/app', operator: 'Exists' }] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchExpressions', 0, 'key'] },
  { code: 'INVALID_LABEL_KEY', name: 'metadata label key with an empty name part', policy: policy({}, { labels: { 'example.com/': 'x' } }), path: ['metadata', 'labels', 'example.com/'] },
  { code: 'INVALID_LABEL_VALUE', name: 'matchLabels value with a space', policy: policy({ egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'a b' } } }] }] }), path: ['spec', 'egress', 0, 'to', 0, 'namespaceSelector', 'matchLabels', 'team'] },
  { code: 'INVALID_LABEL_VALUE', name: 'In value ending with a dash', policy: policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['ok', 'web-'] }] } }), path: ['spec', 'podSelector', 'matchExpressions', 0, 'values', 1] },
  { code: 'INVALID_SELECTOR', name: 'In without values', policy: policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }), path: ['spec', 'podSelector', 'matchExpressions', 0, 'values'] },
  { code: 'INVALID_SELECTOR', name: 'NotIn with values absent', policy: policy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn' }] } }), path: ['spec', 'podSelector', 'matchExpressions', 0, 'values'] },
  { code: 'INVALID_SELECTOR', name: 'Exists with values', policy: policy({ ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchExpressions', 0, 'values'] },
  { code: 'INVALID_SELECTOR', name: 'unknown operator', policy: policy({ podSelector: { matchExpressions: [raw({ key: 'a', operator: 'Equals', values: ['x'] })] } }), path: ['spec', 'podSelector', 'matchExpressions', 0, 'operator'] },
  { code: 'INVALID_PORT', name: 'port 0', policy: policy({ ingress: [{ ports: [{ port: 0 }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'port'] },
  { code: 'INVALID_PORT', name: 'port 65536', policy: policy({ egress: [{ ports: [{ port: 80 }, { port: 65536 }] }] }), path: ['spec', 'egress', 0, 'ports', 1, 'port'] },
  { code: 'INVALID_PORT', name: 'endPort 70000', policy: policy({ ingress: [{ ports: [{ port: 80, endPort: 70000 }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'endPort'] },
  { code: 'INVALID_PORT_NAME', name: 'named port with upper case', policy: policy({ ingress: [{ ports: [{ port: 'HTTP' }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'port'] },
  { code: 'INVALID_PORT_NAME', name: 'named port of digits only ("80" as a string)', policy: policy({ ingress: [{ ports: [{ port: '80' }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'port'] },
  { code: 'INVALID_PORT_NAME', name: 'named port over 15 characters', policy: policy({ ingress: [{ ports: [{ port: 'abcdefghijklmnop' }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'port'] },
  { code: 'INVALID_PORT_NAME', name: 'named port with a double hyphen', policy: policy({ ingress: [{ ports: [{ port: 'a--b' }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'port'] },
  { code: 'INVALID_PROTOCOL', name: 'lower-case protocol', policy: policy({ ingress: [{ ports: [{ port: 80, protocol: raw('tcp') }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'protocol'] },
  { code: 'INVALID_PROTOCOL', name: 'ICMP', policy: policy({ egress: [{ ports: [{ protocol: raw('ICMP') }] }] }), path: ['spec', 'egress', 0, 'ports', 0, 'protocol'] },
  { code: 'ENDPORT_WITHOUT_PORT', name: 'endPort with no port', policy: policy({ ingress: [{ ports: [{ endPort: 90 }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'endPort'] },
  { code: 'ENDPORT_WITH_NAMED_PORT', name: 'endPort with a named port', policy: policy({ ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'endPort'] },
  { code: 'ENDPORT_BELOW_PORT', name: 'endPort below port', policy: policy({ ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }), path: ['spec', 'ingress', 0, 'ports', 0, 'endPort'] },
  { code: 'INVALID_CIDR', name: 'cidr without a prefix', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1' } }] }] }), path: ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr'] },
  { code: 'INVALID_CIDR', name: 'prefix too long', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }), path: ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr'] },
  { code: 'INVALID_CIDR', name: 'empty cidr', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: '' } }] }] }), path: ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr'] },
  { code: 'INVALID_CIDR', name: 'IPv6 zone', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: 'fe80::1%eth0/64' } }] }] }), path: ['spec', 'egress', 0, 'to', 0, 'ipBlock', 'cidr'] },
  { code: 'INVALID_CIDR', name: 'unparsable except entry', policy: policy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.300.0.0/16'] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 1] },
  { code: 'EXCEPT_OUTSIDE_CIDR', name: 'except outside the cidr', policy: policy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0] },
  { code: 'EXCEPT_OUTSIDE_CIDR', name: 'except equal to the cidr (not strictly inside)', policy: policy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0] },
  { code: 'EXCEPT_OUTSIDE_CIDR', name: 'except of the other IP family', policy: policy({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['fd00::/8'] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0] },
  { code: 'EXCEPT_OUTSIDE_CIDR', name: 'except wider than the cidr', policy: policy({ ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16', except: ['10.0.0.0/8'] } }] }] }), path: ['spec', 'ingress', 0, 'from', 0, 'ipBlock', 'except', 0] },
  { code: 'IPBLOCK_WITH_SELECTOR', name: 'ipBlock with a podSelector', policy: policy({ ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }), path: ['spec', 'ingress', 0, 'from', 1] },
  { code: 'IPBLOCK_WITH_SELECTOR', name: 'ipBlock with a namespaceSelector', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }] }] }), path: ['spec', 'egress', 0, 'to', 0] },
  { code: 'EMPTY_PEER', name: 'a peer with nothing', policy: policy({ egress: [{ to: [{}] }] }), path: ['spec', 'egress', 0, 'to', 0] },
  { code: 'INVALID_POLICY_TYPE', name: 'lower-case policy type', policy: policy({ policyTypes: [raw('ingress')] }), path: ['spec', 'policyTypes', 0] },
  { code: 'INVALID_POLICY_TYPE', name: 'three policy types', policy: policy({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }), path: ['spec', 'policyTypes'] },
];

const VALID: readonly { readonly name: string; readonly policy: NetworkPolicy }[] = [
  { name: 'deny-all', policy: policy({ policyTypes: ['Ingress', 'Egress'] }) },
  { name: 'dotted policy name, prefixed label keys, empty label value', policy: policy({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', empty: '' } } }, { name: 'allow.web-1', labels: { 'example.com/owner': 'Team_A.1' } }) },
  { name: 'ports: range, named, protocol only, SCTP', policy: policy({ ingress: [{ ports: [{ port: 8000, endPort: 8080 }, { port: 'http-alt' }, { protocol: 'UDP' }, { port: 9, protocol: 'SCTP' }, { port: 80, endPort: 80 }] }] }) },
  { name: 'cidrs the API server accepts: host bits, leading zeros, IPv6, v4-mapped', policy: policy({ egress: [{ to: [{ ipBlock: { cidr: '10.1.2.3/8', except: ['010.001.0.0/16'] } }, { ipBlock: { cidr: '2001:DB8::/32', except: ['2001:db8:1::/48'] } }, { ipBlock: { cidr: '::ffff:10.0.0.0/104' } }, { ipBlock: { cidr: '0.0.0.0/0' } }] }] }) },
  { name: 'selectors with every operator', policy: policy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }, { key: 'b', operator: 'NotIn', values: ['y'] }, { key: 'c', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist', values: [] }] } }) },
  { name: 'duplicate policy types (the API server allows two entries)', policy: policy({ policyTypes: ['Egress', 'Egress'] }) },
  { name: 'empty rules and lists', policy: policy({ ingress: [{}, { from: [], ports: [] }], egress: [] }) },
];

describe('validatePolicy (DESIGN rule 13)', () => {
  for (const row of ROWS) {
    it(`${row.code}: ${row.name}`, () => {
      const issues = validatePolicy(row.policy);
      expect(issues.map((i) => ({ code: i.code, path: i.path }))).to.deep.include({ code: row.code, path: row.path });
      for (const issue of issues) expect(issue.message).to.be.a('string').and.not.equal('');
    });
  }
  for (const row of VALID) {
    it(`accepts ${row.name}`, () => {
      expect(validatePolicy(row.policy)).to.deep.equal([]);
    });
  }
  it('has a row for every PolicyIssueCode', () => {
    const all: Record<PolicyIssueCode, true> = {
      INVALID_NAME: true, INVALID_LABEL_KEY: true, INVALID_LABEL_VALUE: true, INVALID_SELECTOR: true, INVALID_PORT: true,
      INVALID_PORT_NAME: true, INVALID_PROTOCOL: true, ENDPORT_WITHOUT_PORT: true, ENDPORT_WITH_NAMED_PORT: true,
      ENDPORT_BELOW_PORT: true, INVALID_CIDR: true, EXCEPT_OUTSIDE_CIDR: true, IPBLOCK_WITH_SELECTOR: true, EMPTY_PEER: true, INVALID_POLICY_TYPE: true,
    };
    const covered = new Set(ROWS.map((r) => r.code));
    for (const code of Object.keys(all)) expect(covered.has(code as PolicyIssueCode), code).to.equal(true);
  });
  it('collects every problem instead of stopping at the first, in the API server order', () => {
    const issues = validatePolicy(policy({ ingress: [{ ports: [{ port: 0 }], from: [{}] }], policyTypes: [raw('X')] }, { name: 'Bad' }));
    expect(issues.map((i) => i.code)).to.deep.equal(['INVALID_NAME', 'INVALID_PORT', 'EMPTY_PEER', 'INVALID_POLICY_TYPE']);
  });
  it('reports endPort below port and out of range together, as the API server does', () => {
    const issues = validatePolicy(policy({ ingress: [{ ports: [{ port: 80, endPort: 0 }] }] }));
    expect(issues.map((i) => i.code)).to.deep.equal(['ENDPORT_BELOW_PORT', 'INVALID_PORT']);
  });
});
