/**
 * The `apply` entries of a step: inline NetworkPolicies and `file:` manifests (multi-document
 * YAML relative to the scenario file), checked strictly, defaulted to a namespace
 * (SCENARIO-FORMAT.md) and validated like the API server (policy/validate-policy.ts, with
 * placeholders replaced by a stand-in IP). Problems inside a manifest name that file.
 */
import { posix } from 'node:path';
import { qualifiedNameProblems } from '../policy/k8s-names.js';
import { validatePolicy } from '../policy/validate-policy.js';
import { toPolicyKey, type NetworkPolicy, type PolicyIssue, type PolicyKey } from '../policy/types.js';
import { quote } from '../quote-value.js';
import { valueAt } from './describe-path.js';
import { reservedLabelKey } from './check-names.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { rangeAt, type DocPath } from './locate-node.js';
import { MAX_TOTAL_BYTES } from './limits.js';
import { parseYamlFile, type ParsedDoc, type ParsedFile } from './parse-yaml.js';
import type { ReadFailure, ReadInput } from './read-input.js';
import { STAND_IN_IP, mapStrings, scanPlaceholders, substitutePlaceholders } from './placeholders.js';
import { fileEntrySchema, networkPolicySchema, NETWORK_POLICY_API_VERSION, NETWORK_POLICY_KIND } from './schema.js';
import { excerptOf } from './excerpt.js';
import type { Excerpt, PolicyManifest, PolicySource, WorkloadRef } from './types.js';
import { zodIssuesToDiagnostics } from './zod-diagnostics.js';

/** What the loader shares between apply entries. */
export interface ApplyContext {
  readonly sink: DiagnosticSink;
  readonly scenario: ParsedDoc;
  /** Declared namespaces, in file order. */
  readonly namespaces: readonly string[];
  /** The namespace of objects that name none and have no file entry namespace (see resolve-scenario.ts). */
  readonly defaultNamespace: string | undefined;
  /** Whether `spec.defaultNamespace` is written (an undeclared one was reported already). */
  readonly defaultNamespaceWritten: boolean;
  readonly workloadRefs: ReadonlySet<WorkloadRef>;
  /** Reads a manifest by its name (the scenario's directory joined with `file:`). */
  readonly readFile: ReadInput;
  /** Manifests read so far, by name (each is read and parsed once), or why one was not. */
  readonly files: Map<string, ParsedFile | ReadFailure>;
  /** The text of every file read, for rendering. */
  readonly sources: Map<string, string>;
}

/**
 * One policy an entry applies. `manifest` is set only when the policy is valid; `key` is set
 * whenever its name and namespace could be read, so that a later `delete` of an invalid
 * policy does not add a second, misleading diagnostic.
 */
