/**
 * The kube backend (Backend on a real cluster through @kubernetes/client-node). Use:
 *
 *   const conn = await connectKube({ kubeconfig, context });      // kubeconfig + preflight, once
 *   if (!conn.ok) -> exit 3 with conn.message
 *   const backend = createKubeBackend(conn, { sameNode });   // one per scenario
 *   // or, in one go (throws KubeEnvironmentError): await openKubeBackend(options)
 *
 * Everything the backend returns uses the scenario's namespace names; the cluster sees
 * `<ns>-<runId>` (run-naming.ts). See docs/kube.md for images, flags and RBAC.
 */
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { UnsupportedError, type Backend, type BackendContext, type Topology } from '../backend.js';
import type { Outcome, Probe, ProbeKey } from '../../probe/types.js';
import type { ClusterState, Scenario, ServiceRef, WorkloadRef } from '../../scenario/types.js';
import { toServiceRef, toWorkloadRef } from '../../scenario/types.js';
import type { AgentPorts } from '../../probe/toolset-agnhost-pod.js';
import { applyState, emptyAppliedState, type AppliedState } from './apply-state.js';
import {
  agnhostConnectsUdp,
  buildNamespace,
  buildPod,
  buildServices,
  chooseAgentPorts,
  DEFAULT_IMAGES,
  PROBE_CONTAINER,
  podHarnessLabels,
  type WorkloadImages,
} from './build-manifests.js';
import { deleteOwnedNamespace } from './cleanup.js';
import { createOwned } from './create-owned.js';
import { findClusterFacts } from './find-cluster-facts.js';
import { findDns } from './find-dns.js';
import { DEFAULT_CALL_LIMITS, KubeApiError, lacksDefaultServiceAccount, makeKubeApi, type CallLimits, type KubeApi } from './kube-api.js';
import { loadKubeConfig, type KubeConfigSource } from './load-kubeconfig.js';
import { OwnedNamespaces } from './owned-namespaces.js';
import { runPreflight, type PreflightReport } from './preflight.js';
import { unsupportedOnServer } from './unsupported-features.js';
import { runPodProbes, type ExecFn, type ProbeTargets } from './probe-pods.js';
import { isValidRunId, makeNamespaceMap, realNamespaceLabels, type NamespaceMap } from './run-naming.js';
import { SctpServerDownError, waitPodsReady } from './wait-pods-ready.js';
import type { Limiter } from '../../util/limiter.js';
import { warmUpServices } from './warm-up-services.js';
import { execInPod } from './exec-in-pod.js';
import { checkNcConnect, ProbeToolCheck } from './check-probe-tools.js';
import { ProbeSession } from './probe-session.js';
import { SctpFinding } from './sctp-finding.js';
import { usesSctp } from '../../scenario/scenario-features.js';

/** Options of the kube backend; every field is optional. */
export interface KubeBackendOptions extends KubeConfigSource {
  /** Workload image (default agnhost 2.53, `imagePullPolicy: IfNotPresent`). */
  readonly images?: Partial<WorkloadImages>;
  /** Pack every pod on one node (default: spread by soft anti-affinity). */
  readonly sameNode?: boolean;
  /** 1-16 of [a-z0-9]; default: 6 random characters. */
  readonly runId?: string;
  /** Deadline for all pods to be Ready, ms (default 120 000). */
  readonly podReadyTimeoutMs?: number;
  /** Cluster DNS domain (default `cluster.local`). */
  readonly clusterDomain?: string;
  /** Deadline and retries of every API call. */
  readonly callLimits?: Partial<CallLimits>;
  /** Deadline of each preflight call, ms (default 10 000). */
  readonly preflightTimeoutMs?: number;
  /** Source pods probed at once when there is no `execLimiter` (default 8). */
  readonly probeConcurrency?: number;
  /** Bounds probe execs across every backend that shares it (one run's scenarios). */
  readonly execLimiter?: Limiter;
  /** Retries of failed execs / inconclusive probes (default 2). */
  readonly probeRetries?: number;
  /**
   * The namespaces of this process, with their heartbeat; shared by every backend of one run
   * so the run can wait for all of them at the end. Default: one of the backend's own.
   */
  readonly owned?: OwnedNamespaces;
  /** How long setUp waits for every Service to answer by ClusterIP, ms (default 30 000). */
  readonly serviceWarmUpMs?: number;
  /** For tests: replaces the real exec. */
  readonly exec?: ExecFn;
  /** Which probe tools the image has, asked once for every backend that shares it (one run). */
  readonly toolCheck?: ProbeToolCheck;
  /** Where SCTP servers failed, for every backend that shares it (one run). */
  readonly sctpFinding?: SctpFinding;
}

