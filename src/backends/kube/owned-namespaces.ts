/**
 * The namespaces one harness process owns on a cluster, and its heartbeat on them. Every
 * namespace of a run carries `netpol-harness/heartbeat` (the last renewal, RFC 3339) and
 * `netpol-harness/heartbeat-ttl` (seconds); while the process lives it renews them, so
 * `cleanup` on the same cluster (another CI job, a developer) can tell a run in progress from
 * the leftovers of a run whose owner is gone. The ledger also remembers every namespace it
 * deleted, for the bounded wait at the end of a run.
 */
import { KubeApiError, type KubeApi } from './kube-api.js';

export const HEARTBEAT_ANNOTATION = 'netpol-harness/heartbeat';
export const HEARTBEAT_TTL_ANNOTATION = 'netpol-harness/heartbeat-ttl';
/** A run's namespaces count as abandoned this long after their last heartbeat (default). */
export const DEFAULT_HEARTBEAT_TTL_SECONDS = 120;

/** The heartbeat annotations as of `now`. */
export function heartbeatAnnotations(now: Date, ttlSeconds: number): Record<string, string> {
  return { [HEARTBEAT_ANNOTATION]: now.toISOString(), [HEARTBEAT_TTL_ANNOTATION]: String(ttlSeconds) };
}

export interface OwnedNamespacesOptions {
  readonly ttlSeconds?: number;
  /** Renewal period, ms (default: a quarter of the TTL). */
  readonly renewMs?: number;
  readonly now?: () => Date;
}

export class OwnedNamespaces {
  readonly ttlSeconds: number;
  private readonly renewMs: number;
  private readonly now: () => Date;
  private readonly live = new Set<string>();
  private readonly released = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly api: KubeApi,
    options: OwnedNamespacesOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_HEARTBEAT_TTL_SECONDS;
    this.renewMs = options.renewMs ?? (this.ttlSeconds * 1000) / 4;
    this.now = options.now ?? (() => new Date());
  }

  /** The annotations a namespace gets at creation. */
  annotations(): Record<string, string> {
    return heartbeatAnnotations(this.now(), this.ttlSeconds);
  }

  /** A namespace was created: keep its heartbeat going. */
  add(namespace: string): void {
    this.live.add(namespace);
    this.released.delete(namespace);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.renew(), this.renewMs);
      // The heartbeat never keeps the process alive by itself.
      this.timer.unref();
    }
  }

  /** A namespace's deletion was issued: no more heartbeats; remembered for `deleted()`. */
  release(namespace: string): void {
    if (!this.live.delete(namespace)) return;
    this.released.add(namespace);
    if (this.live.size === 0) this.stop();
  }

  /** Namespaces whose deletion was issued, sorted. */
  deleted(): string[] {
    return [...this.released].sort();
  }

  /** Renews every live namespace's heartbeat now; failures are ignored (the next beat retries). */
  async renew(): Promise<void> {
    const ops = Object.entries(this.annotations()).map(([key, value]) => ({
      op: 'add',
      path: `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      value,
    }));
    await Promise.all(
      [...this.live].map((name) =>
        this.api.call(`renew the heartbeat of namespace ${name}`, () => this.api.core.patchNamespace({ name, body: ops }), { retries: 0 }).catch((error: unknown) => {
          if (error instanceof KubeApiError && error.status === 404) this.live.delete(name);
        }),
      ),
    );
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Whether a namespace's owner is gone: its heartbeat (or, lacking one, its creation) is older
 * than its TTL. `annotations` and `created` as the API returns them.
 */
export function isAbandoned(annotations: Readonly<Record<string, string>> | undefined, created: Date | undefined, now: Date): boolean {
  const beat = annotations?.[HEARTBEAT_ANNOTATION];
  const ttl = Number(annotations?.[HEARTBEAT_TTL_ANNOTATION] ?? DEFAULT_HEARTBEAT_TTL_SECONDS);
  const last = beat !== undefined ? new Date(beat) : created;
  if (last === undefined || Number.isNaN(last.getTime())) return true;
  return now.getTime() - last.getTime() > (Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_HEARTBEAT_TTL_SECONDS) * 1000;
}
