/**
 * One workload per pod template: a Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job or CronJob becomes one workload named after it, with its
 * template's labels and every port its containers declare; a bare Pod is a workload of its
 * own. Init containers only run before the pod serves, so they are clients (their ports are
 * not served), except native sidecars (`restartPolicy: Always`), which keep serving.
 * Host-network pods are left out: NetworkPolicies do not apply to them. Pure.
 */
import { ianaSvcNameProblems, isDns1123Label, labelValueProblems, qualifiedNameProblems } from '../policy/k8s-names.js';
import { PROTOCOLS } from '../policy/types.js';
import type { DocPath } from '../scenario/locate-node.js';
import { toWorkloadRef, type ServedPort, type WorkloadSpec } from '../scenario/types.js';
import type { FieldReader } from './field-reader.js';
import type { AppWorkload } from './types.js';

/** Where the pod template of each kind lives; a Pod is its own template. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, DocPath>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** A workload before Services are attached (they are in `spec.services` later). */
export interface ExtractedWorkload {
  /** Undefined for a host-network pod (see `notes`). */
  readonly workload?: Omit<AppWorkload, 'spec'> & { readonly spec: Omit<WorkloadSpec, 'services'> };
  readonly notes: readonly string[];
}

/** A controller name as a workload name: names with dots (valid for controllers) get dashes. */
export function workloadNameOf(name: string): string {
  return isDns1123Label(name) ? name : name.replace(/\./g, '-');
}

/**
 * The workload of the object read by `reader` (a kind of POD_TEMPLATE_PATHS), in
 * `namespace`; no workload for a host-network pod (a note says why); undefined for a
 * nameless object (reported).
 */
export function extractWorkload(reader: FieldReader, kind: string, namespace: string): ExtractedWorkload | undefined {
  const template = POD_TEMPLATE_PATHS[kind]!;
  const name = reader.string(['metadata', 'name']);
  if (name === undefined || name === '') {
    reader.problem('MISSING_KEY', ['metadata'], `${kind} without metadata.name`);
    return undefined;
  }
  const notes: string[] = [];
  if (reader.value([...template, 'spec', 'hostNetwork']) === true) {
    return { notes: [`${kind} ${namespace}/${name} uses the host network: NetworkPolicies do not apply to it, so it is left out`] };
  }
  const workloadName = workloadNameOf(name);
  if (workloadName !== name) notes.push(`${kind} ${namespace}/${name}: its workload is named ${workloadName} (workload names are DNS-1123 labels)`);
  if (!isDns1123Label(workloadName)) reader.problem('INVALID_NAME', ['metadata', 'name'], `${kind} name ${JSON.stringify(name)} is not a DNS-1123 name`);
  const labelsPath = [...template, 'metadata', 'labels'];
  const labels = reader.stringMap(labelsPath);
  for (const [key, value] of Object.entries(labels)) {
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) reader.problem('INVALID_LABEL_KEY', [...labelsPath, key], `label key ${JSON.stringify(key)}: ${keyProblems.join('; ')}`);
    const valueProblems = labelValueProblems(value);
    if (valueProblems.length > 0) reader.problem('INVALID_LABEL_VALUE', [...labelsPath, key], `label value ${JSON.stringify(value)} of ${JSON.stringify(key)}: ${valueProblems.join('; ')}`);
  }
  const ports = servedPorts(reader, [...template, 'spec'], `${kind} ${namespace}/${name}`, notes);
  return {
    workload: { kind, site: reader.site, spec: { ref: toWorkloadRef(namespace, workloadName), namespace, name: workloadName, labels, ports } },
    notes,
  };
}

/** The ports the pod serves: every container's, and native sidecars' (init containers that keep running). */
function servedPorts(reader: FieldReader, podSpec: DocPath, owner: string, notes: string[]): ServedPort[] {
  const out: ServedPort[] = [];
  const containers: DocPath[] = [
    ...reader.list([...podSpec, 'containers']).map((_, i) => [...podSpec, 'containers', i]),
    ...reader
      .list([...podSpec, 'initContainers'])
      .map((_, i): DocPath => [...podSpec, 'initContainers', i])
      .filter((path) => reader.value([...path, 'restartPolicy']) === 'Always'),
  ];
  for (const container of containers) {
    reader.list([...container, 'ports']).forEach((_, j) => {
      const at = [...container, 'ports', j];
      const read = reader.portAndProtocol(at, 'containerPort', owner);
      if (!read) return;
      const { port, protocol } = read;
      const name = reader.string([...at, 'name']);
      if (name !== undefined && ianaSvcNameProblems(name).length > 0) {
        reader.problem('INVALID_PORT_NAME', [...at, 'name'], `port name ${JSON.stringify(name)} of ${owner} ${ianaSvcNameProblems(name).join('; ')}`);
        return;
      }
      const same = out.find((p) => p.port === port && p.protocol === protocol);
      if (same) {
        if (name !== undefined && same.name !== name) notes.push(`${owner}: port ${port}/${protocol} is declared twice; kept the name ${same.name ?? '(none)'}`);
        return;
      }
      if (name !== undefined && out.some((p) => p.name === name)) {
        notes.push(`${owner}: two ports are named ${name}; the second (${port}/${protocol}) is kept without its name`);
        out.push({ port, protocol });
        return;
      }
      out.push(name === undefined ? { port, protocol } : { port, protocol, name });
    });
  }
  return out.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
}
