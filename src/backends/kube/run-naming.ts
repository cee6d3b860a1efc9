/**
 * Per-run names (DESIGN "Reliability and safety"): every scenario namespace becomes
 * `<ns>-<runId>` on the cluster, so runs never collide with existing namespaces or with each
 * other. Pure: the run id is made by the caller (kube-backend.ts draws it at random).
 */
import { NAMESPACE_NAME_LABEL } from '../../scenario/types.js';

/** The label every object the harness creates carries (never anything else is touched). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'netpol-harness';
/** The label naming the run that created an object. */
export const RUN_ID_LABEL = 'netpol-harness/run-id';
/** Field manager of server-side apply and of every create/patch. */
export const FIELD_MANAGER = 'netpol-harness';

/** A namespace name is a DNS-1123 label: at most 63 characters. */
const MAX_NAME = 63;
const RUN_ID_RE = /^[a-z0-9]{1,16}$/;

/** True when `runId` is 1-16 lowercase letters or digits (it ends up in names and labels). */
export function isValidRunId(runId: string): boolean {
  return RUN_ID_RE.test(runId);
}

/** The ownership labels of every object of run `runId`. */
export function ownershipLabels(runId: string): Readonly<Record<string, string>> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_ID_LABEL]: runId };
}

/** Label selector (API syntax) for the objects of one run, or of every run when `runId` is undefined. */
export function ownershipSelector(runId?: string): string {
  const base = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  return runId === undefined ? base : `${base},${RUN_ID_LABEL}=${runId}`;
}

/** 32-bit FNV-1a as 6 base-36 characters: a short, stable disambiguator for truncated names. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(6, '0').slice(-6);
}

/**
 * The cluster name of scenario namespace `namespace` in run `runId`: `<namespace>-<runId>`,
 * or, when that exceeds 63 characters, `<prefix>-<hash6>-<runId>` where the hash of the full
 * scenario name keeps two long names with a common prefix apart. Always a DNS-1123 label
 * when `namespace` is one and `runId` is valid.
 */
export function toRunNamespace(namespace: string, runId: string): string {
  const plain = `${namespace}-${runId}`;
  if (plain.length <= MAX_NAME) return plain;
  const keep = MAX_NAME - runId.length - 8;
  const prefix = namespace.slice(0, keep).replace(/-+$/, '');
  return `${prefix}-${shortHash(namespace)}-${runId}`;
}

/** Both directions between scenario and cluster namespace names of one run. */
export interface NamespaceMap {
  /** scenario name -> cluster name. */
  readonly toReal: ReadonlyMap<string, string>;
  /** cluster name -> scenario name. */
  readonly toScenario: ReadonlyMap<string, string>;
}

/** Builds the map for the given scenario namespaces. Names are unique (the loader checked). */
export function makeNamespaceMap(namespaces: readonly string[], runId: string): NamespaceMap {
  const toReal = new Map<string, string>();
  const toScenario = new Map<string, string>();
  for (const ns of namespaces) {
    const real = toRunNamespace(ns, runId);
    toReal.set(ns, real);
    toScenario.set(real, ns);
  }
  return { toReal, toScenario };
}

/** The scenario's namespace labels as the cluster gets them: `kubernetes.io/metadata.name` is the real name. */
export function realNamespaceLabels(
  scenarioLabels: Readonly<Record<string, string>>,
  realName: string,
  runId: string,
): Record<string, string> {
  return { ...scenarioLabels, [NAMESPACE_NAME_LABEL]: realName, ...ownershipLabels(runId) };
}
