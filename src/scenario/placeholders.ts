/**
 * `${ip:<ns>/<workload>}` and `${cidr:<ns>/<workload>[/<prefix>]}` in the strings of applied
 * policies (SCENARIO-FORMAT.md, "Semantics of the file"). Pod IPs are known only once pods
 * run, so the loader checks syntax and references, and the runner substitutes real IPs.
 * Only string values are scanned, never map keys.
 */
import ipaddr from 'ipaddr.js';
import { isDns1123Label } from '../policy/k8s-names.js';
import type { NetworkPolicy } from '../policy/types.js';
import { toWorkloadRef, type WorkloadRef } from './types.js';
import { quote } from '../quote-value.js';

/** One well-formed placeholder in a string; `start`/`end` are offsets into that string. */
export interface Placeholder {
  readonly kind: 'ip' | 'cidr';
  readonly ref: WorkloadRef;
  /** Only for `cidr`; undefined = the host CIDR (/32 or /128). */
  readonly prefix?: number;
  readonly start: number;
  readonly end: number;
}

/** A malformed placeholder; `start`/`end` are offsets into the string. */
export interface PlaceholderError {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/**
 * The IP put in place of every pod IP when a policy is validated at load time (the real IPs
 * come later). `except` containment is then not judged (see load-policies.ts).
 */
export const STAND_IN_IP = '10.0.0.1';

/** Longest prefix accepted at load time (IPv6); an IPv4 pod IP caps it at 32 when resolving. */
const MAX_PREFIX = 128;

/** `${ip` / `${cidr` (any kind word followed by `:` or `}`) starts a placeholder attempt. */
const ATTEMPT = /^(ip|cidr)(?=[:}]|$)|^[a-z]+:/;

/**
 * Every placeholder of `text`, and every malformed one. A `${` not followed by a lower-case
 * word and `:` (e.g. `${HOME}`) is plain text. Never throws.
 */
export function scanPlaceholders(text: string): { readonly placeholders: readonly Placeholder[]; readonly errors: readonly PlaceholderError[] } {
  const placeholders: Placeholder[] = [];
  const errors: PlaceholderError[] = [];
  let from = 0;
  for (let start = text.indexOf('${', from); start >= 0; start = text.indexOf('${', from)) {
    const close = text.indexOf('}', start + 2);
    const body = text.slice(start + 2, close < 0 ? text.length : close);
    if (!ATTEMPT.test(body)) {
      from = start + 2;
      continue;
    }
    if (close < 0) {
      errors.push({ start, end: text.length, message: `placeholder ${quote(text.slice(start))} has no closing "}"` });
      break;
    }
    const end = close + 1;
    from = end;
    const parsed = parseBody(body);
    if (typeof parsed === 'string') errors.push({ start, end, message: `placeholder ${quote(text.slice(start, end))}: ${parsed}` });
    else placeholders.push({ ...parsed, start, end });
  }
  return { placeholders, errors };
}

function parseBody(body: string): Omit<Placeholder, 'start' | 'end'> | string {
  const colon = body.indexOf(':');
  const kind = colon < 0 ? body : body.slice(0, colon);
  if (kind !== 'ip' && kind !== 'cidr') return `unknown kind ${quote(kind)}; expected ip or cidr`;
  if (colon < 0) return `expected \${${kind}:<namespace>/<workload>}`;
  const parts = body.slice(colon + 1).split('/');
  const [namespace, name, prefixText] = parts;
  if (parts.length < 2 || parts.length > (kind === 'cidr' ? 3 : 2)) {
    return kind === 'ip' ? 'expected ${ip:<namespace>/<workload>}' : 'expected ${cidr:<namespace>/<workload>} or ${cidr:<namespace>/<workload>/<prefix>}';
  }
  if (!isDns1123Label(namespace!) || !isDns1123Label(name!)) return `${quote(`${namespace}/${name}`)} is not <namespace>/<workload>`;
  const ref = toWorkloadRef(namespace!, name!);
  if (prefixText === undefined) return { kind, ref };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= MAX_PREFIX)) return `prefix ${quote(prefixText)} is not a number from 0 to ${MAX_PREFIX}`;
  return { kind, ref, prefix };
}

/** True when some string value of `policy` holds a well-formed placeholder. */
export function hasPlaceholders(policy: NetworkPolicy): boolean {
  let found = false;
  mapStrings(policy, (s) => {
    if (!found && scanPlaceholders(s).placeholders.length > 0) found = true;
    return s;
  });
  return found;
}

/**
 * The text of a placeholder for a pod IP: the IP itself for `ip`; for `cidr` the network of
 * the IP with the given prefix (`10.244.1.7` /4 -> `0.0.0.0/4`), or the host CIDR (/32, /128)
 * without one. A prefix above the family's width (e.g. /64 on IPv4) is capped at it.
 * Throws on an IP that does not parse (a bug of the topology, not of the user).
 */
export function placeholderText(placeholder: Pick<Placeholder, 'kind' | 'prefix'>, ip: string): string {
  if (placeholder.kind === 'ip') return ip;
  const address = ipaddr.parse(ip);
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  const prefix = Math.min(placeholder.prefix ?? bits, bits);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${prefix}`);
  return `${network.toString()}/${prefix}`;
}

/** `text` with every well-formed placeholder replaced; `ipOf` gives each workload's IP. */
export function substitutePlaceholders(text: string, ipOf: (ref: WorkloadRef) => string): string {
  const { placeholders } = scanPlaceholders(text);
  if (placeholders.length === 0) return text;
  let out = '';
  let at = 0;
  for (const p of placeholders) {
    out += text.slice(at, p.start) + placeholderText(p, ipOf(p.ref));
    at = p.end;
  }
  return out + text.slice(at);
}

/**
 * `policy` with every `${ip:..}`/`${cidr:..}` replaced using `podIps` (pure; the input is not
 * changed). Throws when a referenced workload has no IP in `podIps`: the loader has checked
 * every reference, so that is a bug of the caller's topology.
 */
export function resolvePlaceholders(policy: NetworkPolicy, podIps: ReadonlyMap<WorkloadRef, string>): NetworkPolicy {
  return mapStrings(policy, (s) =>
    substitutePlaceholders(s, (ref) => {
      const ip = podIps.get(ref);
      if (ip === undefined) throw new Error(`no pod IP for ${ref} (placeholder in policy ${policy.metadata.namespace}/${policy.metadata.name})`);
      return ip;
    }),
  );
}

/** A deep copy of a plain JSON-like value with `f` applied to every string value (not keys). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(visit);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) Object.defineProperty(out, k, { value: visit(inner), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return visit(value) as T;
}
