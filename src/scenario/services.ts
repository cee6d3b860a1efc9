/**
 * The Services of a workload: those written in the scenario, or the default one (named like
 * the workload, every served port as is). Pure.
 */
import { toServiceRef, type ServiceSpec, type WorkloadSpec } from './types.js';

/**
 * The Services in front of `workload`. The default, when the scenario writes none, is one
 * Service of the workload's name whose ports are the served ports, each forwarding to itself;
 * a workload that serves no port has no default Service (a Service needs a port).
 */
export function workloadServices(workload: WorkloadSpec): readonly ServiceSpec[] {
  if (workload.services !== undefined) return workload.services;
  if (workload.ports.length === 0) return [];
  return [
    {
      ref: toServiceRef(workload.namespace, workload.name),
      namespace: workload.namespace,
      name: workload.name,
      ports: workload.ports.map((p) => ({ ...(p.name === undefined ? {} : { name: p.name }), port: p.port, protocol: p.protocol, targetPort: p.port })),
    },
  ];
}

/** True when `service` is the workload's own default (same name, every port forwarding to itself). */
export function isDefaultService(workload: Pick<WorkloadSpec, 'name'>, service: ServiceSpec, port: { readonly port: number; readonly targetPort: number }): boolean {
  return service.name === workload.name && port.port === port.targetPort;
}
