/**
 * An in-process fake of the Kubernetes API for the kube backend's specs: an HTTP server on
 * 127.0.0.1 with exactly the endpoints the backend calls, and the exec WebSocket with the v4
 * channel protocol (v4.channel.k8s.io: first byte = channel; 1 stdout, 2 stderr, 3 status as a
 * metav1.Status with the exit code in `details.causes`). Deterministic: pods get IPs in
 * creation order, exec answers come from a function of the command, faults are scripted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { WebSocketServer, type WebSocket } from 'ws';
import { parse as parseYaml } from 'yaml';
import { PROBES_LAUNCHED } from '../../../src/probe/probe-script.js';

type Obj = Record<string, any>;

/** The fake's objects: `<resource>` -> `<ns>/<name>` (or `<name>`) -> object. */
export type Store = Map<string, Map<string, Obj>>;

/** One scripted fault: the next `count` requests matching answer `status` (or hang). */
export interface Fault {
  readonly method?: string;
  /** Matched against the path (no query). */
  readonly path: RegExp;
  /** HTTP status, or 'hang' (never answer). */
  readonly status: number | 'hang';
  readonly message?: string;
  count: number;
}

export interface ExecCall {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
}

/** An exec answer, or 'hang': the socket opens and nothing ever comes. */
export type ExecAnswer = { readonly stdout?: string; readonly stderr?: string; readonly exitCode: number } | 'hang' | { readonly reject: number };

export interface FakeOptions {
  /** Server minor version (default 20, i.e. v1.20.2). */
  readonly minor?: number;
  /**
   * What a NetworkPolicy's `endPort` meets: 'store' (>= 1.25), 'drop' (silently dropped, as
   * create/update on < 1.22 or a gate off), 'reject-ssa' (1.20 SSA: HTTP 500 "field not
   * declared in schema"). Default 'reject-ssa'.
   */
  readonly endPort?: 'store' | 'drop' | 'reject-ssa';
  /** Verbs/resources the caller may NOT do, as `verb resource[/sub]` (e.g. `create pods/exec`). */
  readonly denied?: readonly string[];
  /** Pods (by name) that never become Ready, with a waiting reason and an event. */
  readonly neverReady?: ReadonlyMap<string, { readonly reason: string; readonly event: string }>;
  /** The nodes have no SCTP: a pod's SCTP server containers crash-loop (default false). */
  readonly noSctp?: boolean;
  /** Polls of a pod list before created pods turn Ready (default 0). */
  readonly readyAfterLists?: number;
  /** Pods turn Ready one at a time, one every this many polls of a pod list (a busy node still starting them). */
  readonly readyOnePerLists?: number;
  /** Exec answers (default: every probe of a probe script succeeds); `store` is the fake's objects. */
  readonly exec?: (call: ExecCall, store: Store) => ExecAnswer;
  /** kube-system DaemonSet names. */
  readonly daemonSets?: readonly string[];
  /** Nodes (default one Ready node `fake-node`); pods without a nodeName land on the first. */
  readonly nodes?: ReadonlyArray<{ readonly name: string; readonly ready?: boolean; readonly taints?: ReadonlyArray<{ readonly effect: string }> }>;
  /** Labels of kube-system (default none, as on Kubernetes 1.20). */
  readonly kubeSystemLabels?: Record<string, string>;
  /** Labels of the CoreDNS pod (default k8s-app=kube-dns plus a template hash). */
  readonly dnsPodLabels?: Record<string, string>;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType?: string;
  readonly body?: unknown;
}

export interface FakeApiServer {
  readonly url: string;
  /** A kubeconfig for this server (context `fake`). */
  kubeConfig(): KubeConfig;
  /** The kubeconfig as YAML text, for `--kubeconfig` files. */
  kubeConfigYaml(): string;
  /** Stored objects: `<resource>` -> `<ns>/<name>` (or `<name>`) -> object. */
  readonly store: Map<string, Map<string, Obj>>;
  readonly requests: RequestRecord[];
  /** One per exec, and one per round of a probe session (its script as `sh -c`). */
  readonly execCalls: ExecCall[];
  /** Probe sessions opened (execs with stdin). */
  readonly sessionCalls: ExecCall[];
  /** Probe sessions whose connection is still open. */
  openSessions(): number;
  readonly faults: Fault[];
  addFault(fault: Omit<Fault, 'count'> & { count?: number }): void;
  close(): Promise<void>;
}