/** The environment cannot run the kube backend (the CLI exits 3). */
export class KubeEnvironmentError extends Error {
  override readonly name = 'KubeEnvironmentError';
  constructor(
    message: string,
    readonly preflight?: PreflightReport,
  ) {
    super(message);
  }
}

/** A checked connection: reusable for several backends (one per scenario). */
export interface KubeConnection {
  readonly ok: true;
  readonly api: KubeApi;
  readonly context: string;
  readonly server: string;
  readonly preflight: PreflightReport;
}

export type KubeConnectResult = KubeConnection | { readonly ok: false; readonly message: string; readonly preflight?: PreflightReport };

/** The backend plus what it found. */
export interface KubeBackend extends Backend {
  readonly kind: 'kube';
  readonly preflight: PreflightReport;
  readonly context: string;
  /** The run id of the current (or last) setUp. */
  readonly runId: string;
  /** Cluster name of a scenario namespace in the current run (undefined before setUp). */
  clusterNamespace(scenarioNamespace: string): string | undefined;
}

/** Loads the kubeconfig and runs the preflight. Expected failures are values. */
export async function connectKube(options: KubeBackendOptions = {}): Promise<KubeConnectResult> {
  const loaded = loadKubeConfig(options);
  if (!loaded.ok) return { ok: false, message: loaded.message };
  const api = makeKubeApi(loaded.kubeConfig, { ...DEFAULT_CALL_LIMITS, ...options.callLimits });
  const preflight = await runPreflight(api, { timeoutMs: options.preflightTimeoutMs ?? 10_000 });
  if (preflight.problems.length > 0) {
    return {
      ok: false,
      message: `cluster ${loaded.server} (context ${loaded.context}) is not usable:\n${preflight.problems.map((p) => `  - ${p.message}`).join('\n')}`,
      preflight,
    };
  }
  return { ok: true, api, context: loaded.context, server: loaded.server, preflight };
}

/** connectKube + createKubeBackend; throws KubeEnvironmentError when the cluster is not usable. */
export async function openKubeBackend(options: KubeBackendOptions = {}): Promise<KubeBackend> {
  const conn = await connectKube(options);
  if (!conn.ok) throw new KubeEnvironmentError(conn.message, conn.preflight);
  return createKubeBackend(conn, options);
}

function newRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
}

interface RunState {
  readonly runId: string;
  readonly namespaces: NamespaceMap;
  /** Real namespaces created so far (for tearDown after a partial setUp). */
  readonly created: string[];
  readonly applied: AppliedState;
  targets?: ProbeTargets;
  /** Each source pod's probe shell, by `<namespace>/<pod>`, opened on its first round. */
  readonly sessions: Map<string, ProbeSession>;
}

/** Whether any step of `scenario` looks a Service name up (then it needs the cluster DNS). */
export function needsDns(scenario: Scenario): boolean {
  return scenario.steps.some((s) => s.probe.dns || s.probe.target === 'service-name');
}

