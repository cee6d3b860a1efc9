/**
 * After the pods are Ready, Services may not answer yet: endpoints, kube-proxy rules and DNS records lag
 * behind by a second or more (measured on the 1.20 rig: the first round by ClusterIP got
 * `refused`). Before any policy exists, every Service must answer from a pod by ClusterIP;
 * this polls until it does or the deadline passes, and reports which did not (a warning:
 * the run's baseline then shows it).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Probe, ProbeKey } from '../../probe/types.js';
import { dialledService } from '../../probe/plan-probes.js';
import { isDefaultService, workloadServices } from '../../scenario/services.js';
import type { ServiceRef, WorkloadSpec } from '../../scenario/types.js';
import { toMillis } from '../../scenario/types.js';
import { runPodProbes, type ExecFn, type ProbeTargets } from './probe-pods.js';
import { pollUntil } from '../../util/poll-until.js';

export interface WarmUpOptions {
  /**
   * `service-name` also waits for the cluster DNS to serve the new names (a DNS that follows
   * Services with a lag answers NXDOMAIN for a while); default `service-ip`.
   */
  readonly addressing?: 'service-ip' | 'service-name';
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
  readonly exec?: ExecFn;
}

/** Returns the Services that never answered (empty when all did), by `<namespace>/<service>`. */
export async function warmUpServices(
  kubeConfig: KubeConfig,
  workloads: readonly WorkloadSpec[],
  targets: ProbeTargets,
  options: WarmUpOptions,
): Promise<ServiceRef[]> {
  const source = [...workloads].sort((a, b) => a.ref.localeCompare(b.ref))[0];
  if (source === undefined) return [];
  // One port of every Service, dialled by ClusterIP (or by name, see `addressing`).
  let pending: Probe[] = workloads.flatMap((w) =>
    workloadServices(w).flatMap((service): Probe[] => {
      const port = service.ports[0];
      if (port === undefined || !targets.serviceIps.has(service.ref)) return [];
      const via = isDefaultService(w, service, port) ? undefined : { ref: service.ref, name: service.name, port: port.port };
      return [
        {
          key: `warm-up ${source.ref} -> ${service.ref}:${port.port}/${port.protocol}` as ProbeKey,
          from: source.ref,
          to: { kind: 'workload', ref: w.ref },
          port: port.targetPort,
          protocol: port.protocol,
          addressing: options.addressing ?? 'service-ip',
          timeoutMs: toMillis(1000),
          ...(via === undefined ? {} : { service: via }),
        },
      ];
    }),
  );
  const polled = await pollUntil(
    async () => {
      const outcomes = await runPodProbes(
        kubeConfig,
        pending,
        targets,
        { execMarginMs: 5000, retries: 0, concurrency: 1, ...(options.signal !== undefined && { signal: options.signal }) },
        ...(options.exec !== undefined ? [options.exec] : []),
      );
      pending = pending.filter((p) => outcomes.get(p.key)?.kind !== 'ok');
      return pending;
    },
    (left) => left.length === 0,
    { timeoutMs: options.timeoutMs, intervalMs: options.pollMs, ...(options.signal !== undefined && { signal: options.signal }) },
  );
  pending = polled.value;
  return pending.map((p) => dialledService(p)!);
}
