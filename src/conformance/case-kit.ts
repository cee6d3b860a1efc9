/**
 * The words conformance cases are written in: the shared topologies (upstream e2e's x/y/z
 * namespaces with pods a/b/c), policies, and expectations spelled out by hand. A case's
 * expectations are written from the NetworkPolicy spec, never computed by the simulator: the
 * generator's spec then checks the simulator against them.
 */

/** A scenario file as the generator writes it (the YAML shape of SCENARIO-FORMAT.md). */
export type CaseFile = {
  readonly apiVersion: 'netpol-harness/v1alpha1';
  readonly kind: 'Scenario';
  readonly metadata: { readonly name: string; readonly description: string; readonly tags: readonly string[] };
  readonly spec: Record<string, unknown>;
};

export type Json = Record<string, unknown>;

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
export type Ns = (typeof NAMESPACES)[number];
export type PodName = (typeof PODS)[number];

/**
 * The topologies cases share (a runner sets each up once and resets policies and labels
 * between cases). Every pod of x/y/z carries `pod: <name>`, every namespace `ns: <name>`, as
 * upstream e2e labels them.
 */
export const TOPOLOGIES = {
  /** TCP 80 and 81, named serve-80-tcp / serve-81-tcp: most cases. */
  tcp: [
    { port: 80, name: 'serve-80-tcp' },
    { port: 81, name: 'serve-81-tcp' },
  ],
  /** TCP and UDP 80 and 81: protocol cases. */
  'tcp-udp': [
    { port: 80, name: 'serve-80-tcp' },
    { port: 81, name: 'serve-81-tcp' },
    { port: 80, protocol: 'UDP', name: 'serve-80-udp' },
    { port: 81, protocol: 'UDP', name: 'serve-81-udp' },
  ],
  /** TCP 80 and SCTP 80, 81: SCTP cases. */
  sctp: [
    { port: 80, name: 'serve-80-tcp' },
    { port: 80, protocol: 'SCTP', name: 'serve-80-sctp' },
    { port: 81, protocol: 'SCTP', name: 'serve-81-sctp' },
  ],
} as const;

export type TopologyName = keyof typeof TOPOLOGIES | 'named-ports' | 'external' | 'external-clients';

/** A documentation address (TEST-NET-1): the external endpoint of the `external` topology. */
export const EXTERNAL_IP = '192.0.2.10';

/**
 * The clients outside the cluster of the `external-clients` topology: two documentation
 * addresses in 192.0.2.0/24, one in each half, so an `except` can tell them apart.
 */
export const EXTERNAL_CLIENTS = [
  { name: 'partner', ip: '192.0.2.10', client: true },
  { name: 'stranger', ip: '192.0.2.200', client: true },
] as const;

function xyzWorkloads(ports: readonly Json[]): Json[] {
  return NAMESPACES.flatMap((ns) => PODS.map((pod) => ({ name: pod, namespace: ns, labels: { pod }, ports })));
}

/**
 * `named-ports`: one name resolving to a different number per pod and per protocol. Pod a
 * serves 80/TCP as `web` and 81/TCP as `admin`; pod b 81/TCP as `web` and 80/TCP as `admin`;
 * pod c 80/UDP as `web` and 81/TCP as `other` (a name is resolved on each destination pod, by
 * name AND protocol).
 */
function namedPortWorkloads(): Json[] {
  const ports: Record<PodName, Json[]> = {
    a: [{ port: 80, name: 'web' }, { port: 81, name: 'admin' }],
    b: [{ port: 81, name: 'web' }, { port: 80, name: 'admin' }],
    c: [{ port: 80, protocol: 'UDP', name: 'web' }, { port: 81, name: 'other' }],
  };
  return NAMESPACES.flatMap((ns) => PODS.map((pod) => ({ name: pod, namespace: ns, labels: { pod }, ports: ports[pod] })));
}

/** The `spec` of a case on `topology`, with the case's probe settings and steps. */
export function topologySpec(topology: TopologyName, probe: Json, steps: readonly Json[]): Json {
  const workloads = topology === 'named-ports' ? namedPortWorkloads() : xyzWorkloads(topology === 'external' || topology === 'external-clients' ? TOPOLOGIES.tcp : TOPOLOGIES[topology]);
  return {
    namespaces: NAMESPACES.map((ns) => ({ name: ns, labels: { ns } })),
    workloads,
    ...(topology === 'external' ? { externals: [{ name: 'ext', ip: EXTERNAL_IP, ports: [{ port: 80 }] }] } : {}),
    ...(topology === 'external-clients' ? { externals: EXTERNAL_CLIENTS } : {}),
    probe,
    steps,
  };
}

