/**
 * Waits until every pod of the run is Ready and has an IP, with a deadline counted from the
 * last progress (on the 2-core rig, a set of 9 pods created while other sets probed was still
 * starting containers when a fixed 120 s ran out, and the whole run stopped). A pod that does
 * not come up fails the wait with an error naming it, its waiting reason and its last event;
 * an image that cannot be pulled fails at once (ImagePullBackOff), with the air-gap hint, and
 * so does an SCTP server that restarted (the nodes cannot serve SCTP: the caller reports it).
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.js';
import { ownershipSelector } from './run-naming.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { pollUntil } from '../../util/poll-until.js';

export class PodsNotReadyError extends Error {
  override readonly name: string = 'PodsNotReadyError';
}

/** An SCTP server container (build-manifests.ts names them `sctp-<port>`) restarted: the nodes cannot serve SCTP. */
export class SctpServerDownError extends PodsNotReadyError {
  override readonly name = 'SctpServerDownError';
  constructor(
    message: string,
    /** The nodes of the pods whose SCTP server failed. */
    readonly nodes: readonly string[],
  ) {
    super(message);
  }
}

/** `<ns>/<pod> container <name>: <reason>` of a restarted SCTP server of `pod`, if any. */
function sctpServerDown(pod: V1Pod): string | undefined {
  const c = (pod.status?.containerStatuses ?? []).find((s) => s.name.startsWith('sctp-') && (s.restartCount ?? 0) > 0);
  if (c === undefined) return undefined;
  const why = c.state?.waiting?.reason ?? c.lastState?.terminated?.reason ?? 'restarted';
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} container ${c.name}: ${why}`;
}

export interface WaitOptions {
  readonly namespaces: readonly string[];
  readonly runId: string;
  /** Pods expected per namespace (the wait also ends only when all exist). */
  readonly expected: number;
  /**
   * How long the pods may go without progress (a pod created, a container started, a pod
   * Ready), ms: a node busy with other work starts them slowly but surely, a broken one not
   * at all.
   */
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
}

export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.podIP ?? '') !== '' && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

const FATAL_WAITING = new Set(['ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError']);

function waitingReasons(pod: V1Pod): string[] {
  return (pod.status?.containerStatuses ?? []).flatMap((c) =>
    c.state?.waiting?.reason !== undefined ? [`${c.name}: ${c.state.waiting.reason}${c.state.waiting.message !== undefined ? ` (${c.state.waiting.message})` : ''}`] : [],
  );
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t as unknown as string).getTime();
}

async function describeStuck(api: KubeApi, pod: V1Pod): Promise<string> {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const events = await api
    .call(`list events of pod ${ns}/${name}`, () =>
      api.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}` }),
    )
    .then((list) => [...list.items].sort((a, b) => eventTime(a) - eventTime(b)))
    .catch(() => [] as CoreV1Event[]);
  const last = events.at(-1);
  const reasons = waitingReasons(pod);
  return (
    `${ns}/${name} (phase ${pod.status?.phase ?? 'unknown'}${pod.spec?.nodeName !== undefined ? `, node ${pod.spec.nodeName}` : ', not scheduled'})` +
    (reasons.length > 0 ? `; waiting: ${reasons.join('; ')}` : '') +
    (last !== undefined ? `; last event: ${last.reason ?? ''}: ${last.message ?? ''}` : '; no events')
  );
}

/** Resolves with the Ready pods (all namespaces); rejects with PodsNotReadyError. */
export async function waitPodsReady(api: KubeApi, options: WaitOptions): Promise<V1Pod[]> {
  const list = async (): Promise<{ pods: V1Pod[]; notReady: V1Pod[]; fatal: V1Pod[]; sctpDown: Array<{ why: string; node: string | undefined }> }> => {
    const lists = await Promise.all(
      options.namespaces.map((namespace) =>
        api.call(`list pods in ${namespace}`, () => api.core.listNamespacedPod({ namespace, labelSelector: ownershipSelector(options.runId) })),
      ),
    );
    const pods = lists.flatMap((l) => l.items);
    const notReady = pods.filter((p) => !isPodReady(p));
    const fatal = notReady.filter((p) => (p.status?.containerStatuses ?? []).some((c) => FATAL_WAITING.has(c.state?.waiting?.reason ?? '')));
    const sctpDown = notReady.flatMap((p) => {
      const why = sctpServerDown(p);
      return why === undefined ? [] : [{ why, node: p.spec?.nodeName }];
    });
    return { pods, notReady, fatal, sctpDown };
  };
  type Listed = Awaited<ReturnType<typeof list>>;
  const ready = (r: Listed): boolean => r.pods.length >= options.expected && r.notReady.length === 0;
  // A pod that cannot start, or an SCTP server that cannot listen, ends the wait at once.
  const ended = (r: Listed): boolean => ready(r) || r.fatal.length > 0 || r.sctpDown.length > 0;
  // Progress is a new high of pods and running containers: a crash-looping one never adds to it.
  const progressOf = (r: Listed): number =>
    r.pods.reduce((n, p) => n + 1 + (isPodReady(p) ? 1 : 0) + (p.status?.containerStatuses ?? []).filter((c) => c.state?.running !== undefined).length, 0);
  const clock = options.clock ?? systemClock;
  let best = -1;
  let lastProgress = clock.now();
  let value: Listed;
  for (;;) {
    const polled = await pollUntil(list, (r) => ended(r) || progressOf(r) > best, {
      timeoutMs: Math.max(0, lastProgress + options.timeoutMs - clock.now()),
      intervalMs: options.pollMs,
      pauseFirst: best >= 0,
      clock,
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    value = polled.value;
    if (ended(value) || progressOf(value) <= best) break;
    best = progressOf(value);
    lastProgress = clock.now();
  }
  if (ready(value)) return value.pods;
  const { pods, notReady, fatal, sctpDown } = value;
  if (fatal.length === 0 && sctpDown.length > 0) {
    throw new SctpServerDownError(sctpDown.map((d) => d.why).join('; '), [...new Set(sctpDown.flatMap((d) => d.node ?? []))]);
  }
  const stuck = (fatal.length > 0 ? fatal : notReady).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const details = await Promise.all(stuck.slice(0, 5).map((p) => describeStuck(api, p)));
  const head =
    fatal.length > 0
      ? 'pods cannot start (image not pullable; on an air-gapped cluster load the images first, docs/kube.md)'
      : `pods not Ready after ${Math.round(options.timeoutMs / 1000)} s without progress (${pods.length - notReady.length}/${options.expected} Ready)`;
  throw new PodsNotReadyError(`${head}:\n${details.map((d) => `  - ${d}`).join('\n')}`);
}
