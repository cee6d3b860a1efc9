/**
 * Runs a probe plan in the cluster (Backend.probe): one script per source pod (DESIGN "Probing"),
 * through the pod's probe session (probe-session.ts) or an exec of its own,
 * all sources concurrently (bounded), every probe of a source concurrently inside its pod.
 * An exec that fails or passes its deadline, and probes that come back inconclusive (`error`),
 * are retried with p-retry; what stays inconclusive is reported as `error`.
 */
import pRetry from 'p-retry';
import { mapLimit } from '../../util/map-limit.js';
import type { Limiter } from '../../util/limiter.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { sourceWorkload, type Outcome, type Probe, type ProbeKey } from '../../probe/types.js';
import type { ServiceRef, WorkloadRef } from '../../scenario/types.js';
import { dialledPort, dialledService } from '../../probe/plan-probes.js';
import { agnhostPodToolset, startUnits, type AgentPorts } from '../../probe/toolset-agnhost-pod.js';
import { isIpLiteral, renderProbeScript, timeoutSeconds, type ProbeCommand } from '../../probe/probe-script.js';
import { parseProbeOutput } from '../../probe/classify-outcome.js';
import { execInPod, type ExecRequest, type ExecResult } from './exec-in-pod.js';
import { PROBE_CONTAINER, PROBE_SCRATCH_DIR } from './build-manifests.js';
import type { ProbeSession } from './probe-session.js';

/** Where everything is, in cluster terms, keyed by the scenario's workload refs. */
export interface ProbeTargets {
  /** Real namespace and pod name of each workload. */
  readonly pods: ReadonlyMap<WorkloadRef, { readonly namespace: string; readonly name: string }>;
  readonly podIps: ReadonlyMap<WorkloadRef, string>;
  /** ClusterIP of every Service, by `<scenario namespace>/<service>`. */
  readonly serviceIps: ReadonlyMap<ServiceRef, string>;
  readonly agentPorts: ReadonlyMap<WorkloadRef, AgentPorts>;
  readonly clusterDomain: string;
}

export interface ProbeRunOptions {
  /** Added to the longest probe's worst case (lookup + connect) for the exec deadline, ms. */
  readonly execMarginMs: number;
  /** Further attempts for a failed exec or inconclusive probes. */
  readonly retries: number;
  /** Source pods probed at once when there is no `execLimiter`. */
  readonly concurrency: number;
  /**
   * Shared by every scenario of a run: the probe tools being started at once on the cluster, in
   * `startUnits`. A round through a session holds its units until its shell has started every
   * probe; an exec of its own, until it ends.
   */
  readonly execLimiter?: Limiter;
  /** The pod's long-lived probe shell, when rounds go through one instead of an exec each. */
  readonly session?: (namespace: string, pod: string) => ProbeSession;
  readonly signal?: AbortSignal;
}

/** The exec function, injectable for tests. */
export type ExecFn = (kubeConfig: KubeConfig, request: ExecRequest) => Promise<ExecResult>;

function command(probe: Probe, host: string): ProbeCommand {
  const kind = probe.to.kind === 'dns' ? (probe.protocol === 'TCP' ? 'lookup-tcp' : 'lookup') : probe.protocol === 'TCP' ? 'tcp' : probe.protocol === 'UDP' ? 'udp' : 'sctp';
  return { key: probe.key, kind, host, port: dialledPort(probe), timeoutMs: probe.timeoutMs };
}

/**
 * The command of a probe with its cluster address, or an error outcome when the target has no
 * such address (a workload serving nothing has no Service). Through a Service the probe dials
 * the Service port (`dialledPort`); the Service's name is `<service>.<real namespace>`. Names are FQDNs: busybox
 * nslookup ignores the search list. A `dns` probe looks up `kubernetes.default.svc.<domain>`,
 * a name every cluster serves. Pure.
 */
export function resolveProbeHost(probe: Probe, targets: ProbeTargets): ProbeCommand | Outcome {
  const { to } = probe;
  switch (to.kind) {
    case 'dns':
      return command(probe, `kubernetes.default.svc.${targets.clusterDomain}`);
    case 'external':
      return command(probe, to.ip);
    case 'workload': {
      const pod = targets.pods.get(to.ref);
      const service = dialledService(probe);
      const serviceName = service?.slice(service.indexOf('/') + 1);
      const address =
        probe.addressing === 'pod-ip'
          ? targets.podIps.get(to.ref)
          : service === undefined
            ? undefined
            : probe.addressing === 'service-ip'
              ? targets.serviceIps.get(service)
              : pod !== undefined && targets.serviceIps.has(service)
                ? `${serviceName}.${pod.namespace}.svc.${targets.clusterDomain}`
                : undefined;
      if (address === undefined) return { kind: 'error', detail: `${to.ref} has no ${probe.addressing} address` };
      return command(probe, address);
    }
  }
}

