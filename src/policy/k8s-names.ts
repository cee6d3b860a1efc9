/**
 * The API server's name and label checks (apimachinery util/validation), as predicates and as
 * lists of problems. DESIGN rule 13: validate like the API server before anything is applied.
 * Each `*Problems` function returns human-readable reasons (empty = valid); each `is*` is the
 * same check as a boolean.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a qualified name and a non-empty label value share this alphabet. */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

/** Longest DNS-1123 label (namespace, workload and scenario names). */
export const DNS1123_LABEL_MAX = 63;
/** Longest DNS-1123 subdomain (policy names, label-key prefixes). */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Longest label value and name part of a label key. */
export const LABEL_VALUE_MAX = 63;
/** Longest IANA service name (named container ports). */
export const IANA_SVC_NAME_MAX = 15;

/** Problems of `value` as a DNS-1123 label: at most 63 of [a-z0-9-], alphanumeric at both ends. */
export function dns1123LabelProblems(value: string): readonly string[] {
  const out: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) out.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1123_LABEL.test(value)) out.push("must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  return out;
}

/** True when `value` is a DNS-1123 label (e.g. a namespace name). */
export function isDns1123Label(value: string): boolean {
  return dns1123LabelProblems(value).length === 0;
}

/** Problems of `value` as a DNS-1035 label (a Service name): like DNS-1123, but starting with a letter. */
export function dns1035LabelProblems(value: string): readonly string[] {
  const out: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) out.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1035_LABEL.test(value)) out.push("must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");
  return out;
}

/** Problems of `value` as a DNS-1123 subdomain: at most 253 characters, dot-separated labels. */
export function dns1123SubdomainProblems(value: string): readonly string[] {
  const out: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) out.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) out.push("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  return out;
}

/** True when `value` is a DNS-1123 subdomain (e.g. a NetworkPolicy name). */
export function isDns1123Subdomain(value: string): boolean {
  return dns1123SubdomainProblems(value).length === 0;
}

/**
 * Problems of `value` as a qualified name (a label key, an annotation key): an optional
 * DNS-1123 subdomain prefix and `/`, then a name of at most 63 characters of [A-Za-z0-9._-]
 * that starts and ends with an alphanumeric.
 */
export function qualifiedNameProblems(value: string): readonly string[] {
  const out: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const p of dns1123SubdomainProblems(prefix)) out.push(`prefix part ${p}`);
  } else {
    out.push("must consist of an optional DNS subdomain prefix and '/', then a name");
    return out;
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > LABEL_VALUE_MAX) out.push(`name part must be no more than ${LABEL_VALUE_MAX} characters`);
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** True when `value` is a valid label key. */
export function isQualifiedName(value: string): boolean {
  return qualifiedNameProblems(value).length === 0;
}

/** Problems of `value` as a label value: empty, or at most 63 of [A-Za-z0-9._-] with alphanumeric ends. */
export function labelValueProblems(value: string): readonly string[] {
  const out: string[] = [];
  if (value.length > LABEL_VALUE_MAX) out.push(`must be no more than ${LABEL_VALUE_MAX} characters`);
  if (value.length > 0 && !QUALIFIED_NAME_PART.test(value)) {
    out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** True when `value` is a valid label value (the empty string is valid). */
export function isLabelValue(value: string): boolean {
  return labelValueProblems(value).length === 0;
}

/**
 * Problems of `value` as an IANA service name (IsValidPortName): at most 15 characters of
 * [a-z0-9-], at least one letter, no leading, trailing or consecutive hyphens.
 */
export function ianaSvcNameProblems(value: string): readonly string[] {
  const out: string[] = [];
  if (value.length > IANA_SVC_NAME_MAX) out.push(`must be no more than ${IANA_SVC_NAME_MAX} characters`);
  if (!PORT_NAME_CHARSET.test(value)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!HAS_LETTER.test(value)) out.push('must contain at least one letter (a-z)');
  if (value.includes('--')) out.push('must not contain consecutive hyphens (--)');
  if (value.startsWith('-') || value.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

/** True when `value` may name a container port (and so a NetworkPolicy port). */
export function isIanaSvcName(value: string): boolean {
  return ianaSvcNameProblems(value).length === 0;
}

/** True when `value` is an integer port number from 1 to 65535. */
export function isValidPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * The checks above as JSON Schema keywords (ECMAScript `pattern` plus `maxLength`), for the
 * editor schema: each accepts exactly the strings its predicate accepts (a spec checks them
 * against each other).
 */
export const NAME_KEYWORDS = {
  /** isDns1123Label */
  dns1123Label: { pattern: DNS1123_LABEL.source, maxLength: DNS1123_LABEL_MAX },
  /** isDns1123Subdomain */
  dns1123Subdomain: { pattern: DNS1123_SUBDOMAIN.source, maxLength: DNS1123_SUBDOMAIN_MAX },
  /** isQualifiedName (a label key): a prefix of at most 253 characters, a name of at most 63. */
  labelKey: {
    pattern: `^(?![^/]{${DNS1123_SUBDOMAIN_MAX + 1},}/)(${DNS1123_SUBDOMAIN.source.slice(1, -1)}/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,${LABEL_VALUE_MAX - 2}})?[A-Za-z0-9]$`,
  },
  /** An annotation key: a qualified name compared in lower case (its prefix may hold upper case). */
  annotationKey: {
    pattern: `^(?![^/]{${DNS1123_SUBDOMAIN_MAX + 1},}/)(${DNS1123_SUBDOMAIN.source.slice(1, -1).replace(/a-z0-9/g, 'a-zA-Z0-9')}/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,${LABEL_VALUE_MAX - 2}})?[A-Za-z0-9]$`,
  },
  /** isLabelValue */
  labelValue: { pattern: `^(([A-Za-z0-9][-A-Za-z0-9_.]{0,${LABEL_VALUE_MAX - 2}})?[A-Za-z0-9])?$` },
  /** isIanaSvcName */
  ianaSvcName: { pattern: '^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: IANA_SVC_NAME_MAX },
  /** isValidPortNumber */
  port: { minimum: 1, maximum: 65535 },
} as const;
