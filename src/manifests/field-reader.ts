/**
 * Typed reads of the plain values of a manifest object, reporting a wrong type where it is
 * written (INVALID_TYPE at `file:line:col`). Kubernetes objects are large and mostly
 * irrelevant here, so they are read field by field rather than through a schema. Pure.
 */
import { isValidPortNumber } from '../policy/k8s-names.js';
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import { describeValue } from '../scenario/describe-path.js';
import type { DiagnosticCode } from '../scenario/diagnostic.js';
import type { DiagnosticSink } from '../scenario/diagnostic-sink.js';
import type { DocPath } from '../scenario/locate-node.js';
import type { ManifestSite } from './types.js';

export type PlainMap = Record<string, unknown>;

export function isPlainMap(v: unknown): v is PlainMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Reads below one object; paths are relative to it. */
export class FieldReader {
  constructor(
    private readonly sink: DiagnosticSink,
    readonly site: ManifestSite,
  ) {}

  /** The value at `path`, or undefined when a step of it is missing. */
  value(path: DocPath): unknown {
    let v: unknown = this.root();
    for (const segment of path) {
      if (Array.isArray(v) && typeof segment === 'number') v = v[segment];
      else if (isPlainMap(v)) v = v[String(segment)];
      else return undefined;
    }
    return v;
  }

  private root(): unknown {
    let v: unknown = this.site.parsed.data;
    for (const segment of this.site.path) v = Array.isArray(v) ? v[segment as number] : isPlainMap(v) ? v[String(segment)] : undefined;
    return v;
  }

  /** A problem at `path` (relative to the object). */
  problem(code: DiagnosticCode, path: DocPath, message: string): void {
    this.sink.at(code, this.site.parsed, [...this.site.path, ...path], message);
  }

  private wrong(path: DocPath, expected: string, v: unknown): void {
    this.problem('INVALID_TYPE', path, `expected ${expected} at ${path.map(String).join('.')}, got ${describeValue(v)}`);
  }

  /** A map (absent or null: undefined). */
  map(path: DocPath): PlainMap | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return undefined;
    if (isPlainMap(v)) return v;
    this.wrong(path, 'a map', v);
    return undefined;
  }

  /** A list (absent or null: empty). */
  list(path: DocPath): readonly unknown[] {
    const v = this.value(path);
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.wrong(path, 'a list', v);
    return [];
  }

  /** A string (absent or null: undefined). */
  string(path: DocPath): string | undefined {
    const v = this.value(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.wrong(path, 'a string', v);
    return undefined;
  }

  /**
   * The port number at `[...at, key]` and the protocol at `[...at, 'protocol']` (default TCP)
   * of a port list entry; undefined after reporting INVALID_PORT or INVALID_PROTOCOL.
   */
  portAndProtocol(at: DocPath, key: string, owner: string): { readonly port: number; readonly protocol: Protocol } | undefined {
    const port = this.value([...at, key]);
    if (typeof port !== 'number' || !isValidPortNumber(port)) {
      this.problem('INVALID_PORT', [...at, key], `${key} ${JSON.stringify(port ?? null)} of ${owner} is not from 1 to 65535`);
      return undefined;
    }
    const protocol = this.string([...at, 'protocol']) ?? 'TCP';
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      this.problem('INVALID_PROTOCOL', [...at, 'protocol'], `protocol ${JSON.stringify(protocol)} of ${owner} is not one of TCP, UDP, SCTP`);
      return undefined;
    }
    return { port, protocol: protocol as Protocol };
  }

  /** A map of strings to strings, as labels and selectors are (absent: empty). */
  stringMap(path: DocPath): Record<string, string> {
    const m = this.map(path);
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(m ?? {})) {
      if (typeof v === 'string') out[key] = v;
      else this.wrong([...path, key], 'a string', v);
    }
    return out;
  }
}