class Inconclusive extends Error {
  constructor(readonly partial: Map<ProbeKey, Outcome>) {
    super('inconclusive probes');
  }
}

async function probeSource(
  kubeConfig: KubeConfig,
  exec: ExecFn,
  source: WorkloadRef,
  specs: readonly ProbeCommand[],
  targets: ProbeTargets,
  options: ProbeRunOptions,
): Promise<Map<ProbeKey, Outcome>> {
  const pod = targets.pods.get(source);
  const agent = targets.agentPorts.get(source);
  const all = new Map<ProbeKey, Outcome>();
  if (pod === undefined || agent === undefined) {
    for (const s of specs) all.set(s.key, { kind: 'error', detail: `no pod for ${source}` });
    return all;
  }
  const toolset = agnhostPodToolset(agent);
  let pending = specs;
  const attempt = async (): Promise<void> => {
    // A probe by name is a bounded lookup, then a connect bounded by seconds + 1.
    const worst = Math.max(...pending.map((s) => timeoutSeconds(s.timeoutMs) * (isIpLiteral(s.host) ? 1 : 2) + 1));
    const script = renderProbeScript(pending, toolset, PROBE_SCRATCH_DIR);
    const timeoutMs = worst * 1000 + options.execMarginMs;
    // Starting the tools is what costs the node; a probe waiting for its timeout costs nothing,
    // so a round of light tools (nc, wget) gives its units back once they are started. Not a
    // round that starts agnhost (a Go program: most of its 40-90 ms of CPU comes after the
    // launch) or looks names up (its lookups load the cluster DNS until they end: on the rig, 9
    // pods' rounds of 16 lookups at once made lookups and connects by name fail now and then).
    const units = pending.reduce((n, s) => n + startUnits(s, agent), 0);
    const release = (await options.execLimiter?.acquire(units)) ?? (() => undefined);
    const doneAtLaunch = pending.every((s) => startUnits(s, agent) === 1 && isIpLiteral(s.host));
    const result = await (options.session !== undefined
      ? options.session(pod.namespace, pod.name).run(script, timeoutMs, options.signal, doneAtLaunch ? release : undefined)
      : exec(kubeConfig, {
          namespace: pod.namespace,
          pod: pod.name,
          container: PROBE_CONTAINER,
          command: ['sh', '-c', script],
          timeoutMs,
          ...(options.signal !== undefined && { signal: options.signal }),
        })
    ).finally(release);
    const outcomes =
      result.kind === 'failed'
        ? new Map(pending.map((s): [ProbeKey, Outcome] => [s.key, { kind: 'error', detail: `exec in ${pod.namespace}/${pod.name} failed: ${result.message}` }]))
        : parseProbeOutput(result.stdout, pending, toolset);
    if (result.kind === 'deadline') {
      for (const s of pending) {
        if (outcomes.get(s.key)?.kind === 'error') outcomes.set(s.key, { kind: 'error', detail: `exec in ${pod.namespace}/${pod.name} passed its deadline` });
      }
    }
    for (const [k, v] of outcomes) all.set(k, v);
    pending = pending.filter((s) => all.get(s.key)?.kind === 'error');
    if (pending.length > 0) throw new Inconclusive(all);
  };
  await pRetry(attempt, {
    retries: options.retries,
    minTimeout: 200,
    factor: 2,
    randomize: false,
    shouldRetry: () => options.signal?.aborted !== true,
  }).catch((error: unknown) => {
    if (!(error instanceof Inconclusive)) throw error;
  });
  return all;
}

/** Runs `probes`; one outcome per key, in no particular order. Never rejects for a probe failure. */
export async function runPodProbes(
  kubeConfig: KubeConfig,
  probes: readonly Probe[],
  targets: ProbeTargets,
  options: ProbeRunOptions,
  exec: ExecFn = execInPod,
): Promise<Map<ProbeKey, Outcome>> {
  const results = new Map<ProbeKey, Outcome>();
  const bySource = new Map<WorkloadRef, ProbeCommand[]>();
  for (const probe of probes) {
    const spec = resolveProbeHost(probe, targets);
    if (!('key' in spec)) {
      results.set(probe.key, spec);
      continue;
    }
    const from = sourceWorkload(probe);
    const list = bySource.get(from) ?? [];
    list.push(spec);
    bySource.set(from, list);
  }
  const queue = [...bySource].sort(([a], [b]) => a.localeCompare(b));
  // A run-wide limiter bounds the probing of every scenario together: no cap of our own then.
  const limit = options.execLimiter !== undefined ? queue.length : options.concurrency;
  await mapLimit(queue, limit, async ([source, specs]) => {
    for (const [k, v] of await probeSource(kubeConfig, exec, source, specs, targets, options)) results.set(k, v);
  });
  return results;
}
