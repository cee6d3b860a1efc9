/**
 * Collects diagnostics while a scenario is loaded (STYLE 3: collect, don't stop at the
 * first), and puts them in the order they are shown: by file, then offset.
 */
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { keyRangeAt, rangeAt, subRangeAt, type DocPath, type Range } from './locate-node.js';
import type { ParsedDoc } from './parse-yaml.js';

/** The diagnostics of one load, added in any order, read back sorted. */
export class DiagnosticSink {
  private readonly list: Diagnostic[] = [];

  /** Adds diagnostics made elsewhere (yaml, zod). */
  addAll(diagnostics: readonly Diagnostic[]): void {
    // No spread: a file may have more diagnostics than a call takes arguments.
    for (const d of diagnostics) this.list.push(d);
  }

  /** A problem at a known range of `file`. */
  atRange(code: DiagnosticCode, file: string, range: Range, message: string): void {
    this.list.push({ code, file, range, message });
  }

  /** A problem with the value at `path` of a document. */
  at(code: DiagnosticCode, parsed: ParsedDoc, path: DocPath, message: string): void {
    this.atRange(code, parsed.file, rangeAt(parsed.doc, path), message);
  }

  /** A problem with the key `key` of the map at `path`. */
  atKey(code: DiagnosticCode, parsed: ParsedDoc, path: DocPath, key: string, message: string): void {
    this.atRange(code, parsed.file, keyRangeAt(parsed.doc, path, key), message);
  }

  /** A problem with characters [start, end) of the string at `path` (the whole scalar when not mappable). */
  inString(code: DiagnosticCode, parsed: ParsedDoc, path: DocPath, start: number, end: number, message: string): void {
    this.atRange(code, parsed.file, subRangeAt(parsed.doc, parsed.source, path, start, end), message);
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Every diagnostic once (a manifest file used by two entries reports its problems once),
   * sorted by file, then start offset, then end offset.
   */
  sorted(): Diagnostic[] {
    const seen = new Set<string>();
    const unique = this.list.filter((d) => {
      const id = JSON.stringify([d.code, d.file, d.range, d.message]);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range[0] - b.range[0] || a.range[1] - b.range[1]));
  }
}
