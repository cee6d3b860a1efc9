/**
 * After the pods are Ready, Services may not answer yet: endpoints, kube-proxy rules and DNS records lag
 * behind by a second or more (measured on the 1.20 rig: the first round by ClusterIP got
 * `refused`). Before any policy exists, every Service must answer from a pod by ClusterIP;
 * this polls until it does or the deadline passes, and reports which did not (a warning:
 * the run's baseline then shows it).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Probe, ProbeKey } from '../../probe/types.js';
import type { WorkloadRef, WorkloadSpec } from '../../scenario/types.js';
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

/** Returns the workloads whose Service never answered (empty when all did). */
export async function warmUpServices(
  kubeConfig: KubeConfig,
  workloads: readonly WorkloadSpec[],
  targets: ProbeTargets,
  options: WarmUpOptions,
): Promise<WorkloadRef[]> {
  const source = [...workloads].sort((a, b) => a.ref.localeCompare(b.ref))[0];
  if (source === undefined) return [];
  let pending: Probe[] = workloads.flatMap((w): Probe[] => {
    const port = w.ports[0];
    if (port === undefined || !targets.serviceIps.has(w.ref)) return [];
    return [
      {
        key: `warm-up ${source.ref} -> ${w.ref}:${port.port}/${port.protocol}` as ProbeKey,
        from: source.ref,
        to: { kind: 'workload', ref: w.ref },
        port: port.port,
        protocol: port.protocol,
        addressing: options.addressing ?? 'service-ip',
        timeoutMs: toMillis(1000),
      },
    ];
  });
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
  return pending.map((p) => (p.to.kind === 'workload' ? p.to.ref : p.from));
}
