/**
 * Label selectors (metav1.LabelSelector) as the API server and every CNI evaluate them.
 * DESIGN rule 8: matchLabels AND matchExpressions; NotIn and DoesNotExist match objects that
 * lack the key (cyclonus and policy-assistant get NotIn wrong).
 */
import { assertNever } from '../assert-never.js';
import type { LabelSelector, LabelSelectorRequirement, Labels } from './types.js';

/** A compiled selector: true when the labels match. */
export type SelectorPredicate = (labels: Labels) => boolean;

function hasKey(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** True when `labels` satisfy one requirement. */
export function matchesRequirement(req: LabelSelectorRequirement, labels: Labels): boolean {
  const present = hasKey(labels, req.key);
  switch (req.operator) {
    case 'In':
      return present && (req.values ?? []).includes(labels[req.key]!);
    case 'NotIn':
      // A missing key satisfies NotIn (labels.Selector semantics).
      return !present || !(req.values ?? []).includes(labels[req.key]!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return assertNever(req.operator, 'selector operator');
  }
}

/**
 * True when `labels` match `selector`: every matchLabels pair AND every matchExpressions
 * requirement. `{}` (nothing set) matches everything. The selector must be valid
 * (validatePolicy); an unknown operator throws.
 */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!hasKey(labels, k) || labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!matchesRequirement(req, labels)) return false;
  }
  return true;
}

/** True when the selector selects everything (`{}`, or only empty lists/maps). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Compiles a selector once, for evaluation over many label sets. Same semantics as `matchesSelector`. */
export function compileSelector(selector: LabelSelector): SelectorPredicate {
  if (isEmptySelector(selector)) return () => true;
  const pairs = Object.entries(selector.matchLabels ?? {});
  const reqs = (selector.matchExpressions ?? []).map((r) => ({ ...r, set: new Set(r.values ?? []) }));
  return (labels) => {
    for (const [k, v] of pairs) if (labels[k] !== v || !hasKey(labels, k)) return false;
    for (const r of reqs) {
      const present = hasKey(labels, r.key);
      switch (r.operator) {
        case 'In':
          if (!present || !r.set.has(labels[r.key]!)) return false;
          break;
        case 'NotIn':
          if (present && r.set.has(labels[r.key]!)) return false;
          break;
        case 'Exists':
          if (!present) return false;
          break;
        case 'DoesNotExist':
          if (present) return false;
          break;
        default:
          return assertNever(r.operator, 'selector operator');
      }
    }
    return true;
  };
}

/**
 * A canonical string of a selector: equal strings select the same objects (key order and
 * value order do not matter). Used to share compiled sets between identical selectors.
 */
export function selectorKey(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = (selector.matchExpressions ?? [])
    .map((r) => JSON.stringify([r.key, r.operator, [...new Set(r.values ?? [])].sort()]))
    .sort();
  return JSON.stringify([labels, exprs]);
}

/** One-line rendering for explanations: `{app=web, tier in (a,b), !legacy}`; `{}` for all. */
export function formatSelector(selector: LabelSelector): string {
  const parts: string[] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = (r.values ?? []).join(',');
    switch (r.operator) {
      case 'In':
        parts.push(`${r.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${r.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(r.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${r.key}`);
        break;
      default:
        return assertNever(r.operator, 'selector operator');
    }
  }
  return `{${parts.join(', ')}}`;
}

/** One requirement of a selector that a label set fails, for explanations. */
export interface UnmetRequirement {
  /** The requirement as `formatSelector` writes it: `team=ops`, `tier in (a,b)`, `!legacy`. */
  readonly wanted: string;
  readonly key: string;
  /** The value the labels have for `key`; undefined when they lack the key. */
  readonly actual?: string;
}

/**
 * The requirements of `selector` that `labels` fail, in selector order (matchLabels, then
 * matchExpressions); empty exactly when `matchesSelector(selector, labels)`.
 */
export function unmetRequirements(selector: LabelSelector, labels: Labels): UnmetRequirement[] {
  const out: UnmetRequirement[] = [];
  const actualOf = (key: string): { actual?: string } => (hasKey(labels, key) ? { actual: labels[key]! } : {});
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!hasKey(labels, k) || labels[k] !== v) out.push({ wanted: `${k}=${v}`, key: k, ...actualOf(k) });
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!matchesRequirement(req, labels)) out.push({ wanted: formatSelector({ matchExpressions: [req] }).slice(1, -1), key: req.key, ...actualOf(req.key) });
  }
  return out;
}
