/**
 * Traffic that starts outside the cluster (external clients, judged by ipBlock ingress rules
 * alone) and DNS lookups over TCP, on the shared x/y/z topology with expectations written
 * from the spec. `*` as a source covers workloads only, so each case says what the clients
 * may reach.
 */
import { ALL, np, onlyFrom, onlyInto, pod, type Case, type Json } from '../case-kit.js';

function one(name: string, title: string, tags: string[], policies: Json[], expect: string[], topology: Case['topology'], probe?: Json): Case {
  return { name, title, tags, topology, ...(probe ? { probe } : {}), steps: [{ name: title, apply: policies, expect }] };
}

/** Both clients reach every pod, before the case's policies narrow it. */
const CLIENTS_OPEN = ['allow partner -> *', 'allow stranger -> *'];

const clients: Case[] = [
  one('ipblock-ingress-external-except', 'An ingress ipBlock 192.0.2.0/24 except 192.0.2.128/25 admits the client 192.0.2.10 and not 192.0.2.200, and no pod', ['ipblock', 'ipblock-except', 'ipblock-ingress', 'external-client', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }] }] }),
  ], [...onlyInto(['x/a'], []), ...CLIENTS_OPEN, 'deny stranger -> x/a'], 'external-clients'),
  one('ipblock-ingress-external-port', 'An ingress ipBlock 192.0.2.0/24 on port 80 admits both clients to x/a on 80 only', ['ipblock', 'ipblock-ingress', 'external-client', 'ingress', 'port-number'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 80 }] }] }),
  ], [...onlyInto(['x/a'], []), ...CLIENTS_OPEN, 'deny partner -> x/a:81', 'deny stranger -> x/a:81'], 'external-clients'),
  one('ipblock-ingress-external-host', 'An ingress ipBlock 192.0.2.10/32 and a podSelector, ORed: the client 192.0.2.10 and x/b reach x/a', ['ipblock', 'ipblock-ingress', 'external-client', 'ingress', 'peer-or'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.10/32' } }, { podSelector: pod('b') }] }] }),
  ], [...onlyInto(['x/a'], [['x/b']]), ...CLIENTS_OPEN, 'deny stranger -> x/a'], 'external-clients'),
  one('external-client-selectors-never-match', 'An ingress from every namespace (namespaceSelector {}) admits every pod but no client: selectors never match an address outside the cluster', ['external-client', 'ipblock-ingress', 'ingress', 'namespace-selector-empty'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ALL }] }] }),
  ], [...CLIENTS_OPEN, 'deny partner -> x/a', 'deny stranger -> x/a'], 'external-clients'),
  one('external-client-deny-all-ingress', 'A default-deny-ingress in x blocks both clients from every pod of x', ['external-client', 'ingress', 'deny-all'], [
    np('x', 'deny-ingress', { podSelector: ALL, policyTypes: ['Ingress'] }),
  ], [...onlyInto(['x/a', 'x/b', 'x/c'], []), ...CLIENTS_OPEN, 'deny partner -> x/*', 'deny stranger -> x/*'], 'external-clients'),
  one('external-client-egress-irrelevant', 'An egress deny-all in x does not stop the clients reaching x: a flow from outside has no egress side, and replies are not new flows', ['external-client', 'egress', 'deny-all'], [
    np('x', 'deny-egress', { podSelector: ALL, policyTypes: ['Egress'] }),
  ], [...onlyFrom(['x/a', 'x/b', 'x/c'], []), ...CLIENTS_OPEN], 'external-clients'),
];

/** Lookups over UDP and TCP: the DNS probes are `dns:53/UDP` and `dns:53/TCP`. */
const BOTH = { dns: true, dnsProtocols: ['UDP', 'TCP'] };

const dnsTcp: Case[] = [
  one('dns-over-tcp-open', 'Without policies a lookup over TCP succeeds like one over UDP', ['dns', 'dns-tcp'], [], [], 'tcp', BOTH),
  one('dns-over-tcp-udp-rule-only', 'An egress rule for 53/UDP alone lets x/a look names up over UDP, not over TCP', ['dns', 'dns-tcp', 'egress', 'protocol'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
  ], [...onlyFrom(['x/a'], []), 'deny x/a -> dns:53/tcp'], 'tcp', BOTH),
  one('dns-over-tcp-tcp-rule-only', 'An egress rule for 53/TCP alone lets x/a look names up over TCP, not over UDP', ['dns', 'dns-tcp', 'egress', 'protocol'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }] }),
  ], [...onlyFrom(['x/a'], []), 'deny x/a -> dns:53/udp'], 'tcp', BOTH),
  one('dns-over-tcp-both-rules', 'An egress rule for 53 over UDP and TCP lets x/a look names up either way and reach nothing else', ['dns', 'dns-tcp', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] }),
  ], onlyFrom(['x/a'], []), 'tcp', BOTH),
  one('dns-over-tcp-deny-all', 'An egress deny-all on x/a blocks its lookups over UDP and over TCP', ['dns', 'dns-tcp', 'egress', 'deny-all'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'] }),
  ], [...onlyFrom(['x/a'], []), 'deny x/a -> dns'], 'tcp', BOTH),
];

/** External clients and DNS over TCP. */
export const clientAndDnsTcpCases: readonly Case[] = [...clients, ...dnsTcp];