export interface AppliedPolicy {
  readonly key?: PolicyKey;
  readonly manifest?: PolicyManifest;
  readonly site: ParsedDoc;
  readonly path: DocPath;
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Where a manifest's `file:` names a file: relative to the scenario file's directory (posix). */
export function manifestPath(scenarioFile: string, file: string): string {
  return file.startsWith('/') ? posix.normalize(file) : posix.join(posix.dirname(scenarioFile), file);
}

/** The policies of the apply entry at `path` (in the scenario file). */
export function loadApplyEntry(entry: Record<string, unknown>, path: DocPath, ctx: ApplyContext): AppliedPolicy[] {
  if (!Object.prototype.hasOwnProperty.call(entry, 'file')) return [checkPolicy({ parsed: ctx.scenario, path }, undefined, ctx)];
  const result = fileEntrySchema.safeParse(entry);
  if (!result.success) {
    ctx.sink.addAll(zodIssuesToDiagnostics(result.error.issues, { parsed: ctx.scenario, prefix: path }));
    return [];
  }
  const { file, namespace, skipOtherKinds } = result.data;
  if (namespace !== undefined && !ctx.namespaces.includes(namespace)) {
    ctx.sink.at('UNKNOWN_NAMESPACE', ctx.scenario, [...path, 'namespace'], `unknown namespace ${quote(namespace)}; declared: ${ctx.namespaces.join(', ')}`);
  }
  const name = manifestPath(ctx.scenario.file, file);
  const parsedFile = readManifest(name, ctx);
  if ('code' in parsedFile) {
    // The reason only: the content of a file that was refused is never shown.
    ctx.sink.at(parsedFile.code, ctx.scenario, [...path, 'file'], `cannot read manifest ${quote(file)}${file === name ? '' : ` (${quote(name)})`}: ${parsedFile.reason}`);
    return [];
  }
  ctx.sink.addAll(parsedFile.diagnostics);
  if (parsedFile.docs.length === 0 && parsedFile.diagnostics.length === 0) {
    ctx.sink.at('INVALID_VALUE', ctx.scenario, [...path, 'file'], `manifest ${quote(name)} holds no object`);
  }
  const sites = parsedFile.docs.flatMap((doc): Site[] => (skipOtherKinds === true ? networkPolicySites(doc) : [{ parsed: doc, path: [] }]));
  return sites.map((site) => checkPolicy(site, { namespace, entryPath: path }, ctx));
}

/**
 * The NetworkPolicies of a document of an application's manifest (`skipOtherKinds`): the
 * document itself, or the items of a `List`; every other kind is left out.
 */
function networkPolicySites(doc: ParsedDoc): Site[] {
  const isPolicy = (v: unknown): boolean => isPlainMap(v) && v['kind'] === NETWORK_POLICY_KIND;
  const data = doc.data;
  if (isPlainMap(data) && data['kind'] === 'List' && Array.isArray(data['items'])) {
    return data['items'].flatMap((item, i): Site[] => (isPolicy(item) ? [{ parsed: doc, path: ['items', i] }] : []));
  }
  return isPolicy(data) ? [{ parsed: doc, path: [] }] : [];
}

function readManifest(name: string, ctx: ApplyContext): ParsedFile | ReadFailure {
  const known = ctx.files.get(name);
  if (known) return known;
  const read = ctx.readFile(name);
  let result: ParsedFile | ReadFailure;
  if (!read.ok) result = { code: read.code, reason: read.reason };
  else {
    let total = read.text.length;
    for (const text of ctx.sources.values()) total += text.length;
    if (total > MAX_TOTAL_BYTES) result = { code: 'LIMIT_EXCEEDED', reason: `with it the scenario would read more than ${MAX_TOTAL_BYTES} characters in all` };
    else {
      ctx.sources.set(name, read.text);
      result = parseYamlFile(read.text, name);
    }
  }
  ctx.files.set(name, result);
  return result;
}

/** Where an object is: its document and the path to it. */
export interface Site {
  readonly parsed: ParsedDoc;
  readonly path: DocPath;
}

/**
 * The object at `site` of an application manifest, checked exactly as an apply entry's policy
 * is (strict keys, API-server validation), with `defaultNamespace` for a policy that names
 * none. `scan`, `diff` and `lint` read policies through this, so they accept what a scenario
 * applying the same file accepts.
 */
export function loadPolicyAt(site: Site, defaultNamespace: string, ctx: ApplyContext): AppliedPolicy {
  return checkPolicy(site, { namespace: defaultNamespace, entryPath: [] }, ctx);
}

interface FileDefault {
  readonly namespace: string | undefined;
  /** Path of the file entry in the scenario file. */
  readonly entryPath: DocPath;
}

/** One object that should be a NetworkPolicy, at `site`. */
function checkPolicy(site: Site, fileDefault: FileDefault | undefined, ctx: ApplyContext): AppliedPolicy {
  const { parsed, path } = site;
  const sink = ctx.sink;
  const value = valueAt(parsed.data, path);
  const none: AppliedPolicy = { site: parsed, path };
  if (!isPlainMap(value)) {
    sink.at('NOT_A_NETWORK_POLICY', parsed, path, `expected a NetworkPolicy (a map with apiVersion ${NETWORK_POLICY_API_VERSION}, kind ${NETWORK_POLICY_KIND})`);
    return none;
  }
  if (value['apiVersion'] !== NETWORK_POLICY_API_VERSION || value['kind'] !== NETWORK_POLICY_KIND) {
    const where = value['kind'] !== NETWORK_POLICY_KIND && 'kind' in value ? 'kind' : 'apiVersion' in value ? 'apiVersion' : undefined;
    sink.at('NOT_A_NETWORK_POLICY', parsed, where ? [...path, where] : path, `${describeKind(value)} is not a NetworkPolicy ${NETWORK_POLICY_API_VERSION}; steps apply only NetworkPolicies`);
    return none;
  }
  // The namespace: metadata.namespace, else the file entry's, else spec.defaultNamespace,
  // else the only one (SCENARIO-FORMAT).
  const metadata = isPlainMap(value['metadata']) ? value['metadata'] : {};
  const written = metadata['namespace'];
  const namespace = typeof written === 'string' ? written : fileDefault?.namespace ?? ctx.defaultNamespace;
  const name = metadata['name'];
  const key = typeof name === 'string' && namespace !== undefined ? toPolicyKey(namespace, name) : undefined;
  const attempted: AppliedPolicy = key === undefined ? none : { key, site: parsed, path };
  const before = sink.size;
  if (namespace === undefined && (written === undefined || written === null) && !ctx.defaultNamespaceWritten) {
    const where = fileDefault ? ", the file entry's namespace" : '';
    sink.at('NAMESPACE_REQUIRED', parsed, [...path, 'metadata'], `policy ${quote(typeof name === 'string' ? name : '')} names no namespace and the scenario has ${ctx.namespaces.length} namespaces: set metadata.namespace${where} or spec.defaultNamespace`);
  } else if (namespace !== undefined && !ctx.namespaces.includes(namespace)) {
    // An undeclared namespace on the file entry is reported once, at the entry.
    if (typeof written === 'string') sink.at('UNKNOWN_NAMESPACE', parsed, [...path, 'metadata', 'namespace'], `unknown namespace ${quote(namespace)}; declared: ${ctx.namespaces.join(', ')}`);
    else if (fileDefault === undefined) sink.at('UNKNOWN_NAMESPACE', parsed, [...path, 'metadata'], `unknown namespace ${quote(namespace)}`);
  }
  const badPlaceholders = checkPlaceholders(site, value, ctx);
  checkRawLabelKeys(site, value, ctx);
  const result = networkPolicySchema.safeParse(dropOptionalNulls(value, []));
  if (!result.success) sink.addAll(zodIssuesToDiagnostics(result.error.issues, { parsed, prefix: path }));
  // Unknown keys alone leave a well-typed object: its values can still be validated, so the
  // author sees every problem in one pass. Other structural errors stop here.
  const typed = result.success || result.error.issues.every((i) => i.code === 'unrecognized_keys');
  if (!typed) return attempted;
  const data = (result.success ? result.data : dropOptionalNulls(value, [])) as NetworkPolicy;
  const policy = { ...data, metadata: { ...data.metadata, namespace: namespace ?? '' } } as NetworkPolicy;
  const standIn = mapStrings(policy, (s) => substitutePlaceholders(s, () => STAND_IN_IP));
  for (const issue of validatePolicy(standIn)) {
    if (issue.code === 'EXCEPT_OUTSIDE_CIDR' && dependsOnPodIp(issue, value)) continue;
    // A malformed placeholder was reported as INVALID_PLACEHOLDER; its value is not judged.
    if (badPlaceholders.has(issue.path.join('\u0000'))) continue;
    // A missing namespace was reported as NAMESPACE_REQUIRED already.
    if (namespace === undefined && issue.path.join('.') === 'metadata.namespace') continue;
    reportPolicyIssue(issue, site, ctx);
  }
  if (sink.size > before || key === undefined) return attempted;
  const origin = { file: parsed.file, range: rangeAt(parsed.doc, path) };
  const manifest: PolicyManifest = { key, policy, origin, source: policySource(site, policy) };
  return { key, manifest, site: parsed, path };
}

/** The policy's text and each rule's, quoted from where they were written. */
function policySource(site: Site, policy: NetworkPolicy): PolicySource {
  const { parsed, path } = site;
  const quote = (at: DocPath): Excerpt => excerptOf(parsed.file, parsed.source, rangeAt(parsed.doc, at));
  return {
    policy: quote(path),
    ingress: (policy.spec.ingress ?? []).map((_, i) => quote([...path, 'spec', 'ingress', i])),
    egress: (policy.spec.egress ?? []).map((_, i) => quote([...path, 'spec', 'egress', i])),
  };
}

function describeKind(value: Record<string, unknown>): string {
  const kind = typeof value['kind'] === 'string' ? quote(value['kind']) : 'an object without a kind';
  const apiVersion = typeof value['apiVersion'] === 'string' ? ` (${quote(value['apiVersion'])})` : '';
  return `${kind}${apiVersion}`;
}

/**
 * In the policy as written (not as zod returns it: its records leave `__proto__` out, which
 * would turn `matchLabels: {__proto__: ...}` into a selector of everything): INVALID_LABEL_KEY
 * for a `__proto__` label key, as the API server rejects it, and RESERVED_NAME for a label
 * key reserved to the harness in labels and selectors.
 */
function checkRawLabelKeys(site: Site, value: unknown, ctx: ApplyContext): void {
  const { sink } = ctx;
  const visit = (v: unknown, at: DocPath): void => {
    if (Array.isArray(v)) v.forEach((inner, i) => visit(inner, [...at, i]));
    if (!isPlainMap(v)) return;
    for (const [key, inner] of Object.entries(v)) {
      const here = [...site.path, ...at, key];
      if (LABEL_MAPS.has(key) && isPlainMap(inner)) {
        for (const labelKey of Object.keys(inner)) {
          const reserved = key === 'annotations' ? undefined : reservedLabelKey(labelKey);
          if (labelKey === '__proto__') sink.atKey('INVALID_LABEL_KEY', site.parsed, here, labelKey, `label key ${quote(labelKey)}: ${qualifiedNameProblems(labelKey).join('; ')}`);
          else if (reserved) sink.atKey('RESERVED_NAME', site.parsed, here, labelKey, reserved);
        }
      }
      if (key === 'matchExpressions' && Array.isArray(inner)) {
        inner.forEach((req, i) => {
          const reserved = isPlainMap(req) && typeof req['key'] === 'string' ? reservedLabelKey(req['key']) : undefined;
          if (reserved) sink.at('RESERVED_NAME', site.parsed, [...here, i, 'key'], reserved);
        });
      }
      visit(inner, [...at, key]);
    }
  };
  visit(value, []);
}

/**
 * Whether an `except` lies inside its `cidr` depends on the pod IPs when either holds a
 * placeholder: the stand-in IP cannot judge it, so such an issue is not reported at load time.
 */
function dependsOnPodIp(issue: PolicyIssue, policy: unknown): boolean {
  const exceptAt = issue.path.lastIndexOf('except');
  if (exceptAt < 0) return false;
  const block = issue.path.slice(0, exceptAt);
  const texts = [valueAt(policy, [...block, 'cidr']), valueAt(policy, issue.path)];
  return texts.some((t) => typeof t === 'string' && scanPlaceholders(t).placeholders.length > 0);
}

/** A policy issue at its position: label-key problems at the key, others at the value. */
function reportPolicyIssue(issue: PolicyIssue, site: Site, ctx: ApplyContext): void {
  const path = [...site.path, ...issue.path];
  const last = issue.path[issue.path.length - 1];
  const keyed = issue.code === 'INVALID_LABEL_KEY' && typeof last === 'string' && issue.path.length >= 2 && /^(labels|annotations|matchLabels)$/.test(String(issue.path[issue.path.length - 2]));
  if (keyed) ctx.sink.atKey(issue.code, site.parsed, path.slice(0, -1), last, issue.message);
  else ctx.sink.at(issue.code, site.parsed, path, issue.message);
}

/**
 * INVALID_PLACEHOLDER and UNKNOWN_WORKLOAD for the placeholders in the string values of
 * `value`; returns the paths (joined with NUL) of the strings holding a malformed one.
 */
function checkPlaceholders(site: Site, value: unknown, ctx: ApplyContext): Set<string> {
  const bad = new Set<string>();
  const visit = (v: unknown, at: DocPath): void => {
    if (typeof v === 'string') {
      const { placeholders, errors } = scanPlaceholders(v);
      if (errors.length > 0) bad.add(at.map(String).join('\u0000'));
      for (const e of errors) ctx.sink.inString('INVALID_PLACEHOLDER', site.parsed, [...site.path, ...at], e.start, e.end, e.message);
      for (const p of placeholders) {
        if (!ctx.workloadRefs.has(p.ref)) ctx.sink.inString('UNKNOWN_WORKLOAD', site.parsed, [...site.path, ...at], p.start, p.end, `placeholder ${quote(v.slice(p.start, p.end))} names unknown workload ${quote(p.ref)}`);
      }
    } else if (Array.isArray(v)) v.forEach((inner, i) => visit(inner, [...at, i]));
    else if (isPlainMap(v)) for (const [k, inner] of Object.entries(v)) visit(inner, [...at, k]);
  };
  visit(value, []);
  return bad;
}

/** Keys that are required wherever they appear in a NetworkPolicy (a null there is an error). */
const REQUIRED_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'cidr', 'key', 'operator']);
/** Maps of label keys to values: a null value there is reported, not dropped. */
const LABEL_MAPS = new Set(['labels', 'annotations', 'matchLabels']);

/**
 * `value` without the optional fields written as null (`- to:` with nothing after it, common in
 * upstream examples): the API server reads a null optional field as absent, so do we.
 * Required fields (spec.podSelector, metadata.name, cidr, ...) and label values keep their
 * null, so the author hears about it. Paths stay valid: only keys are removed.
 */
export function dropOptionalNulls(value: unknown, path: readonly (string | number)[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => dropOptionalNulls(v, [...path, i]));
  if (!isPlainMap(value)) return value;
  const parent = path[path.length - 1];
  const labelMap = typeof parent === 'string' && LABEL_MAPS.has(parent);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const required = REQUIRED_KEYS.has(key) || (key === 'name' && parent === 'metadata') || (key === 'podSelector' && parent === 'spec' && path.length === 1);
    if (inner === null && !required && !labelMap) continue;
    Object.defineProperty(out, key, { value: dropOptionalNulls(inner, [...path, key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
