/**
 * Ports and protocols: numeric ports, protocol defaults, a protocol without a port, several
 * ports, endPort ranges, named ports resolved on each destination pod by name and protocol,
 * UDP and SCTP.
 */
import { ALL_PODS, np, onlyFrom, onlyInto, podsOf, type Case, type Json } from '../case-kit.js';

type Direction = 'ingress' | 'egress';

/**
 * A rule on x/a with no peers (everyone) and `ports`; every other pod may reach x/a (ingress),
 * or x/a may reach every other pod (egress), on exactly `open` (expectation port filters).
 */
function portCase(direction: Direction, variant: string, title: string, ports: readonly Json[], open: readonly string[], tags: string[], topology: Case['topology'] = 'tcp-udp'): Case {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const others = ALL_PODS.filter((r) => r !== 'x/a');
  const allowed = others.flatMap((r) => open.map((port) => [r, port] as const));
  return {
    name: `ports-${direction}-${variant}`,
    title: `An ${direction} rule on x/a with ports ${title} opens exactly ${open.length === 0 ? 'nothing' : open.join(', ')}`,
    tags: ['ports', direction, ...tags],
    topology,
    steps: [
      {
        name: `${direction} of x/a on ${title}`,
        apply: [np('x', 'ports', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: [type], [direction]: [{ ports }] })],
        expect: direction === 'ingress' ? onlyInto(['x/a'], allowed) : onlyFrom(['x/a'], allowed),
      },
    ],
  };
}

function portCases(direction: Direction): Case[] {
  return [
    portCase(direction, 'tcp-80', '[80] (protocol defaults to TCP)', [{ port: 80 }], [':80/tcp'], ['port-numeric', 'protocol-default-tcp']),
    portCase(direction, 'udp-81', '[81/UDP]', [{ port: 81, protocol: 'UDP' }], [':81/udp'], ['port-numeric', 'udp']),
    portCase(direction, 'udp-any', '[UDP, no port] (every UDP port)', [{ protocol: 'UDP' }], [':80/udp', ':81/udp'], ['protocol-without-port', 'udp']),
    portCase(direction, 'tcp-any', '[TCP, no port] (every TCP port)', [{ protocol: 'TCP' }], [':80/tcp', ':81/tcp'], ['protocol-without-port']),
    portCase(direction, 'several', '[80/TCP, 81/UDP]', [{ port: 80 }, { port: 81, protocol: 'UDP' }], [':80/tcp', ':81/udp'], ['port-several', 'udp']),
    portCase(direction, 'named-udp', '[serve-80-udp/UDP] (a named port)', [{ port: 'serve-80-udp', protocol: 'UDP' }], [':80/udp'], ['named-port', 'udp']),
    // The name exists only for UDP; with the default protocol TCP it names nothing.
    portCase(direction, 'named-wrong-protocol', '[serve-80-udp] (named, protocol defaults to TCP: no such TCP port)', [{ port: 'serve-80-udp' }], [], ['named-port', 'named-port-protocol']),
    portCase(direction, 'end-port', '[80-81/TCP] (endPort, inclusive)', [{ port: 80, endPort: 81 }], [':80/tcp', ':81/tcp'], ['end-port']),
    portCase(direction, 'end-port-udp', '[80-81/UDP] (endPort)', [{ port: 80, endPort: 81, protocol: 'UDP' }], [':80/udp', ':81/udp'], ['end-port', 'udp']),
    portCase(direction, 'end-port-single', '[81-81/TCP] (endPort equal to port)', [{ port: 81, endPort: 81 }], [':81/tcp'], ['end-port']),
    portCase(direction, 'sctp-80', '[80/SCTP] (not TCP 80)', [{ port: 80, protocol: 'SCTP' }], [':80/sctp'], ['sctp'], 'sctp'),
    portCase(direction, 'tcp-not-sctp', '[80/TCP] (SCTP 80 stays closed)', [{ port: 80 }], [':80/tcp'], ['sctp', 'port-numeric'], 'sctp'),
  ];
}

/**
 * Named ports resolve on each destination pod, by name AND protocol (the `named-ports`
 * topology): `web` is 80/TCP on pod a, 81/TCP on pod b, 80/UDP on pod c.
 */
function namedCase(variant: string, title: string, spec: Json, expect: string[], tags: string[]): Case {
  return {
    name: `named-port-${variant}`,
    title,
    tags: ['named-port', 'named-port-per-pod', ...tags],
    topology: 'named-ports',
    steps: [{ name: title, apply: [np('x', 'named', spec)], expect }],
  };
}

const webByPod: Record<string, string> = { a: ':80/tcp', b: ':81/tcp' };

const namedCases: Case[] = [
  namedCase(
    'ingress-tcp',
    'An ingress rule on every pod of x allowing port web (TCP) opens 80 on x/a, 81 on x/b, and nothing on x/c (its web is UDP)',
    { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'web' }] }] },
    podsOf('x').flatMap((t) => [`deny * -> ${t}`, ...(webByPod[t.slice(2)] ? [`allow * -> ${t}${webByPod[t.slice(2)]}`] : [])]),
    ['ingress'],
  ),
  namedCase(
    'ingress-udp',
    'An ingress rule on every pod of x allowing port web/UDP opens only x/c 80/UDP',
    { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'web', protocol: 'UDP' }] }] },
    [...podsOf('x').map((t) => `deny * -> ${t}`), 'allow * -> x/c:80/udp'],
    ['ingress', 'udp'],
  ),
  namedCase(
    'egress-tcp',
    'An egress rule on x/a allowing port web (TCP) reaches 80 on every pod a, 81 on every pod b, nothing on pods c',
    { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'web' }] }] },
    [
      'deny x/a -> *',
      ...ALL_PODS.filter((t) => t !== 'x/a' && webByPod[t.slice(2)] !== undefined).map((t) => `allow x/a -> ${t}${webByPod[t.slice(2)]}`),
    ],
    ['egress'],
  ),
  namedCase(
    'two-names',
    'An ingress rule on x/a and x/b allowing ports web and admin opens both their TCP ports',
    { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'web' }, { port: 'admin' }] }] },
    ['deny * -> x/a', 'deny * -> x/b', 'allow * -> x/a:80/tcp', 'allow * -> x/a:81/tcp', 'allow * -> x/b:80/tcp', 'allow * -> x/b:81/tcp'],
    ['ingress', 'port-several'],
  ),
];

export const portCasesAll: readonly Case[] = [...portCases('ingress'), ...portCases('egress'), ...namedCases];
