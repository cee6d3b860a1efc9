/**
 * zod issues to positioned diagnostics (STYLE 3: issues carry a path, not a position; resolve
 * it with the document and reword zod's text so it names the wrong key or value).
 */
import type { z } from 'zod';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { quote } from '../quote-value.js';
import { describePath, describeValue, valueAt } from './describe-path.js';
import { containerRangeAt, keyRangeAt, rangeAt, type DocPath } from './locate-node.js';
import type { ParsedDoc } from './parse-yaml.js';

type Issue = z.core.$ZodIssue;

/** Where the zod input sits in its document: the document, and the path of the input in it. */
export interface ZodInputSite {
  readonly parsed: ParsedDoc;
  /** Path of the validated value inside the document ([] when it is the whole document). */
  readonly prefix: DocPath;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** Every diagnostic for the issues of one `safeParse` of the value at `site`. */
export function zodIssuesToDiagnostics(issues: readonly Issue[], site: ZodInputSite): Diagnostic[] {
  const out: Diagnostic[] = [];
  // No spread: an issue may list thousands of unknown keys.
  for (const issue of issues) for (const d of issueToDiagnostics(issue, [], site)) out.push(d);
  return out;
}

function issueToDiagnostics(issue: Issue, base: DocPath, site: ZodInputSite): Diagnostic[] {
  const relative: DocPath = [...base, ...issue.path];
  const path: DocPath = [...site.prefix, ...relative];
  const { doc, file } = site.parsed;
  const value = valueAt(site.parsed.data, path);
  const make = (code: DiagnosticCode, range: readonly [number, number], message: string): Diagnostic => ({ code, file, range, message });
  const where = describePath(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => make('UNKNOWN_KEY', keyRangeAt(doc, path, key), `unknown key ${quote(key)} in ${where}; ${issue.message}`));
    case 'invalid_type': {
      const parentPath = path.slice(0, -1);
      const parent = valueAt(site.parsed.data, parentPath);
      const last = path[path.length - 1];
      const missing = value === undefined && last !== undefined && typeof last !== 'number' && parent !== null && typeof parent === 'object' && !Array.isArray(parent);
      if (missing) {
        return [make('MISSING_KEY', containerRangeAt(doc, parentPath), `missing key ${quote(String(last))} in ${describePath(parentPath)} (${typeName(issue.expected)})`)];
      }
      return [make('INVALID_TYPE', rangeAt(doc, path), `${where}: expected ${typeName(issue.expected)}, got ${describeValue(value)}`)];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => (typeof v === 'string' ? quote(v) : String(v)));
      const expected = allowed.length === 1 ? allowed[0]! : `one of ${allowed.join(', ')}`;
      const code: DiagnosticCode = path[path.length - 1] === 'protocol' ? 'INVALID_PROTOCOL' : 'INVALID_VALUE';
      return [make(code, rangeAt(doc, path), `${where}: expected ${expected}, got ${describeValue(value)}`)];
    }
    case 'invalid_union':
      return unionToDiagnostics(issue, relative, site, value, where);
    case 'too_small':
      return [make('INVALID_VALUE', rangeAt(doc, path), `${where}: ${boundText(issue.origin, 'at least', Number(issue.minimum), issue.inclusive ?? true, '>')}, got ${sizeOf(value)}`)];
    case 'too_big':
      return [make('INVALID_VALUE', rangeAt(doc, path), `${where}: ${boundText(issue.origin, 'at most', Number(issue.maximum), issue.inclusive ?? true, '<')}, got ${sizeOf(value)}`)];
    default:
      return [make('INVALID_VALUE', rangeAt(doc, path), `${where}: ${issue.message}, got ${describeValue(value)}`)];
  }
}

function sizeOf(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') return `${value.length} character${value.length === 1 ? '' : 's'}`;
  return describeValue(value);
}

function boundText(origin: string, word: string, bound: number, inclusive: boolean, strictSign: string): string {
  switch (origin) {
    case 'array':
      return `expected ${word} ${bound} item${bound === 1 ? '' : 's'}`;
    case 'string':
      return `expected ${word} ${bound} character${bound === 1 ? '' : 's'}`;
    default:
      return inclusive ? `expected a number ${strictSign}= ${bound}` : `expected a number ${strictSign} ${bound}`;
  }
}

/**
 * A union failed. When every option failed only on the value's own type, say "expected A or
 * B"; otherwise report the issues of the option that came closest (fewest issues).
 */
function unionToDiagnostics(issue: z.core.$ZodIssueInvalidUnion, relative: DocPath, site: ZodInputSite, value: unknown, where: string): Diagnostic[] {
  const options = issue.errors;
  const typeOnly = options.every((errors) => errors.length === 1 && errors[0]!.code === 'invalid_type' && errors[0]!.path.length === 0);
  if (typeOnly || options.length === 0) {
    const names = options.map((errors) => typeName((errors[0] as z.core.$ZodIssueInvalidType | undefined)?.expected ?? 'value'));
    const path = [...site.prefix, ...relative];
    return [{ code: 'INVALID_TYPE', file: site.parsed.file, range: rangeAt(site.parsed.doc, path), message: `${where}: expected ${names.join(' or ')}, got ${describeValue(value)}` }];
  }
  let best = options[0]!;
  for (const errors of options) if (errors.length < best.length) best = errors;
  return best.flatMap((inner) => issueToDiagnostics(inner, relative, site));
}
