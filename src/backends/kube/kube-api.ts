/**
 * The client-node API objects the backend uses, every call bounded by a deadline and retried
 * on transient errors (DESIGN "Reliability and safety": 429, 5xx, connection resets, a hung
 * request). The deadline reaches the HTTP request itself: a middleware installed in every
 * client sets the AbortSignal of the call in flight (carried by AsyncLocalStorage), so a
 * stuck request is cancelled, not just abandoned.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  createConfiguration,
  KubernetesObjectApi,
  ServerConfiguration,
  VersionApi,
  type KubeConfig,
  type Middleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import pRetry from 'p-retry';

/** Limits of every API call. */
export interface CallLimits {
  /** Deadline of one attempt, ms. */
  readonly timeoutMs: number;
  /** Further attempts after a transient failure. */
  readonly retries: number;
  /** First backoff, ms (doubles per attempt, capped at 2 s). */
  readonly minBackoffMs: number;
}

export const DEFAULT_CALL_LIMITS: CallLimits = { timeoutMs: 15_000, retries: 4, minBackoffMs: 250 };

/** An API call that failed for good; `status` is the HTTP status when there was a response. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The server's own message (metav1.Status.message), when it sent one. */
    readonly serverMessage: string | undefined,
  ) {
    super(message);
  }
}

/** The clients plus `call`, which every use of them goes through. */
export interface KubeApi {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly authz: AuthorizationV1Api;
  readonly version: VersionApi;
  readonly objects: KubernetesObjectApi;
  /**
   * Runs `fn` (one client call) with a deadline per attempt and retries transient failures
   * with backoff. `what` names the call in errors (`list pods in ns-x1`). Failures become a
   * `KubeApiError` whose message includes `what`, the status and the server's message.
   */
  call<T>(what: string, fn: () => Promise<T>, limits?: Partial<CallLimits>): Promise<T>;
}

const callSignal = new AsyncLocalStorage<AbortSignal>();

/** Sets the signal of the call in flight on each request (client-node passes it to fetch). */
const deadlineMiddleware: Middleware = {
  pre(context: RequestContext): Promise<RequestContext> {
    const signal = callSignal.getStore();
    if (signal !== undefined) context.setSignal(signal);
    return Promise.resolve(context);
  },
  post(context: ResponseContext): Promise<ResponseContext> {
    return Promise.resolve(context);
  },
};

/** The server's message of an ApiException body (JSON text or an object), when present. */
export function serverMessageOf(error: unknown): string | undefined {
  if (error instanceof KubeApiError) return error.serverMessage;
  if (!(error instanceof ApiException)) return undefined;
  const raw: unknown = error.body;
  let body: unknown = raw;
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw);
    } catch {
      return raw.length > 0 ? raw.slice(0, 500) : undefined;
    }
  }
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return undefined;
}

/** HTTP status of a client-node failure, when it had a response. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (error instanceof KubeApiError) return error.status;
  return undefined;
}

/**
 * A pod refused because its new namespace has no `default` ServiceAccount yet: the controller
 * creates it moments after the namespace (seen on a freshly started cluster), so it passes.
 */
export function lacksDefaultServiceAccount(error: unknown): boolean {
  return statusOf(error) === 403 && /serviceaccount "default" not found/.test(serverMessageOf(error) ?? '');
}

/**
 * Transient: 429, a namespace without its default ServiceAccount yet, 5xx (except a schema rejection, which is permanent: SSA of a field the
 * server does not know answers 500 "field not declared in schema"), a reset or refused
 * connection, a deadline hit.
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) {
    if (status === 429 || lacksDefaultServiceAccount(error)) return true;
    return status >= 500 && !/not declared in schema/.test(serverMessageOf(error) ?? '');
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError' || (error instanceof DeadlineError);
}

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

function describeFailure(what: string, error: unknown, timeoutMs: number): KubeApiError {
  if (error instanceof KubeApiError) return error;
  const status = statusOf(error);
  const serverMessage = serverMessageOf(error);
  if (status !== undefined) {
    return new KubeApiError(`${what}: HTTP ${status}${serverMessage !== undefined ? `: ${serverMessage}` : ''}`, status, serverMessage);
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (error instanceof DeadlineError || name === 'AbortError' || name === 'TimeoutError') {
    return new KubeApiError(`${what}: no answer within ${timeoutMs} ms`, undefined, undefined);
  }
  const text = error instanceof Error ? error.message : String(error);
  return new KubeApiError(`${what}: ${text}`, undefined, undefined);
}

/** Runs `fn` with an abortable deadline; the timer also rejects if `fn` ignores the signal. */
async function withDeadline<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineError(`deadline of ${timeoutMs} ms`));
      reject(new DeadlineError(`deadline of ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([callSignal.run(controller.signal, fn), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the clients for `kubeConfig`'s current cluster (as `KubeConfig.makeApiClient` does,
 * plus the deadline middleware). Throws when the config has no current cluster.
 */
export function makeKubeApi(kubeConfig: KubeConfig, defaults: CallLimits = DEFAULT_CALL_LIMITS): KubeApi {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [deadlineMiddleware],
  });
  return {
    kubeConfig,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    authz: new AuthorizationV1Api(configuration),
    version: new VersionApi(configuration),
    objects: new KubernetesObjectApi(configuration),
    async call<T>(what: string, fn: () => Promise<T>, limits?: Partial<CallLimits>): Promise<T> {
      const { timeoutMs, retries, minBackoffMs } = { ...defaults, ...limits };
      try {
        return await pRetry(() => withDeadline(fn, timeoutMs), {
          retries,
          minTimeout: minBackoffMs,
          maxTimeout: 2000,
          factor: 2,
          randomize: false,
          shouldRetry: ({ error }) => isTransient(error),
        });
      } catch (error) {
        throw describeFailure(what, error, timeoutMs);
      }
    },
  };
}
