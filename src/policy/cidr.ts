/**
 * IP addresses, CIDRs and ipBlocks as the API server parses them (DESIGN rules 9 and 13).
 *
 * The API server validates `ipBlock.cidr` and `except` as a "legacy" CIDR field
 * (k8s.io/utils/net ParseCIDRSloppy, StrictIPCIDRValidation off by default): IPv4 octets are
 * decimal and may have leading zeros (`010.0.0.0/8` is 10.0.0.0/8), the prefix length may
 * have leading zeros, host bits may be set (`10.1.2.3/8` is 10.0.0.0/8), and IPv4-mapped
 * IPv6 is accepted. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) behaves as IPv4 when matching, as
 * Go's `IPNet.Contains` does. The parser below mirrors that behaviour; ipaddr.js serves as
 * the reference in the property specs.
 */

export type IpFamily = 4 | 6;

/** An address: its family and its value as an unsigned integer (32 or 128 bits). */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** A parsed CIDR with host bits cleared. */
export interface Cidr {
  readonly family: IpFamily;
  /** The network address (host bits zero). */
  readonly network: bigint;
  /** Prefix length in the effective family (0-32 or 0-128). */
  readonly prefix: number;
  /**
   * The prefix length as written (an IPv4-mapped `::ffff:10.0.0.0/104` has 104 here and
   * 8 in `prefix`); the API server compares these for "except strictly inside".
   */
  readonly writtenPrefix: number;
  /** The text as written. */
  readonly text: string;
}

/** An ipBlock ready for matching: `cidr` minus every `except`. */
export interface ParsedIpBlock {
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
}

const BIG = 0xffffff;

/** Go's dtoi: leading decimal digits; undefined when none or too large. */
function decimalPrefix(s: string): { n: number; len: number } | undefined {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    if (n >= BIG) return undefined;
  }
  return i === 0 ? undefined : { n, len: i };
}

/** Go's xtoi: leading hex digits; undefined when none or too large. */
function hexPrefix(s: string): { n: number; len: number } | undefined {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else break;
    n = n * 16 + d;
    if (n >= BIG) return undefined;
  }
  return i === 0 ? undefined : { n, len: i };
}

/** Four decimal octets (leading zeros allowed, as the API server's sloppy parser does). */
function parseIpv4Bytes(text: string): number[] | undefined {
  const out: number[] = [];
  let s = text;
  for (let j = 0; j < 4; j++) {
    if (s.length === 0) return undefined;
    if (j > 0) {
      if (s[0] !== '.') return undefined;
      s = s.slice(1);
    }
    const d = decimalPrefix(s);
    if (!d || d.n > 0xff) return undefined;
    out.push(d.n);
    s = s.slice(d.len);
  }
  return s.length === 0 ? out : undefined;
}

/** Sixteen bytes of an IPv6 address: hex groups, one `::`, an optional trailing IPv4. No zones. */
function parseIpv6Bytes(text: string): number[] | undefined {
  const ip: number[] = new Array<number>(16).fill(0);
  let s = text;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    const h = hexPrefix(s);
    if (!h || h.n > 0xffff) return undefined;
    if (h.len < s.length && s[h.len] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIpv4Bytes(s);
      if (!v4) return undefined;
      for (let k = 0; k < 4; k++) ip[i + k] = v4[k]!;
      s = '';
      i += 4;
      break;
    }
    ip[i] = h.n >> 8;
    ip[i + 1] = h.n & 0xff;
    i += 2;
    s = s.slice(h.len);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

function bytesToBigint(bytes: readonly number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;
const V4_MAPPED_MASK = ((1n << 96n) - 1n) << 32n;

function isV4Mapped(v6: bigint): boolean {
  return (v6 & V4_MAPPED_MASK) === V4_MAPPED_PREFIX;
}

/**
 * Parses an IPv4 or IPv6 address as the API server does. IPv4-mapped IPv6 becomes IPv4.
 * Returns undefined when the text is not an address (zones such as `%eth0` are rejected).
 */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4Bytes(text);
  if (v4) return { family: 4, value: bytesToBigint(v4) };
  const v6 = parseIpv6Bytes(text);
  if (!v6) return undefined;
  const value = bytesToBigint(v6);
  return isV4Mapped(value) ? { family: 4, value: value & 0xffffffffn } : { family: 6, value };
}

function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function maskOf(prefix: number, bits: number): bigint {
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

/**
 * Parses `<ip>/<prefix>` as the API server accepts it (see the module comment). Returns
 * undefined when invalid (no `/`, bad address, prefix out of range for the written family).
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  let bytes = parseIpv4Bytes(addr);
  let writtenFamily: IpFamily = 4;
  if (!bytes) {
    bytes = parseIpv6Bytes(addr);
    writtenFamily = 6;
  }
  const d = decimalPrefix(maskText);
  if (!bytes || !d || d.len !== maskText.length || d.n > familyBits(writtenFamily)) return undefined;
  const writtenPrefix = d.n;
  const bits = familyBits(writtenFamily);
  const network = bytesToBigint(bytes) & maskOf(writtenPrefix, bits);
  if (writtenFamily === 6 && writtenPrefix >= 96 && isV4Mapped(network)) {
    // Go: an IPv4-mapped network matches IPv4 addresses with the last 32 bits of the mask.
    return { family: 4, network: network & 0xffffffffn, prefix: writtenPrefix - 96, writtenPrefix, text };
  }
  return { family: writtenFamily, network, prefix: writtenPrefix, writtenPrefix, text };
}

/** True when `ip` lies inside `cidr` (same family only). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = familyBits(cidr.family);
  return (ip.value & maskOf(cidr.prefix, bits)) === cidr.network;
}

/**
 * The API server's "except must be a strict subset of cidr": the except's network address
 * lies inside `outer` (same family) and its written prefix is strictly longer.
 */
export function isStrictSubnet(inner: Cidr, outer: Cidr): boolean {
  return cidrContains(outer, { family: inner.family, value: inner.network }) && outer.writtenPrefix < inner.writtenPrefix;
}

/** Parses an ipBlock; undefined when the cidr or an except entry does not parse. */
export function parseIpBlock(block: { readonly cidr: string; readonly except?: readonly string[] }): ParsedIpBlock | undefined {
  const cidr = parseCidr(block.cidr);
  if (!cidr) return undefined;
  const except: Cidr[] = [];
  for (const e of block.except ?? []) {
    const c = parseCidr(e);
    if (!c) return undefined;
    except.push(c);
  }
  return { cidr, except };
}

/** DESIGN rule 9: an ipBlock matches an address inside `cidr` and inside no `except`. */
export function ipBlockContains(block: ParsedIpBlock, ip: IpAddress): boolean {
  return cidrContains(block.cidr, ip) && !block.except.some((e) => cidrContains(e, ip));
}

/** Formats an address canonically (dotted quad; RFC 5952-style compressed IPv6). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const v = Number(ip.value);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The address of `ip` plus `offset` (no overflow check: callers stay inside their range). */
export function offsetIp(ip: IpAddress, offset: number): IpAddress {
  return { family: ip.family, value: ip.value + BigInt(offset) };
}
