import { expect } from 'chai';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type { NetworkPolicy } from '../../src/policy/types.js';
import { hasPlaceholders, placeholderText, resolvePlaceholders, scanPlaceholders } from '../../src/scenario/placeholders.js';
import { toWorkloadRef } from '../../src/scenario/types.js';

const policy = (cidr: string, except: string[] = []): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'x', annotations: { note: 'keep ${HOME}' } },
  spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr, except } }] }] },
});

const IPS = new Map([
  [toWorkloadRef('x', 'b'), '10.244.1.7'],
  [toWorkloadRef('x', 'v6'), 'fd00:10:244::1:7'],
]);

describe('scenario/placeholders', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['${ip:x/b}/32', '10.244.1.7/32'],
    ['${cidr:x/b}', '10.244.1.7/32'],
    ['${cidr:x/b/4}', '0.0.0.0/4'],
    ['${cidr:x/b/24}', '10.244.1.0/24'],
    ['${cidr:x/b/0}', '0.0.0.0/0'],
    ['${cidr:x/b/64}', '10.244.1.7/32'],
    ['${cidr:x/v6}', 'fd00:10:244::1:7/128'],
    ['${cidr:x/v6/48}', 'fd00:10:244::/48'],
    ['a ${ip:x/b} and ${ip:x/v6}', 'a 10.244.1.7 and fd00:10:244::1:7'],
    ['no placeholder', 'no placeholder'],
  ];
  for (const [text, want] of rows) {
    it(`resolves ${JSON.stringify(text)} -> ${JSON.stringify(want)}`, () => {
      const input = policy(text);
      const out = resolvePlaceholders(input, IPS);
      expect(out.spec.egress?.[0]?.to?.[0]?.ipBlock?.cidr).to.equal(want);
      expect(input.spec.egress?.[0]?.to?.[0]?.ipBlock?.cidr, 'input unchanged').to.equal(text);
      expect(out.metadata.annotations).to.deep.equal({ note: 'keep ${HOME}' });
    });
  }

  const errors: ReadonlyArray<readonly [string, number, number]> = [
    ['${ip:x}', 0, 7],
    ['${ip:x/b/4}', 0, 11],
    ['10.0.0.0/8 ${cidr:x/b/129}', 11, 26],
    ['${cidr:x/B}', 0, 11],
    ['${mac:x/b}', 0, 10],
    ['${ip}', 0, 5],
    ['${ip:x/b', 0, 8],
  ];
  for (const [text, start, end] of errors) {
    it(`rejects ${JSON.stringify(text)} at [${start}, ${end})`, () => {
      const scan = scanPlaceholders(text);
      expect(scan.placeholders).to.deep.equal([]);
      expect(scan.errors.map((e) => [e.start, e.end])).to.deep.equal([[start, end]]);
    });
  }

  it('leaves ${...} that is not a placeholder alone', () => {
    expect(scanPlaceholders('${HOME} $x {ip:x/b}')).to.deep.equal({ placeholders: [], errors: [] });
  });

  it('hasPlaceholders', () => {
    expect(hasPlaceholders(policy('${cidr:x/b}'))).to.equal(true);
    expect(hasPlaceholders(policy('10.0.0.0/8', ['${cidr:x/b/16}']))).to.equal(true);
    expect(hasPlaceholders(policy('10.0.0.0/8'))).to.equal(false);
  });

  it('throws for a workload the topology lacks (a caller bug)', () => {
    expect(() => resolvePlaceholders(policy('${ip:x/zz}'), IPS)).to.throw(/x\/zz/);
  });

  it('property: ${cidr:..} is the network ipaddr.js computes, and contains the IP', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 128 }), (ip, prefix) => {
        const text = placeholderText({ kind: 'cidr', prefix }, ip);
        const address = ipaddr.parse(ip);
        const [network, bits] = ipaddr.parseCIDR(text);
        expect(bits).to.equal(Math.min(prefix, address.kind() === 'ipv4' ? 32 : 128));
        expect(address.match(network, bits)).to.equal(true);
        expect(text).to.equal(`${ipaddr.parseCIDR(`${ip}/${bits}`)[0].kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${bits}`)}/${bits}`);
      }),
      { numRuns: 200 },
    );
  });
});
