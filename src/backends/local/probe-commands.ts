/**
 * From the shared probe plan to the commands one source's script runs on the local
 * dataplane: the probe's addressing decides the host (DESIGN rule 11: by Service name through
 * the cluster DNS). Pure.
 */
import type { Topology } from '../backend.js';
import type { ProbeCommand, ProbeKind } from '../../probe/probe-script.js';
import type { Probe } from '../../probe/types.js';
import { dialledPort, dialledService } from '../../probe/plan-probes.js';
import { assertNever } from '../../assert-never.js';
import { dnsProbeName } from './cluster-dns.js';

function kindOf(probe: Probe): ProbeKind {
  if (probe.addressing === 'dns-lookup') return probe.protocol === 'TCP' ? 'lookup-tcp' : 'lookup';
  switch (probe.protocol) {
    case 'TCP':
      return 'tcp';
    case 'UDP':
      return 'udp';
    case 'SCTP':
      return 'sctp';
    default:
      return assertNever(probe.protocol, 'protocol');
  }
}

function lookup<K extends string>(map: ReadonlyMap<K, string>, ref: K, what: string): string {
  const value = map.get(ref);
  if (value === undefined) throw new Error(`no ${what} for ${ref}`);
  return value;
}

/** The host a probe connects to (or, for a dns probe, the name it looks up). */
export function probeHost(probe: Probe, topology: Topology): string {
  const to = probe.to;
  switch (probe.addressing) {
    case 'dns-lookup':
      return dnsProbeName(topology.clusterDomain);
    case 'external-ip':
      if (to.kind !== 'external') throw new Error(`probe ${probe.key}: external-ip addressing of a ${to.kind} target`);
      return to.ip;
    case 'service-name':
    case 'service-ip':
    case 'pod-ip': {
      if (to.kind !== 'workload') throw new Error(`probe ${probe.key}: ${probe.addressing} addressing of a ${to.kind} target`);
      if (probe.addressing === 'pod-ip') return lookup(topology.podIps, to.ref, 'pod IP');
      const service = dialledService(probe)!;
      if (probe.addressing === 'service-ip') return lookup(topology.serviceIps, service, 'Service IP');
      // `<svc>.<ns>`, resolved through the search list like an application would.
      const [namespace, name] = service.split('/');
      return `${name}.${namespace}`;
    }
    default:
      return assertNever(probe.addressing, 'addressing');
  }
}

/** The script command of one probe: through a Service it dials the Service port. */
export function toProbeCommand(probe: Probe, topology: Topology): ProbeCommand {
  return { key: probe.key, kind: kindOf(probe), host: probeHost(probe, topology), port: dialledPort(probe), timeoutMs: probe.timeoutMs };
}