// ------------------------------------------------------------------ policies

/** An inline NetworkPolicy in namespace `ns`. */
export function np(ns: Ns, name: string, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** `{matchLabels: {pod: <name>}}`. */
export function pod(name: string): Json {
  return { matchLabels: { pod: name } };
}

/** `{matchLabels: {ns: <name>}}`. */
export function ns(name: string): Json {
  return { matchLabels: { ns: name } };
}

/** The podSelector `{}` (every pod of the policy's namespace). */
export const ALL: Json = {};

// ------------------------------------------------------------------ expectations

/** `x/a` style reference of a pod. */
export type Ref = `${Ns}/${PodName}`;

export const ALL_PODS: readonly Ref[] = NAMESPACES.flatMap((n) => PODS.map((p) => `${n}/${p}` as Ref));

/** Every pod of namespace `n`. */
export function podsOf(n: Ns): Ref[] {
  return PODS.map((p) => `${n}/${p}` as Ref);
}

/** A port filter of an expectation target: `:80/tcp`, `:serve-80-tcp`, or '' (every port). */
export type PortFilter = string;

/**
 * Only `allowed` may reach `targets` (ingress isolation): `deny * -> t` for each target, then
 * `allow s -> t<port>` for each allowed source and port filter. Read after `allow * -> *`.
 */
export function onlyInto(targets: readonly Ref[], allowed: ReadonlyArray<readonly [Ref, PortFilter?]>): string[] {
  return targets.flatMap((t) => [`deny * -> ${t}`, ...allowed.filter(([s]) => s !== t).map(([s, port]) => `allow ${s} -> ${t}${port ?? ''}`)]);
}

/** `sources` may reach only `allowed` (egress isolation): `deny s -> *`, then the allows. */
export function onlyFrom(sources: readonly Ref[], allowed: ReadonlyArray<readonly [Ref | 'ext', PortFilter?]>): string[] {
  return sources.flatMap((s) => [`deny ${s} -> *`, ...allowed.filter(([t]) => t !== s).map(([t, port]) => `allow ${s} -> ${t}${port ?? ''}`)]);
}

/** Every pair of `from` x `to` (skipping a pod to itself) as `verdict` lines. */
export function pairs(verdict: 'allow' | 'deny', from: readonly Ref[], to: readonly Ref[], port = ''): string[] {
  return from.flatMap((f) => to.filter((t) => t !== f).map((t) => `${verdict} ${f} -> ${t}${port}`));
}

/** A case step. */
export interface CaseStep {
  readonly name: string;
  readonly apply?: readonly Json[];
  readonly delete?: readonly string[];
  readonly label?: readonly Json[];
  readonly probe?: Json;
  /** Read after `allow * -> *` (and `allow * -> dns` when the step probes DNS): the full matrix is asserted. */
  readonly expect: readonly string[];
}

/** A conformance case before it is written as a file. */
export interface Case {
  /** DNS-1123 label, unique in the suite. */
  readonly name: string;
  /** What it checks, in words. */
  readonly title: string;
  /** Features, sorted when written. */
  readonly tags: readonly string[];
  readonly topology: TopologyName;
  /** Scenario-level probe settings (default: pod IPs, 1 s, no DNS probes). */
  readonly probe?: Json;
  readonly steps: readonly CaseStep[];
}

/** The scenario file of `c`. */
export function toCaseFile(c: Case): CaseFile {
  const probe = { target: 'pod-ip', timeoutSeconds: 1, dns: false, ...c.probe };
  const steps = c.steps.map((s) => {
    const dns = (s.probe?.dns ?? probe.dns) === true;
    return {
      name: s.name,
      ...(s.probe ? { probe: s.probe } : {}),
      ...(s.delete ? { delete: s.delete } : {}),
      ...(s.apply ? { apply: s.apply } : {}),
      ...(s.label ? { label: s.label } : {}),
      expect: ['allow * -> *', ...(dns ? ['allow * -> dns'] : []), ...s.expect],
    };
  });
  return {
    apiVersion: 'netpol-harness/v1alpha1',
    kind: 'Scenario',
    metadata: { name: c.name, description: c.title, tags: [...new Set(c.tags)].sort() },
    spec: topologySpec(c.topology, probe, steps),
  };
}
