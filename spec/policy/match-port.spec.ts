import { expect } from 'chai';
import { formatRulePort, portMatches, type ContainerPort } from '../../src/policy/match-port.js';
import type { DefaultedPort, Protocol } from '../../src/policy/types.js';

const POD: readonly ContainerPort[] = [
  { port: 8080, protocol: 'TCP', name: 'http' },
  { port: 53, protocol: 'UDP', name: 'dns' },
  { port: 53, protocol: 'TCP', name: 'dns-tcp' },
];

const ROWS: readonly [string, DefaultedPort, number, Protocol, readonly ContainerPort[] | undefined, boolean][] = [
  ['numeric port', { protocol: 'TCP', port: 80 }, 80, 'TCP', POD, true],
  ['numeric port, other protocol', { protocol: 'TCP', port: 80 }, 80, 'UDP', POD, false],
  ['protocol only = all its ports', { protocol: 'UDP' }, 5353, 'UDP', POD, true],
  ['protocol only, other protocol', { protocol: 'UDP' }, 53, 'TCP', POD, false],
  ['endPort lower bound', { protocol: 'TCP', port: 8000, endPort: 8080 }, 8000, 'TCP', POD, true],
  ['endPort upper bound inclusive', { protocol: 'TCP', port: 8000, endPort: 8080 }, 8080, 'TCP', POD, true],
  ['endPort above', { protocol: 'TCP', port: 8000, endPort: 8080 }, 8081, 'TCP', POD, false],
  ['named port on the destination', { protocol: 'TCP', port: 'http' }, 8080, 'TCP', POD, true],
  ['named port, other number', { protocol: 'TCP', port: 'http' }, 80, 'TCP', POD, false],
  ['named port by name AND protocol', { protocol: 'TCP', port: 'dns' }, 53, 'TCP', POD, false],
  ['named port UDP', { protocol: 'UDP', port: 'dns' }, 53, 'UDP', POD, true],
  ['named port on a non-pod destination', { protocol: 'TCP', port: 'http' }, 8080, 'TCP', undefined, false],
  ['SCTP', { protocol: 'SCTP', port: 9 }, 9, 'SCTP', POD, true],
];

describe('policy/match-port (DESIGN rule 7)', () => {
  for (const [name, rule, port, protocol, pod, want] of ROWS) it(name, () => expect(portMatches(rule, port, protocol, pod)).to.equal(want));
  it('formats rule ports', () => {
    expect([{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }, { protocol: 'TCP', port: 1, endPort: 9 }, { protocol: 'TCP', port: 'http' }].map((p) => formatRulePort(p as DefaultedPort))).to.deep.equal(['80/TCP', 'all UDP ports', '1-9/TCP', 'http/TCP']);
  });
});
