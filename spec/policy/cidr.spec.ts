import { expect } from 'chai';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { cidrContains, formatIp, ipBlockContains, isStrictSubnet, parseCidr, parseIp, parseIpBlock } from '../../src/policy/cidr.js';

const PARSE: readonly [string, { family: 4 | 6; network: string; prefix: number } | undefined][] = [
  ['10.0.0.0/8', { family: 4, network: '10.0.0.0', prefix: 8 }],
  ['10.1.2.3/8', { family: 4, network: '10.0.0.0', prefix: 8 }],
  ['010.001.0.0/16', { family: 4, network: '10.1.0.0', prefix: 16 }],
  ['10.0.0.0/08', { family: 4, network: '10.0.0.0', prefix: 8 }],
  ['0.0.0.0/0', { family: 4, network: '0.0.0.0', prefix: 0 }],
  ['192.0.2.10/32', { family: 4, network: '192.0.2.10', prefix: 32 }],
  ['2001:DB8::1/32', { family: 6, network: '2001:db8::', prefix: 32 }],
  ['::/0', { family: 6, network: '::', prefix: 0 }],
  ['::1.2.3.4/128', { family: 6, network: '::102:304', prefix: 128 }],
  ['::ffff:10.1.0.0/112', { family: 4, network: '10.1.0.0', prefix: 16 }],
  ['1:2:3:4:5:6:7::/64', { family: 6, network: '1:2:3:4::', prefix: 64 }],
  ['10.0.0.0', undefined],
  ['10.0.0.0/33', undefined],
  ['10.0.0.0/-1', undefined],
  ['10.0.0.0/', undefined],
  ['10.0.0/8', undefined],
  ['256.0.0.0/8', undefined],
  ['0x0a.0.0.0/8', undefined],
  ['10.0.0.0/8 ', undefined],
  ['fe80::1%eth0/64', undefined],
  ['1::2::3/64', undefined],
  [':::1/128', undefined],
  ['1:2:3:4:5:6:7:8:9/64', undefined],
  ['::/129', undefined],
  ['', undefined],
];

const v4 = fc.tuple(fc.constantFrom(10, 192, 0, 255), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map((b) => b.join('.'));
const v6 = fc.tuple(fc.constantFrom(0x2001, 0xfd00, 0), fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 6, maxLength: 6 })).map(([a, b, rest]) => [a, b, ...rest].map((g) => g.toString(16)).join(':'));
const addr = fc.oneof(v4, v6);
const cidrOf = (a: string, p: number): string => `${a}/${a.includes(':') ? p * 4 : p}`;
const cidrArb = fc.tuple(addr, fc.integer({ min: 0, max: 32 })).map(([a, p]) => cidrOf(a, p));

function oracleContains(cidr: string, ip: string): boolean {
  const [net, prefix] = ipaddr.parseCIDR(cidr);
  const a = ipaddr.parse(ip);
  return a.kind() === net.kind() && a.match(net, prefix);
}

describe('policy/cidr (DESIGN rules 9 and 13)', () => {
  for (const [text, want] of PARSE) {
    it(`parseCidr(${JSON.stringify(text)})`, () => {
      const c = parseCidr(text);
      if (!want) return expect(c).to.equal(undefined);
      expect(c).to.not.equal(undefined);
      expect({ family: c!.family, network: formatIp({ family: c!.family, value: c!.network }), prefix: c!.prefix }).to.deep.equal(want);
    });
  }
  it('parseIp: IPv4-mapped IPv6 is IPv4; zones and garbage are rejected', () => {
    expect(parseIp('::ffff:192.0.2.1')).to.deep.equal(parseIp('192.0.2.1'));
    expect(parseIp('fe80::1%eth0')).to.equal(undefined);
    expect(parseIp('1.2.3')).to.equal(undefined);
    expect(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!)).to.equal('2001:db8::1:0:0:1');
  });
  const SUBNET: readonly [string, string, boolean][] = [
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['10.0.0.0/7', '10.0.0.0/8', false],
    ['11.0.0.0/16', '10.0.0.0/8', false],
    ['10.1.2.3/16', '10.0.0.0/8', true],
    ['fd00::/8', '0.0.0.0/0', false],
    ['10.0.0.0/8', '::/0', false],
    ['2001:db8:1::/48', '2001:db8::/32', true],
  ];
  for (const [inner, outer, want] of SUBNET) it(`isStrictSubnet(${inner}, ${outer}) = ${want}`, () => expect(isStrictSubnet(parseCidr(inner)!, parseCidr(outer)!)).to.equal(want));

  it('property: cidr membership agrees with ipaddr.js', () => {
    fc.assert(fc.property(cidrArb, addr, (c, a) => cidrContains(parseCidr(c)!, parseIp(a)!) === oracleContains(c, a)), { numRuns: 2000 });
  });
  it('property: membership of an address derived from the cidr agrees with ipaddr.js', () => {
    fc.assert(
      fc.property(addr, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 255 }), (a, p, low) => {
        const probe = a.includes(':') ? a.replace(/[0-9a-f]+$/, low.toString(16)) : a.replace(/\d+$/, String(low));
        const c = cidrOf(a, p);
        return cidrContains(parseCidr(c)!, parseIp(probe)!) === oracleContains(c, probe);
      }),
      { numRuns: 2000 },
    );
  });
  it('property: ipBlock = cidr minus except agrees with ipaddr.js', () => {
    fc.assert(
      fc.property(cidrArb, fc.array(cidrArb, { maxLength: 3 }), addr, (c, except, a) => {
        const block = parseIpBlock({ cidr: c, except })!;
        const want = oracleContains(c, a) && !except.some((e) => oracleContains(e, a));
        return ipBlockContains(block, parseIp(a)!) === want;
      }),
      { numRuns: 2000 },
    );
  });
});
