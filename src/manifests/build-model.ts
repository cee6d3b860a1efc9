/**
 * Manifest texts to the application model (types.ts): parse every document (multi-document
 * YAML, `List`s expanded), sort objects by kind, extract namespaces, workloads, Services and
 * NetworkPolicies, and report every problem with its position. Kinds the model does not need
 * (ConfigMaps, Ingresses, a Kustomization, ...) are counted once and skipped. Pure.
 */
import { NETWORK_POLICY_KIND } from '../scenario/schema.js';
import type { Diagnostic } from '../scenario/diagnostic.js';
import { DiagnosticSink } from '../scenario/diagnostic-sink.js';
import { checkLabelName, checkLabels } from '../scenario/check-names.js';
import { loadPolicyAt, type ApplyContext } from '../scenario/load-policies.js';
import type { DocPath } from '../scenario/locate-node.js';
import { parseYamlFile, type ParsedDoc } from '../scenario/parse-yaml.js';
import { NAMESPACE_NAME_LABEL, type NamespaceSpec, type PolicyManifest, type ServiceSpec, type WorkloadRef } from '../scenario/types.js';
import { PROTOCOLS, type PolicyKey } from '../policy/types.js';
import { FieldReader, isPlainMap } from './field-reader.js';
import { extractWorkload, POD_TEMPLATE_PATHS, type ExtractedWorkload } from './extract-workloads.js';
import { fitService, readService, selectedWorkloads, type WrittenService } from './extract-services.js';
import type { InputFile } from './read-inputs.js';
import type { AppModel, AppService, AppWorkload, ManifestSite, SkippedKind } from './types.js';

export interface ModelOptions {
  /** Namespace of objects that name none (`--namespace`, default `default`). */
  readonly defaultNamespace: string;
}

