/**
 * Read-back comparison (pure): which fields of what was sent the server did not store.
 * A field a server does not know is dropped silently on create/update (endPort on clusters
 * before 1.22; off by a feature gate until 1.25): the harness must report it, never probe as
 * if it were in force. Server defaults (extra fields in the stored object) are not a problem;
 * only scalar leaves of the sent object are compared, so empty lists and objects that the
 * server omits do not count either.
 */

/** One sent scalar the stored object lacks or holds differently. */
export interface FieldDifference {
  /** Like `spec.ingress[0].ports[0].endPort`. */
  readonly path: string;
  readonly sent: unknown;
  /** undefined: dropped. */
  readonly stored: unknown;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && a !== null && b !== null && String(a) === String(b));
}

/** Every scalar leaf of `sent` that `stored` lacks or differs on, in document order. */
export function diffStored(sent: unknown, stored: unknown, path = ''): FieldDifference[] {
  if (Array.isArray(sent)) {
    const other = Array.isArray(stored) ? (stored as unknown[]) : [];
    return sent.flatMap((item, i) => diffStored(item, other[i], join(path, i)));
  }
  if (typeof sent === 'object' && sent !== null) {
    const other = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
    return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) => diffStored(v, other[k], join(path, k)));
  }
  if (sent === undefined) return [];
  return sameScalar(sent, stored) ? [] : [{ path, sent, stored }];
}