/** `k=v,k2,!k3` label selector match (the subset the backend uses, plus exists). */
export function matchesLabelSelector(selector: string | null, labels: Record<string, string> | undefined): boolean {
  if (selector === null || selector === '') return true;
  const l = labels ?? {};
  return selector.split(',').every((term) => {
    const eq = /^([^=!]+)=(.*)$/.exec(term);
    if (eq) return l[eq[1]!] === eq[2];
    if (term.startsWith('!')) return !(term.slice(1) in l);
    return term in l;
  });
}

function fieldOf(obj: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Obj | undefined)?.[k], obj);
}

/**
 * Answers a probe script (src/probe/probe-script.ts format: one background job per probe,
 * `NPH <index> <exit code> <output>` lines) by asking `decide` about each job's shell fragment.
 */
export function answerProbeScript(script: string, decide: (command: string) => { code: number; text: string }): string {
  const lines: string[] = [];
  const re = /^\{ ([\s\S]*?)\n\} <\/dev\/null >"\$d-(\d+)" 2>&1 & p\d+=\$!$/gm;
  for (const m of script.matchAll(re)) {
    const { code, text } = decide(m[1]!);
    lines.push(`NPH ${m[2]} ${code} ${text}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The run's one check of the image's probe tools (check-probe-tools.ts): nc to the pod's own loopback. */
export function isProbeToolCheck(call: ExecCall): boolean {
  return /nc (-vv )?-w \d+ 127\.0\.0\.1 \d+ (-e true|<\/dev\/null)/.test(call.command[2] ?? '');
}

const RESOURCES: Record<string, { kind: string; namespaced: boolean; group: string }> = {
  namespaces: { kind: 'Namespace', namespaced: false, group: '' },
  pods: { kind: 'Pod', namespaced: true, group: '' },
  services: { kind: 'Service', namespaced: true, group: '' },
  events: { kind: 'Event', namespaced: true, group: '' },
  networkpolicies: { kind: 'NetworkPolicy', namespaced: true, group: 'networking.k8s.io' },
  daemonsets: { kind: 'DaemonSet', namespaced: true, group: 'apps' },
  nodes: { kind: 'Node', namespaced: false, group: '' },
};

function status(code: number, message: string, reason = ''): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Strips every endPort and returns their paths (as the apiserver's messages write them). */
function takeEndPorts(spec: Obj): string[] {
  const paths: string[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    (spec[dir] ?? []).forEach((rule: Obj, i: number) =>
      (rule.ports ?? []).forEach((port: Obj, j: number) => {
        if ('endPort' in port) {
          paths.push(`.spec.${dir}[${i}].ports[${j}].endPort`);
          delete port.endPort;
        }
      }),
    );
  }
  return paths;
}

/** API-server defaulting of a NetworkPolicy (DESIGN rule 1), as the fake stores it. */
function defaultPolicy(spec: Obj): void {
  if (spec.policyTypes === undefined) spec.policyTypes = spec.egress?.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const dir of ['ingress', 'egress']) for (const rule of spec[dir] ?? []) for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
}

function applyJsonPatch(obj: Obj, ops: Obj[]): void {
  for (const op of ops) {
    const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let target: Obj = obj;
    for (const p of parts) target = target[p] ??= {};
    if (op.op === 'remove') {
      if (!(last in target)) throw new Error(`remove of missing ${op.path}`);
      delete target[last];
    } else target[last] = op.value;
  }
}

export async function startFakeApiServer(options: FakeOptions = {}): Promise<FakeApiServer> {
  const store = new Map<string, Map<string, Obj>>(Object.keys(RESOURCES).map((r) => [r, new Map()]));
  const requests: RequestRecord[] = [];
  const execCalls: ExecCall[] = [];
  const sessionCalls: ExecCall[] = [];
  const sessionSockets = new Set<WebSocket>();
  const faults: Fault[] = [];
  const hung = new Set<ServerResponse>();
  let nextPodIp = 10;
  let nextServiceIp = 10;
  let podLists = 0;
  let uid = 0;

  for (const name of options.daemonSets ?? []) store.get('daemonsets')!.set(`kube-system/${name}`, { metadata: { name, namespace: 'kube-system' } });
  const nodes = options.nodes ?? [{ name: 'fake-node' }];
  for (const n of nodes) {
    store.get('nodes')!.set(n.name, {
      metadata: { name: n.name },
      spec: { ...(n.taints ? { taints: n.taints } : {}) },
      status: { conditions: [{ type: 'Ready', status: n.ready === false ? 'False' : 'True' }] },
    });
  }
  store.get('namespaces')!.set('kube-system', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: { ...(options.kubeSystemLabels ?? {}) } } });
  const dnsLabels = options.dnsPodLabels ?? { 'k8s-app': 'kube-dns', 'pod-template-hash': 'abc' };
  store.get('pods')!.set('kube-system/coredns-1', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'coredns-1', namespace: 'kube-system', labels: dnsLabels },
    status: { phase: 'Running', podIP: '10.244.0.2', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  store.get('services')!.set('kube-system/kube-dns', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { clusterIP: '10.96.0.10', selector: Object.fromEntries(Object.entries(dnsLabels).filter(([k]) => k !== 'pod-template-hash')) },
  });

  const readyPods = (limit = Infinity): void => {
    let turned = 0;
    for (const pod of store.get('pods')!.values()) {
      if (pod.status?.phase === 'Running' || pod.metadata.namespace === 'kube-system') continue;
      if (turned++ >= limit) return;
      const sctp = (pod.spec?.containers ?? []).find((c: Obj) => c.name.startsWith('sctp-'));
      if (options.noSctp === true && sctp !== undefined) {
        // As on a kernel without SCTP: agnhost porter cannot listen and exits, over and over.
        pod.status = {
          phase: 'Running',
          podIP: `10.244.0.${nextPodIp++}`,
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [{ name: sctp.name, ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }],
        };
        continue;
      }
      const stuck = options.neverReady?.get(pod.metadata.name);
      if (stuck !== undefined) {
        pod.status = {
          phase: 'Pending',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [{ name: 'probe', ready: false, state: { waiting: { reason: stuck.reason } } }],
        };
        continue;
      }
      pod.status = { phase: 'Running', podIP: `10.244.0.${nextPodIp++}`, conditions: [{ type: 'Ready', status: 'True' }] };
    }
  };

  const send = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const discovery = (group: string): Obj => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? 'v1' : `${group}/v1`,
    resources: Object.entries(RESOURCES)
      .filter(([, r]) => r.group === group)
      .map(([name, r]) => ({ name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch'] })),
  });

  function handle(method: string, path: string, query: URLSearchParams, contentType: string | undefined, body: unknown, res: ServerResponse): void {
    if (method === 'GET' && path === '/version') {
      return send(res, 200, { major: '1', minor: String(options.minor ?? 20), gitVersion: `v1.${options.minor ?? 20}.2` });
    }
    if (method === 'GET' && path === '/api/v1') return send(res, 200, discovery(''));
    if (method === 'GET' && path === '/apis/networking.k8s.io/v1') return send(res, 200, discovery('networking.k8s.io'));
    if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const a = (body as Obj).spec.resourceAttributes;
      const key = `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}`;
      return send(res, 201, { ...(body as Obj), status: { allowed: !(options.denied ?? []).includes(key) } });
    }
    const m =
      /^\/(?:api|apis\/[^/]+)\/v1(?:\/namespaces\/([^/]+))?\/(namespaces|pods|services|events|networkpolicies|daemonsets|nodes)(?:\/([^/]+))?$/.exec(path);
    if (m === null) return send(res, 404, status(404, `no route ${method} ${path}`, 'NotFound'));
    const [, ns, resource, name] = m as unknown as [string, string | undefined, string, string | undefined];
    // /api/v1/namespaces/<name> is the namespace itself
    const objects = store.get(resource)!;
    const id = (n: string): string => (RESOURCES[resource]!.namespaced ? `${ns}/${n}` : n);
    const inScope = (o: Obj): boolean => !RESOURCES[resource]!.namespaced || ns === undefined || o.metadata.namespace === ns;

    if (name === undefined && method === 'GET') {
      if (resource === 'pods') {
        podLists += 1;
        if (options.readyOnePerLists !== undefined) {
          if (podLists % options.readyOnePerLists === 0) readyPods(1);
        } else if (podLists > (options.readyAfterLists ?? 0)) readyPods();
      }
      const field = query.get('fieldSelector');
      const items = [...objects.values()].filter(
        (o) =>
          inScope(o) &&
          matchesLabelSelector(query.get('labelSelector'), o.metadata.labels) &&
          (field === null || field.split(',').every((t) => { const [k, v] = t.split('='); return String(fieldOf(o, k!)) === v; })),
      );
      return send(res, 200, { kind: `${RESOURCES[resource]!.kind}List`, apiVersion: 'v1', metadata: {}, items });
    }
    if (name === undefined && method === 'POST') {
      const obj = structuredClone(body as Obj);
      const key = id(obj.metadata.name);
      if (objects.has(key)) return send(res, 409, status(409, `${resource} "${obj.metadata.name}" already exists`, 'AlreadyExists'));
      if (ns !== undefined && !store.get('namespaces')!.has(ns)) return send(res, 404, status(404, `namespaces "${ns}" not found`, 'NotFound'));
      obj.metadata.uid = `uid-${++uid}`;
      if (ns !== undefined) obj.metadata.namespace = ns;
      if (resource === 'pods') {
        obj.spec.nodeName ??= nodes[0]!.name;
        obj.status = { phase: 'Pending' };
        const stuck = options.neverReady?.get(obj.metadata.name);
        if (stuck !== undefined) {
          store.get('events')!.set(`${ns}/${obj.metadata.name}.1`, {
            metadata: { name: `${obj.metadata.name}.1`, namespace: ns },
            involvedObject: { kind: 'Pod', name: obj.metadata.name, namespace: ns },
            reason: stuck.reason,
            message: stuck.event,
            lastTimestamp: '2026-01-01T00:00:01Z',
          });
        }
      }
      if (resource === 'services') obj.spec.clusterIP = `10.96.1.${nextServiceIp++}`;
      objects.set(key, obj);
      return send(res, 201, obj);
    }
    if (name === undefined && method === 'DELETE') {
      for (const [k, o] of [...objects]) if (inScope(o) && matchesLabelSelector(query.get('labelSelector'), o.metadata.labels)) objects.delete(k);
      return send(res, 200, { kind: 'Status', status: 'Success' });
    }
    const key = id(name!);
    const existing = objects.get(key);
    if (method === 'GET') return existing ? send(res, 200, existing) : send(res, 404, status(404, `${resource} "${name}" not found`, 'NotFound'));
    if (method === 'DELETE') {
      if (!existing) return send(res, 404, status(404, `${resource} "${name}" not found`, 'NotFound'));
      objects.delete(key);
      if (resource === 'namespaces') {
        for (const [r, map] of store) if (RESOURCES[r]!.namespaced) for (const [k, o] of [...map]) if (o.metadata.namespace === name) map.delete(k);
      }
      return send(res, 200, { kind: 'Status', status: 'Success' });
    }
    if (method === 'PATCH' && contentType?.startsWith('application/apply-patch+yaml')) {
      if (query.get('fieldManager') === null) return send(res, 422, status(422, 'fieldManager is required for apply requests', 'Invalid'));
      const obj = structuredClone(body as Obj);
      if (resource === 'networkpolicies') {
        const mode = options.endPort ?? 'reject-ssa';
        if (mode !== 'store') {
          const paths = takeEndPorts(obj.spec ?? {});
          if (paths.length > 0 && mode === 'reject-ssa') {
            return send(res, 500, status(500, `failed to create typed patch object: ${paths.map((p) => `${p}: field not declared in schema`).join(', ')}`));
          }
        }
        defaultPolicy(obj.spec);
      }
      obj.metadata.uid = existing?.metadata.uid ?? `uid-${++uid}`;
      obj.metadata.managedFields = [{ manager: query.get('fieldManager'), operation: 'Apply' }];
      objects.set(key, obj);
      return send(res, existing ? 200 : 201, obj);
    }
    if (method === 'PATCH' && contentType?.startsWith('application/json-patch+json')) {
      if (!existing) return send(res, 404, status(404, `${resource} "${name}" not found`, 'NotFound'));
      try {
        applyJsonPatch(existing, body as Obj[]);
      } catch (error) {
        return send(res, 422, status(422, (error as Error).message, 'Invalid'));
      }
      return send(res, 200, existing);
    }
    return send(res, 405, status(405, `${method} ${path} (${contentType ?? ''}) not supported by the fake`, 'MethodNotAllowed'));
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const contentType = req.headers['content-type'];
      let body: unknown;
      if (text !== '') body = contentType?.includes('yaml') ? parseYaml(text) : JSON.parse(text);
      const method = req.method ?? 'GET';
      requests.push({ method, path: url.pathname, query: url.searchParams, ...(contentType !== undefined && { contentType }), ...(body !== undefined && { body }) });
      const fault = faults.find((f) => f.count > 0 && f.path.test(url.pathname) && (f.method === undefined || f.method === method));
      if (fault !== undefined) {
        fault.count -= 1;
        if (fault.status === 'hang') {
          hung.add(res);
          return;
        }
        return send(res, fault.status, status(fault.status, fault.message ?? 'scripted fault'));
      }
      handle(method, url.pathname, url.searchParams, contentType, body, res);
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
  });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    requests.push({ method: 'GET', path: url.pathname, query: url.searchParams });
    if (m === null) {
      socket.destroy();
      return;
    }
    const call: ExecCall = { namespace: m[1]!, pod: m[2]!, container: url.searchParams.get('container') ?? '', command: url.searchParams.getAll('command') };
    if (url.searchParams.get('stdin') === 'true') {
      openSession(call, req, socket, head);
      return;
    }
    execCalls.push(call);
    const answer = answerExec(call);
    if (typeof answer === 'object' && 'reject' in answer) {
      socket.end(`HTTP/1.1 ${answer.reject} Rejected\r\ncontent-type: application/json\r\n\r\n${JSON.stringify(status(answer.reject, 'exec rejected'))}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (answer === 'hang') return;
      if (answer.stdout) ws.send(frame(1, answer.stdout));
      if (answer.stderr) ws.send(frame(2, answer.stderr));
      const st =
        answer.exitCode === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command [sh -c ...], exit code ${answer.exitCode}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(answer.exitCode) }] },
            };
      ws.send(frame(3, JSON.stringify(st)), () => ws.close(1000));
    });
  });

  /** A scripted exec fault first (consumed), then a pod that does not exist, then `options.exec`. */
  function answerExec(call: ExecCall): ExecAnswer {
    const fault = faults.find((f) => f.count > 0 && f.path.test(`/api/v1/namespaces/${call.namespace}/pods/${call.pod}/exec`));
    if (fault !== undefined) {
      fault.count -= 1;
      return fault.status === 'hang' ? 'hang' : { reject: fault.status };
    }
    return store.get('pods')!.has(`${call.namespace}/${call.pod}`) ? (options.exec ?? defaultExec)(call, store) : { reject: 404 };
  }

  /**
   * A probe session (probe-session.ts): a shell reading scripts on stdin. Each `NPH-RUN <id>`
   * runs the script read so far as one exec would (recorded in `execCalls`, answered by
   * `options.exec`, subject to exec faults: 'hang' never answers, a rejection ends the
   * session), then says `NPH-DONE <id>`; a probe script's `PROBES_LAUNCHED` line comes first.
   */
  function openSession(call: ExecCall, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    sessionCalls.push(call);
    if (!store.get('pods')!.has(`${call.namespace}/${call.pod}`)) {
      socket.end(`HTTP/1.1 404 Rejected\r\ncontent-type: application/json\r\n\r\n${JSON.stringify(status(404, 'pod not found'))}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      sessionSockets.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        sessionSockets.delete(ws);
      });
      let pending = '';
      let script = '';
      ws.on('message', (data: Buffer) => {
        if (data[0] !== 0) return;
        pending += data.subarray(1).toString('utf8');
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          const run = /^NPH-RUN (\S+)$/.exec(line);
          if (run === null) {
            script += `${line}\n`;
            continue;
          }
          const round: ExecCall = { ...call, command: ['sh', '-c', script] };
          script = '';
          execCalls.push(round);
          // The shell says so once it has started every probe, before any result.
          if (round.command[2]!.includes(`echo ${PROBES_LAUNCHED}`)) ws.send(frame(1, `${PROBES_LAUNCHED}\n`));
          const answer = answerExec(round);
          if (answer === 'hang') continue;
          if ('reject' in answer) {
            ws.close(1011);
            return;
          }
          ws.send(frame(1, `${answer.stdout ?? ''}NPH-DONE ${run[1]}\n`));
        }
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfigYaml = (): string =>
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: fake, cluster: {server: "' + url + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: fake, user: {token: fake-token}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'current-context: fake',
      '',
    ].join('\n');
  return {
    url,
    kubeConfigYaml,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromString(kubeConfigYaml());
      return kc;
    },
    store,
    requests,
    execCalls,
    sessionCalls,
    openSessions: () => sessionSockets.size,
    faults,
    addFault(fault) {
      faults.push({ ...fault, count: fault.count ?? 1 });
    },
    async close() {
      for (const res of hung) res.destroy();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A minimal enforcing dataplane for orchestration specs: it understands deny-all policies only
 * (a policy whose podSelector's matchLabels select the pod, with Ingress or Egress among its
 * types and no rule of that direction) and lets everything else through. Targets are found by
 * pod IP, Service IP or Service DNS name; lookups always succeed. Enough for the canary and
 * for deny-all scenarios; the simulator is never asked. `nc` gives the image a busybox nc of
 * that build (see toolset-agnhost-pod.ts): it connects and refuses on the pod's loopback and
 * says why a connect failed as that build does; without it, every nc form fails with usage.
 */
export function denyAllEnforcer(options: { readonly notOnNodes?: readonly string[]; readonly nc?: 'plain' | 'verbose' } = {}): (call: ExecCall, store: Store) => ExecAnswer {
  const selects = (policy: Obj, pod: Obj): boolean =>
    policy.metadata.namespace === pod.metadata.namespace &&
    Object.entries(policy.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v);
  const denies = (store: Store, pod: Obj, type: 'Ingress' | 'Egress'): boolean =>
    !(options.notOnNodes ?? []).includes(pod.spec?.nodeName) &&
    [...store.get('networkpolicies')!.values()].some(
      (p) => selects(p, pod) && (p.spec.policyTypes ?? []).includes(type) && (p.spec[type.toLowerCase()] ?? []).length === 0,
    );
  return (call, store) => {
    const source = store.get('pods')!.get(`${call.namespace}/${call.pod}`)!;
    const pods = [...store.get('pods')!.values()];
    const services = [...store.get('services')!.values()];
    const targetOf = (host: string): Obj | undefined => {
      const byPod = pods.find((p) => p.status?.podIP === host);
      if (byPod) return byPod;
      const service = services.find((s) => s.spec?.clusterIP === host || host.startsWith(`${s.metadata.name}.${s.metadata.namespace}.svc.`));
      if (!service) return undefined;
      return pods.find((p) => p.metadata.namespace === service.metadata.namespace && Object.entries(service.spec.selector ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v));
    };
    const agentPort = /--http-port=(\d+)/.exec((source.spec.containers[0].args ?? []).join(' '))?.[1];
    const blocked = (host: string): boolean => {
      const target = targetOf(host.replace(/^\[|\]$/g, ''));
      return denies(store, source, 'Egress') || (target !== undefined && denies(store, target, 'Ingress'));
    };
    const stdout = answerProbeScript(call.command[2] ?? '', (fragment) => {
      const nc = /\bnc (-vv )?-w \d+ (\S+) (\d+) (?:-e true|<\/dev\/null)$/.exec(fragment);
      if (nc !== null) {
        const [, verbose, host, port] = nc;
        if (options.nc === undefined || (verbose !== undefined) !== (options.nc === 'verbose')) return { code: 1, text: 'BusyBox v1.36.1 multi-call binary. Usage: nc [OPTIONS] HOST PORT' };
        const why = (reason: string): { code: number; text: string } => ({ code: 1, text: options.nc === 'verbose' ? `${host} (${host}:${port}): ${reason} sent 0, rcvd 0` : reason === 'Connection timed out' ? 'nc: timed out' : `nc: can't connect to remote host (${host}): ${reason}` });
        if (host === '127.0.0.1') return port === agentPort ? { code: 0, text: '' } : why('Connection refused');
        return blocked(host!) ? why('Connection timed out') : { code: 0, text: '' };
      }
      const connect = /host=([^&]+)&port=(\d+)/.exec(fragment) ?? /connect .*?(\S+):(\d+)\s*$/.exec(fragment);
      if (connect === null) return { code: 0, text: '' }; // a lookup
      return blocked(connect[1]!) ? { code: 1, text: 'REFUSED' } : { code: 0, text: '' };
    });
    return { stdout, exitCode: 0 };
  };
}

/** One message of the exec WebSocket's channel protocol: the channel byte, then the text. */
function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]);
}

function defaultExec(call: ExecCall): ExecAnswer {
  const script = call.command[2] ?? '';
  return { stdout: answerProbeScript(script, () => ({ code: 0, text: '' })), exitCode: 0 };
}