export type ModelResult =
  | { readonly ok: true; readonly model: AppModel; readonly sources: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

/** The namespace used when neither the object nor `--namespace` names one. */
export const DEFAULT_NAMESPACE = 'default';

interface Found {
  readonly kind: string;
  readonly site: ManifestSite;
  readonly reader: FieldReader;
  readonly namespace: string;
}

/** The objects of one document: itself, or the items of a `List`. */
function objectsOf(parsed: ParsedDoc): DocPath[] {
  const data = parsed.data;
  if (isPlainMap(data) && data['kind'] === 'List' && Array.isArray(data['items'])) return data['items'].map((_, i) => ['items', i]);
  return [[]];
}

/** The model of `files`, or every problem found in them. */
export function buildModel(files: readonly InputFile[], options: ModelOptions): ModelResult {
  const sink = new DiagnosticSink();
  const sources = new Map(files.map((f) => [f.name, f.text]));
  const notes: string[] = [];
  const skipped = new Map<string, { count: number; file: string }>();
  const found: Found[] = [];
  const docs: ParsedDoc[] = [];

  for (const file of files) {
    const parsed = parseYamlFile(file.text, file.name);
    sink.addAll(parsed.diagnostics);
    for (const doc of parsed.docs) {
      docs.push(doc);
      for (const path of objectsOf(doc)) {
        const site: ManifestSite = { parsed: doc, path };
        const reader = new FieldReader(sink, site);
        const kind = reader.value(['kind']);
        const name = typeof kind === 'string' ? kind : '(no kind)';
        if (kind !== 'Namespace' && kind !== 'Service' && kind !== NETWORK_POLICY_KIND && !(typeof kind === 'string' && kind in POD_TEMPLATE_PATHS)) {
          const entry = skipped.get(name) ?? { count: 0, file: file.name };
          entry.count += 1;
          skipped.set(name, entry);
          continue;
        }
        const written = reader.value(['metadata', 'namespace']);
        const namespace = typeof written === 'string' && written !== '' ? written : options.defaultNamespace;
        if (kind !== 'Namespace' && typeof written === 'string') checkLabelName(sink, doc, [...path, 'metadata', 'namespace'], 'namespace name', written);
        found.push({ kind: kind as string, site, reader, namespace });
      }
    }
  }

  const namespaces = readNamespaces(found, sink);
  const workloads = readWorkloads(found, sink, notes);
  const written = found.filter((f) => f.kind === 'Service').flatMap((f) => readService(f.reader, f.namespace, notes) ?? []);
  const { services, withServices } = attachServices(written, workloads, notes);
  for (const f of found) if (!namespaces.has(f.namespace)) namespaces.set(f.namespace, { name: f.namespace, labels: { [NAMESPACE_NAME_LABEL]: f.namespace } });
  const { policies, policySites, policyFiles } = readPolicies(found, sink, {
    sink,
    scenario: docs[0]!,
    namespaces: [...namespaces.keys()],
    defaultNamespace: undefined,
    defaultNamespaceWritten: false,
    workloadRefs: new Set(workloads.map((w) => w.spec.ref)),
    readFile: () => ({ ok: false, code: 'FILE_UNREADABLE', reason: 'application manifests hold their policies inline' }),
    files: new Map(),
    sources,
  });
  if (sink.size > 0) return { ok: false, diagnostics: sink.sorted(), sources };

  const model: AppModel = {
    namespaces: [...namespaces.values()].sort((a, b) => compare(a.name, b.name)),
    declaredNamespaces: new Set(found.filter((f) => f.kind === 'Namespace').map((f) => f.reader.string(['metadata', 'name']) ?? '')),
    workloads: withServices,
    services,
    policies,
    policySites,
    policyFiles,
    skipped: [...skipped].map(([kind, e]): SkippedKind => ({ kind, count: e.count, file: e.file })).sort((a, b) => compare(a.kind, b.kind)),
    notes,
  };
  return { ok: true, model, sources };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readNamespaces(found: readonly Found[], sink: DiagnosticSink): Map<string, NamespaceSpec> {
  const out = new Map<string, NamespaceSpec>();
  for (const f of found.filter((o) => o.kind === 'Namespace')) {
    const name = f.reader.string(['metadata', 'name']);
    if (name === undefined) {
      f.reader.problem('MISSING_KEY', ['metadata'], 'Namespace without metadata.name');
      continue;
    }
    checkLabelName(sink, f.site.parsed, [...f.site.path, 'metadata', 'name'], 'namespace name', name);
    const labels = f.reader.stringMap(['metadata', 'labels']);
    checkLabels(sink, f.site.parsed, [...f.site.path, 'metadata', 'labels'], labels);
    const previous = out.get(name);
    out.set(name, { name, labels: { ...previous?.labels, ...labels, [NAMESPACE_NAME_LABEL]: name } });
  }
  return out;
}

function readWorkloads(found: readonly Found[], sink: DiagnosticSink, notes: string[]): NonNullable<ExtractedWorkload['workload']>[] {
  const out = new Map<string, NonNullable<ExtractedWorkload['workload']>>();
  for (const f of found.filter((o) => o.kind in POD_TEMPLATE_PATHS)) {
    const extracted = extractWorkload(f.reader, f.kind, f.namespace);
    if (!extracted) continue;
    notes.push(...extracted.notes);
    let w = extracted.workload;
    if (!w) continue;
    const clash = out.get(w.spec.ref);
    if (clash && clash.kind === w.kind) {
      sink.at('DUPLICATE_NAME', f.site.parsed, [...f.site.path, 'metadata', 'name'], `${w.kind} ${w.spec.ref} is defined twice (first in ${clash.site.parsed.file})`);
      continue;
    }
    if (clash) {
      // Two controllers of different kinds may share a name; their workloads may not.
      const name = `${w.spec.name}-${w.kind.toLowerCase()}`;
      notes.push(`${w.kind} ${w.spec.ref} shares its name with a ${clash.kind}: its workload is named ${name}`);
      w = { ...w, spec: { ...w.spec, name, ref: `${w.spec.namespace}/${name}` as WorkloadRef } };
    }
    out.set(w.spec.ref, w);
  }
  return [...out.values()].sort((a, b) => compare(a.spec.namespace, b.spec.namespace) || compare(a.spec.name, b.spec.name));
}

/**
 * Each Service in front of the workloads it selects. One Service stands in front of one
 * workload in the model (a scenario's Service belongs to one workload): a Service selecting
 * several is put in front of the first, by name, and a note says so.
 */
function attachServices(written: readonly WrittenService[], workloads: readonly NonNullable<ExtractedWorkload['workload']>[], notes: string[]): { services: AppService[]; withServices: AppWorkload[] } {
  const byNamespace = new Map<string, (typeof workloads)[number][]>();
  for (const w of workloads) byNamespace.set(w.spec.namespace, [...(byNamespace.get(w.spec.namespace) ?? []), w]);
  const services: AppService[] = [];
  const fronting = new Map<WorkloadRef, { services: ServiceSpec[]; extra: { port: number; protocol: ServiceSpec['ports'][number]['protocol'] }[] }>();
  const seen = new Set<string>();
  for (const service of written) {
    const id = `${service.namespace}/${service.name}`;
    if (seen.has(id)) {
      notes.push(`Service ${id} is defined twice; the first definition is used`);
      continue;
    }
    seen.add(id);
    const candidates = byNamespace.get(service.namespace) ?? [];
    const selects = selectedWorkloads(service, candidates.map((w) => w.spec));
    services.push({ namespace: service.namespace, name: service.name, site: service.site, selects });
    if (service.selector !== undefined && selects.length === 0) notes.push(`Service ${id} selects no workload of the manifests`);
    const first = selects[0];
    if (first === undefined) continue;
    if (selects.length > 1) notes.push(`Service ${id} selects several workloads (${selects.join(', ')}): it is modelled in front of ${first} only; the others are probed on their own ports`);
    const workload = candidates.find((w) => w.spec.ref === first)!;
    const entry = fronting.get(first) ?? { services: [], extra: [] };
    const fitted = fitService(service, { ref: first, ports: [...workload.spec.ports, ...entry.extra] }, notes);
    entry.extra.push(...fitted.extraPorts);
    if (fitted.spec) entry.services.push(fitted.spec);
    fronting.set(first, entry);
  }
  const withServices = workloads.map((w): AppWorkload => {
    const entry = fronting.get(w.spec.ref);
    const ports = [...w.spec.ports, ...(entry?.extra ?? [])].sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
    return { ...w, spec: { ...w.spec, ports, services: entry?.services ?? [] } };
  });
  return { services, withServices };
}

function readPolicies(found: readonly Found[], sink: DiagnosticSink, ctx: ApplyContext): { policies: PolicyManifest[]; policySites: Map<PolicyKey, ManifestSite>; policyFiles: string[] } {
  const policies = new Map<PolicyKey, PolicyManifest>();
  const policySites = new Map<PolicyKey, ManifestSite>();
  const policyFiles: string[] = [];
  for (const f of found.filter((o) => o.kind === NETWORK_POLICY_KIND)) {
    const applied = loadPolicyAt(f.site, f.namespace, ctx);
    if (applied.key !== undefined && policySites.has(applied.key)) {
      sink.at('DUPLICATE_NAME', f.site.parsed, [...f.site.path, 'metadata', 'name'], `NetworkPolicy ${applied.key} is defined twice (first in ${policySites.get(applied.key)!.parsed.file})`);
      continue;
    }
    if (!applied.manifest) continue;
    policies.set(applied.manifest.key, applied.manifest);
    policySites.set(applied.manifest.key, f.site);
    if (!policyFiles.includes(f.site.parsed.file)) policyFiles.push(f.site.parsed.file);
  }
  return { policies: [...policies.values()].sort((a, b) => compare(a.key, b.key)), policySites, policyFiles };
}
