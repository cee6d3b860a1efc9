/**
 * Services: which workloads each selects, and per workload the Service ports with their
 * targetPorts resolved on that workload's containers (DESIGN rule 10: policies judge the pod
 * port). A numeric targetPort the containers do not declare is still served (containers need
 * not declare their ports); a named one that no container declares has no endpoint and is
 * dropped, with a note. Pure.
 */
import { dns1035LabelProblems, dns1123LabelProblems, ianaSvcNameProblems, isValidPortNumber } from '../policy/k8s-names.js';
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import { matchesSelector } from '../policy/selector.js';
import { toServiceRef, type ServedPort, type ServicePortSpec, type ServiceSpec, type WorkloadRef, type WorkloadSpec } from '../scenario/types.js';
import type { FieldReader } from './field-reader.js';
import type { ManifestSite } from './types.js';

/** A Service port as written. */
export interface WrittenServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** As written; the port itself when absent. */
  readonly targetPort: number | string;
}

/** A Service as written, before it is matched to workloads. */
export interface WrittenService {
  readonly namespace: string;
  readonly name: string;
  readonly site: ManifestSite;
  /** Undefined: no selector (endpoints managed elsewhere), or an ExternalName Service. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly WrittenServicePort[];
}

/** Reads and checks one Service object like the API server; undefined when nameless. */
export function readService(reader: FieldReader, namespace: string, notes: string[]): WrittenService | undefined {
  const name = reader.string(['metadata', 'name']);
  if (name === undefined || name === '') {
    reader.problem('MISSING_KEY', ['metadata'], 'Service without metadata.name');
    return undefined;
  }
  const nameProblems = dns1035LabelProblems(name);
  if (nameProblems.length > 0) reader.problem('INVALID_NAME', ['metadata', 'name'], `Service name ${JSON.stringify(name)} ${nameProblems.join('; ')}`);
  const label = `Service ${namespace}/${name}`;
  const type = reader.string(['spec', 'type']) ?? 'ClusterIP';
  const written = reader.list(['spec', 'ports']);
  const ports: WrittenServicePort[] = [];
  written.forEach((_, i) => {
    const at = ['spec', 'ports', i];
    const read = reader.portAndProtocol(at, 'port', label);
    if (!read) return;
    const { port, protocol } = read;
    const portName = reader.string([...at, 'name']);
    if (portName === undefined && written.length > 1) reader.problem('MISSING_KEY', at, `${label} has several ports, so each needs a name`);
    if (portName !== undefined && dns1123LabelProblems(portName).length > 0) {
      reader.problem('INVALID_NAME', [...at, 'name'], `port name ${JSON.stringify(portName)} of ${label} ${dns1123LabelProblems(portName).join('; ')}`);
    }
    const target = reader.value([...at, 'targetPort']) ?? port;
    if (typeof target === 'number' ? !isValidPortNumber(target) : typeof target !== 'string') {
      reader.problem('INVALID_PORT', [...at, 'targetPort'], `targetPort ${JSON.stringify(target)} of ${label} is neither a port from 1 to 65535 nor a port name`);
      return;
    }
    if (typeof target === 'string' && ianaSvcNameProblems(target).length > 0) {
      // The API server reads a numeric string ("8080") as a number too.
      if (!/^\d+$/.test(target)) {
        reader.problem('INVALID_PORT_NAME', [...at, 'targetPort'], `targetPort ${JSON.stringify(target)} of ${label} ${ianaSvcNameProblems(target).join('; ')}`);
        return;
      }
    }
    const targetPort: number | string = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : (target as number | string);
    ports.push({ ...(portName === undefined ? {} : { name: portName }), port, protocol, targetPort });
  });
  const selectorMap = reader.map(['spec', 'selector']);
  const selector = selectorMap === undefined ? undefined : reader.stringMap(['spec', 'selector']);
  if (type === 'ExternalName') {
    notes.push(`${label} is an ExternalName Service: it points outside the cluster and is left out`);
    return { namespace, name, site: reader.site, ports };
  }
  if (selector === undefined || Object.keys(selector).length === 0) {
    notes.push(`${label} has no selector (its endpoints are managed elsewhere): it is left out`);
    return { namespace, name, site: reader.site, ports };
  }
  return { namespace, name, site: reader.site, selector, ports };
}

/** The workloads of the Service's namespace whose pod labels match its selector, sorted by name. */
export function selectedWorkloads(service: WrittenService, workloads: readonly Pick<WorkloadSpec, 'ref' | 'namespace' | 'name' | 'labels'>[]): WorkloadRef[] {
  const selector = service.selector;
  if (selector === undefined) return [];
  return workloads
    .filter((w) => w.namespace === service.namespace && matchesSelector({ matchLabels: selector }, w.labels))
    .map((w) => w.ref)
    .sort();
}

/**
 * The Service as it fronts `workload`: each port's targetPort resolved on the workload's
 * ports. Returns the ServiceSpec (undefined when no port resolves) and the ports the workload
 * must serve in addition (numeric targetPorts its containers do not declare).
 */
export function fitService(service: WrittenService, workload: Pick<WorkloadSpec, 'ref' | 'ports'>, notes: string[]): { readonly spec?: ServiceSpec; readonly extraPorts: readonly ServedPort[] } {
  const extraPorts: ServedPort[] = [];
  const ports: ServicePortSpec[] = [];
  for (const p of service.ports) {
    const base = { ...(p.name === undefined ? {} : { name: p.name }), port: p.port, protocol: p.protocol };
    if (typeof p.targetPort === 'number') {
      const target = p.targetPort;
      const served = [...workload.ports, ...extraPorts].some((s) => s.port === target && s.protocol === p.protocol);
      if (!served) {
        extraPorts.push({ port: target, protocol: p.protocol });
        notes.push(`Service ${service.namespace}/${service.name} forwards to ${target}/${p.protocol}, which no container of ${workload.ref} declares: it is taken as served`);
      }
      ports.push({ ...base, targetPort: target });
      continue;
    }
    const named = workload.ports.find((s) => s.name === p.targetPort && s.protocol === p.protocol);
    if (named === undefined) {
      notes.push(`Service ${service.namespace}/${service.name} port ${p.port}/${p.protocol} targets the port name ${p.targetPort}, which no container of ${workload.ref} declares: that port has no endpoint and is left out`);
      continue;
    }
    ports.push({ ...base, targetPort: named.port, targetPortName: p.targetPort });
  }
  if (ports.length === 0) return { extraPorts };
  ports.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
  return { spec: { ref: toServiceRef(service.namespace, service.name), namespace: service.namespace, name: service.name, ports }, extraPorts };
}