/** A backend on a checked connection. setUp may be called again after tearDown (a new run id). */
export function createKubeBackend(conn: KubeConnection, options: KubeBackendOptions = {}): KubeBackend {
  const { api, preflight } = conn;
  if (options.runId !== undefined && !isValidRunId(options.runId)) {
    throw new Error(`invalid run id "${options.runId}": 1-16 lowercase letters or digits`);
  }
  const images: WorkloadImages = { ...DEFAULT_IMAGES, ...options.images };
  const udpConnect = agnhostConnectsUdp(images.agnhost);
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const version = preflight.serverVersion;
  const serverVersion = version?.gitVersion ?? 'unknown';
  const unprivilegedPortSysctl = version !== undefined && (version.major > 1 || version.minor >= 22);
  const owned = options.owned ?? new OwnedNamespaces(api);
  const toolCheck = options.toolCheck ?? new ProbeToolCheck();
  const sctpFinding = options.sctpFinding ?? new SctpFinding(api, preflight.canListNodes);
  const exec = options.exec ?? execInPod;
  let runs = 0;
  let run: RunState | undefined;
  let lastRunId = options.runId ?? '';

  /** A pod or Service the cluster refused: SCTP switched off is unsupported, anything else the environment. */
  function refused(what: string, error: unknown): Error {
    if (!(error instanceof KubeApiError) || error.status === undefined || error.status < 400 || error.status >= 500) return error as Error;
    const message = error.serverMessage ?? error.message;
    if (lacksDefaultServiceAccount(error)) {
      return new KubeEnvironmentError(`the cluster refused ${what}: ${message}\nA new namespace gets its default ServiceAccount from kube-controller-manager within seconds; check that it runs.`, preflight);
    }
    if (/SCTP/.test(message)) return new UnsupportedError('SCTP', `the cluster (Kubernetes ${serverVersion}) refused ${what} with an SCTP port: ${message}`);
    return new KubeEnvironmentError(
      `the cluster refused ${what}: ${message}\n` +
        'The harness\'s pods meet the restricted Pod Security Standard; an admission policy that still refuses them must allow them (docs/kube.md, "Pod security").',
      preflight,
    );
  }

  async function setUp(scenario: Scenario, ctx: BackendContext): Promise<Topology> {
    if (run !== undefined) await tearDown();
    const base = options.runId ?? newRunId();
    const runId = runs === 0 ? base : `${base}r${runs}`;
    runs += 1;
    lastRunId = runId;
    const namespaces = makeNamespaceMap(scenario.namespaces.map((n) => n.name), runId);
    const state: RunState = { runId, namespaces, created: [], applied: emptyAppliedState(), sessions: new Map() };
    run = state;
    const sctpDown = usesSctp(scenario) ? await sctpFinding.downEverywhere() : undefined;
    if (sctpDown !== undefined) throw new UnsupportedError('SCTP', sctpDown);

    // Looked up even when this scenario needs no lookups: a shared topology may serve one that does.
    const found = await findDns(api, scenario.dnsDeclared === true ? scenario.dns : undefined, { timeoutMs: options.preflightTimeoutMs ?? 10_000, retries: 2 });
    if ('problem' in found && needsDns(scenario)) throw new KubeEnvironmentError(`${scenario.name} looks Service names up, but ${found.problem.message}`, preflight);
    const dns = 'problem' in found ? undefined : found;

    ctx.progress(`creating ${scenario.namespaces.length} namespaces (run ${runId})`);
    ctx.signal.throwIfAborted();
    await Promise.all(
      scenario.namespaces.map(async (ns) => {
        const real = namespaces.toReal.get(ns.name) ?? ns.name;
        await createOwned(
          api,
          `namespace ${real}`,
          runId,
          () => api.core.createNamespace({ body: buildNamespace(ns, real, runId, owned.annotations()) }),
          () => api.core.readNamespace({ name: real }),
        );
        state.created.push(real);
        owned.add(real);
        state.applied.namespaceLabels.set(real, realNamespaceLabels(ns.labels, real, runId));
      }),
    );

    // A scenario that probes only by pod IP dials no Service: creating them (and waiting for
    // kube-proxy to program them) would be set-up time for nothing.
    const usesServices = scenario.steps.some((s) => s.probe.target !== 'pod-ip');
    ctx.progress(`creating ${scenario.workloads.length} pods${usesServices ? ' and their Services' : ''}`);
    const serviceIps = new Map<ServiceRef, string>();
    const pods = new Map<WorkloadRef, { namespace: string; name: string }>();
    await Promise.all(
      scenario.workloads.map(async (w) => {
        const real = namespaces.toReal.get(w.namespace) ?? w.namespace;
        pods.set(w.ref, { namespace: real, name: w.name });
        const pod = buildPod(w, { realNamespace: real, runId, images, sameNode: options.sameNode ?? false, unprivilegedPortSysctl });
        await createOwned(
          api,
          `pod ${real}/${w.name}`,
          runId,
          () => api.core.createNamespacedPod({ namespace: real, body: pod }),
          () => api.core.readNamespacedPod({ namespace: real, name: w.name }),
        ).catch((error: unknown) => {
          throw refused(`pod ${real}/${w.name}`, error);
        });
        state.applied.podLabels.set(`${real}/${w.name}`, { ...w.labels, ...podHarnessLabels(w.name, runId) });
        for (const service of usesServices ? buildServices(w, real, runId) : []) {
          const name = (service.metadata as { name: string }).name;
          const created = await createOwned(
            api,
            `service ${real}/${name}`,
            runId,
            () => api.core.createNamespacedService({ namespace: real, body: service }),
            () => api.core.readNamespacedService({ namespace: real, name }),
          ).catch((error: unknown) => {
            throw refused(`Service ${real}/${name}`, error);
          });
          const ip = created.spec?.clusterIP;
          if (ip !== undefined && ip !== '' && ip !== 'None') serviceIps.set(toServiceRef(w.namespace, name), ip);
        }
      }),
    );

    ctx.progress(`waiting for ${scenario.workloads.length} pods to be Ready`);
    const ready = await waitPodsReady(api, {
      namespaces: state.created,
      runId,
      expected: scenario.workloads.length,
      timeoutMs: options.podReadyTimeoutMs ?? 120_000,
      pollMs: 500,
      signal: ctx.signal,
    }).catch((error: unknown) => {
      if (!(error instanceof SctpServerDownError)) throw error;
      const message = `SCTP servers cannot listen on this cluster's nodes (Kubernetes ${serverVersion}; is the kernel's sctp module loaded?): ${error.message}`;
      sctpFinding.noteDown(error.nodes, message);
      throw new UnsupportedError('SCTP', message);
    });
    const podIps = new Map<WorkloadRef, string>();
    const nodes = new Map<WorkloadRef, string>();
    for (const pod of ready) {
      const ref = scenarioRef(pod, namespaces);
      if (ref === undefined) continue;
      podIps.set(ref, pod.status?.podIP ?? '');
      if (pod.spec?.nodeName !== undefined) nodes.set(ref, pod.spec.nodeName);
    }
    const ncConnect = await toolCheck.ncConnect(async () => {
      const first = scenario.workloads[0];
      const pod = first === undefined ? undefined : pods.get(first.ref);
      if (first === undefined || pod === undefined) return undefined;
      const answer = await checkNcConnect(api.kubeConfig, exec, { ...pod, agent: chooseAgentPorts(first.ports), servedTcp: first.ports.filter((p) => p.protocol === 'TCP').map((p) => p.port) }, ctx.signal);
      if (answer !== undefined) ctx.progress(answer !== null ? `probe tools: busybox nc${answer === 'verbose' ? ' -vv' : ''} for TCP connects (it passed a connect and a refusal in ${first.ref})` : "probe tools: agnhost connect for TCP (the image's nc failed a connect or a refusal)");
      return answer;
    });
    const agentPorts = new Map<WorkloadRef, AgentPorts>(scenario.workloads.map((w) => [w.ref, { ...chooseAgentPorts(w.ports), udpConnect, ...(ncConnect !== undefined && { ncConnect }) }]));
    state.targets = { pods, podIps, serviceIps, agentPorts, clusterDomain };
    if (serviceIps.size > 0) {
      ctx.progress(`waiting for ${serviceIps.size} Services to answer`);
      // Probes by name need the DNS to know the new Services too.
      const addressing = dns !== undefined && needsDns(scenario) ? 'service-name' : 'service-ip';
      const silent = await warmUpServices(api.kubeConfig, scenario.workloads, state.targets, {
        addressing,
        timeoutMs: options.serviceWarmUpMs ?? 30_000,
        pollMs: 500,
        signal: ctx.signal,
        exec,
      });
      if (silent.length > 0) ctx.progress(`warning: Services not answering ${addressing === 'service-name' ? 'by name' : 'by ClusterIP'} yet: ${silent.join(', ')}`);
    }
    const facts = dns === undefined ? [] : findClusterFacts(dns, scenario.dns, version, preflight.nodeLocalDns);
    return {
      podIps,
      serviceIps,
      dnsPods: dns?.pods ?? [],
      dnsServiceIp: dns?.serviceIp ?? '',
      clusterDomain,
      nodes,
      ...(facts.length > 0 ? { facts } : {}),
    };
  }

  async function apply(state: ClusterState, ctx: BackendContext): Promise<void> {
    if (run === undefined) throw new Error('kube backend: apply() before setUp()');
    ctx.signal.throwIfAborted();
    await applyState(
      { api, namespaces: run.namespaces, runId: run.runId, serverVersion, applied: run.applied, progress: (m) => ctx.progress(m) },
      state,
    );
  }

  async function probe(probes: readonly Probe[], ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
    if (run?.targets === undefined) throw new Error('kube backend: probe() before setUp()');
    const { sessions } = run;
    const session = (namespace: string, pod: string): ProbeSession => {
      const key = `${namespace}/${pod}`;
      let found = sessions.get(key);
      if (found === undefined) {
        found = new ProbeSession(api.kubeConfig, { namespace, pod, container: PROBE_CONTAINER });
        sessions.set(key, found);
      }
      return found;
    };
    return runPodProbes(
      api.kubeConfig,
      probes,
      run.targets,
      {
        execMarginMs: 10_000,
        retries: options.probeRetries ?? 2,
        concurrency: options.probeConcurrency ?? 8,
        ...(options.execLimiter !== undefined && { execLimiter: options.execLimiter }),
        // An injected exec (tests) replaces every exec, sessions included.
        ...(options.exec === undefined && { session }),
        signal: ctx.signal,
      },
      exec,
    );
  }

  /** Ends the probe sessions (each an open exec): they would keep the process alive. */
  function closeSessions(state: RunState | undefined): void {
    for (const session of state?.sessions.values() ?? []) session.close();
    state?.sessions.clear();
  }

  /** Issues the deletions and returns: the next scenario does not wait for namespaces to go. */
  async function tearDown(): Promise<void> {
    const current = run;
    run = undefined;
    closeSessions(current);
    if (current === undefined) return;
    const failures: string[] = [];
    await Promise.all(
      current.created.map(async (ns) => {
        await deleteOwnedNamespace(api, ns, current.runId).then(
          () => owned.release(ns),
          (e: unknown) => failures.push((e as Error).message),
        );
      }),
    );
    if (failures.length > 0) {
      throw new Error(`cleanup of run ${current.runId} incomplete (run \`netpol-harness cleanup\`):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    }
  }

  return {
    kind: 'kube',
    preflight,
    context: conn.context,
    get runId() {
      return lastRunId;
    },
    clusterNamespace: (ns) => run?.namespaces.toReal.get(ns),
    unsupported: (scenario) => unsupportedOnServer(scenario, version),
    setUp,
    apply,
    probe,
    tearDown,
    release: async () => closeSessions(run),
  };
}

function scenarioRef(pod: V1Pod, namespaces: NamespaceMap): WorkloadRef | undefined {
  const ns = namespaces.toScenario.get(pod.metadata?.namespace ?? '');
  const name = pod.metadata?.name;
  return ns === undefined || name === undefined ? undefined : toWorkloadRef(ns, name);
}
