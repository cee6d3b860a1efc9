/**
 * The objects the kube backend creates, as plain JSON (pure). Pod layout (docs/kube.md):
 *
 * - container `probe` (agnhost): `netexec` on two ports the workload does not serve. Every
 *   probe runs here by exec: agnhost `connect` for TCP, SCTP and (agnhost >= 2.28) UDP,
 *   netexec's `/dial` for UDP on older agnhost, busybox `nslookup`/`timeout`/`wget` for DNS.
 *   The agnhost image carries a shell and those applets (alpine upstream, busybox on the rig).
 * - container `tcp`, when the workload serves TCP: `agnhost porter` with `SERVE_PORT_<n>` for
 *   every port (HTTP, a goroutine per connection: busybox httpd forked a process for each
 *   and cost its pod ~4 ms of CPU per connection on the rig, porter ~0.8 ms).
 * - one container per UDP port (`agnhost serve-hostname --udp`) and per SCTP port
 *   (`agnhost porter` with `SERVE_SCTP_PORT_<n>`: a node without SCTP fails that container only).
 *
 * Every container runs the agnhost image: one image to mirror.
 *
 * Every served port is declared on its container with its name, so named ports in policies
 * resolve as on any cluster. There are no readiness probes: a probe from the kubelet could be
 * blocked by the very policies under test and take the pod out of its Service.
 *
 * Pods meet the `restricted` Pod Security Standard (non-root, no privilege escalation, every
 * capability dropped, seccomp RuntimeDefault). Serving a port below 1024 as non-root needs the
 * sysctl `net.ipv4.ip_unprivileged_port_start=0`, safe (allowed by default) since Kubernetes
 * 1.22; on older clusters such a pod runs its servers as root with only NET_BIND_SERVICE.
 */
import { chooseAgentPorts } from '../../probe/agent-ports.js';
import type { Protocol } from '../../policy/types.js';
import { workloadServices } from '../../scenario/services.js';
import type { NamespaceSpec, ServedPort, ServicePortSpec, WorkloadSpec } from '../../scenario/types.js';
import { ownershipLabels, realNamespaceLabels, RUN_ID_LABEL } from './run-naming.js';

/** Images of the workload pods. */
export interface WorkloadImages {
  /** agnhost >= 2.21: every container (probes, servers). */
  readonly agnhost: string;
}

export const DEFAULT_IMAGES: WorkloadImages = {
  agnhost: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
};

/**
 * Whether the agnhost `image` is known to speak UDP in `connect` (added in agnhost 2.28): its
 * tag is `2.<minor>` with minor >= 28. Other tags (a digest, `latest`, a mirror's own) get
 * the netexec `/dial` path, which every agnhost has.
 */
export function agnhostConnectsUdp(image: string): boolean {
  const m = /:(\d+)\.(\d+)(?:\.\d+)?$/.exec(image);
  if (m === null) return false;
  const major = Number(m[1]);
  return major > 2 || (major === 2 && Number(m[2]) >= 28);
}

/** The unprivileged user every non-root container runs as (`nobody`). */
export const NON_ROOT_USER = 65534;

/** The container every probe is exec'd in. */
export const PROBE_CONTAINER = 'probe';

/**
 * Where the probe container's scripts keep each probe's output (probe-script.ts): an emptyDir
 * in memory, writable whatever the image and its user. A file takes a page (4 KiB) while its
 * probe runs and none once read: 16 MiB holds 4,096 probes of one round of one pod.
 */
export const PROBE_SCRATCH_DIR = '/nph-scratch';
const SCRATCH_VOLUME = 'nph-scratch';

// The agent's ports are chosen in probe/ so that the loader can refuse a workload that leaves none free.
export { chooseAgentPorts, type ProbeAgentPorts } from '../../probe/agent-ports.js';

type Json = Record<string, unknown>;

/** Label naming the workload a pod belongs to; its Service selects by it and the run id. */
export const WORKLOAD_LABEL = 'netpol-harness/workload';

/** The labels the harness adds to a pod besides the scenario's (ownership + workload name). */
export function podHarnessLabels(workloadName: string, runId: string): Readonly<Record<string, string>> {
  return { ...ownershipLabels(runId), [WORKLOAD_LABEL]: workloadName };
}

/** A Namespace named `realName` with the scenario's labels, the real name label, ownership and `annotations` (the heartbeat). */
export function buildNamespace(spec: NamespaceSpec, realName: string, runId: string, annotations: Readonly<Record<string, string>> = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: realName, labels: realNamespaceLabels(spec.labels, realName, runId), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
  };
}

function containerPort(p: ServedPort): Json {
  return { containerPort: p.port, protocol: p.protocol, ...(p.name !== undefined && { name: p.name }) };
}

/** Options of `buildPod`. */
export interface PodOptions {
  readonly realNamespace: string;
  readonly runId: string;
  readonly images: WorkloadImages;
  /** Pack every pod of the run on one node (required pod affinity) instead of spreading them. */
  readonly sameNode: boolean;
  /** Whether the cluster allows the sysctl `net.ipv4.ip_unprivileged_port_start` (Kubernetes >= 1.22). */
  readonly unprivilegedPortSysctl: boolean;
}

const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/**
 * The security settings of a workload's pod and containers (see the file comment): `pod` for
 * the pod, `probe` for the probe container, `server` for the containers serving ports.
 */
export function securityOf(workload: WorkloadSpec, options: Pick<PodOptions, 'unprivilegedPortSysctl'>): { pod: Json; probe: Json; server: Json } {
  const privilegedPort = workload.ports.some((p) => p.port < 1024);
  const serversAsRoot = privilegedPort && !options.unprivilegedPortSysctl;
  const nonRoot = { runAsNonRoot: true, runAsUser: NON_ROOT_USER, runAsGroup: NON_ROOT_USER };
  const locked = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  return {
    pod: {
      ...(serversAsRoot ? {} : nonRoot),
      seccompProfile: { type: 'RuntimeDefault' },
      ...(privilegedPort && !serversAsRoot ? { sysctls: [{ name: UNPRIVILEGED_PORT_SYSCTL, value: '0' }] } : {}),
    },
    probe: { ...locked, ...(serversAsRoot ? nonRoot : {}) },
    server: serversAsRoot ? { ...locked, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } : locked,
  };
}

/** The pod of `workload`; see the file comment for the layout. */
export function buildPod(workload: WorkloadSpec, options: PodOptions): Json {
  const { images, runId } = options;
  const agent = chooseAgentPorts(workload.ports);
  const security = securityOf(workload, options);
  const common = { imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '5m', memory: '16Mi' } } };
  const server = { ...common, securityContext: security.server };
  const containers: Json[] = [
    {
      name: PROBE_CONTAINER,
      image: images.agnhost,
      args: ['netexec', `--http-port=${agent.http}`, `--udp-port=${agent.udp}`],
      ...common,
      securityContext: security.probe,
      volumeMounts: [{ name: SCRATCH_VOLUME, mountPath: PROBE_SCRATCH_DIR }],
    },
  ];
  const tcp = workload.ports.filter((p) => p.protocol === 'TCP');
  if (tcp.length > 0) {
    containers.push({
      name: 'tcp',
      image: images.agnhost,
      args: ['porter'],
      env: tcp.map((p) => ({ name: `SERVE_PORT_${p.port}`, value: 'netpol-harness' })),
      ports: tcp.map(containerPort),
      ...server,
    });
  }
  for (const p of workload.ports.filter((q) => q.protocol === 'UDP')) {
    containers.push({
      name: `udp-${p.port}`,
      image: images.agnhost,
      args: ['serve-hostname', '--udp', '--http=false', `--port=${p.port}`],
      ports: [containerPort(p)],
      ...server,
    });
  }
  for (const p of workload.ports.filter((q) => q.protocol === 'SCTP')) {
    containers.push({
      name: `sctp-${p.port}`,
      image: images.agnhost,
      args: ['porter'],
      env: [{ name: `SERVE_SCTP_PORT_${p.port}`, value: 'netpol-harness' }],
      ports: [containerPort(p)],
      ...server,
    });
  }
  const term = {
    labelSelector: { matchLabels: { [RUN_ID_LABEL]: runId } },
    topologyKey: 'kubernetes.io/hostname',
  };
  const affinity = options.sameNode
    ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: workload.name,
      namespace: options.realNamespace,
      labels: { ...workload.labels, ...podHarnessLabels(workload.name, runId) },
    },
    spec: {
      containers,
      volumes: [{ name: SCRATCH_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
      // The canary pins a pair on each node; scenario pods go where the scheduler puts them.
      ...(workload.node !== undefined ? { nodeName: workload.node } : { affinity }),
      securityContext: security.pod,
      // The pause container becomes PID 1 of the pod and reaps what probes orphan: busybox
      // `timeout` leaves its watchdog behind, and agnhost netexec (PID 1 of the probe
      // container otherwise) never reaps, so a pod shared by many scenarios piled up
      // thousands of zombies on the rig.
      shareProcessNamespace: true,
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Always',
    },
  };
}

/** Service port name: the port's own name, else `<proto>-<port>` (unique within the Service). */
function servicePortName(p: ServicePortSpec): string {
  return p.name ?? `${p.protocol.toLowerCase()}-${p.port}`;
}

/**
 * The ClusterIP Services of `workload` (`workloadServices`: those the scenario writes, else one
 * of the workload's name), each selecting exactly its pod by the run id and the workload label,
 * with each port's targetPort as written (a name resolves on the pod's declared ports, as on
 * any cluster). A workload serving no port gets no default Service (a Service needs a port).
 */
export function buildServices(workload: WorkloadSpec, realNamespace: string, runId: string): Json[] {
  return workloadServices(workload).map((service) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, namespace: realNamespace, labels: ownershipLabels(runId) },
    spec: {
      type: 'ClusterIP',
      // The pod's name label: scenario labels change during a run, the pod name does not.
      selector: { [RUN_ID_LABEL]: runId, [WORKLOAD_LABEL]: workload.name },
      ports: service.ports.map((p) => ({ name: servicePortName(p), port: p.port, targetPort: p.targetPortName ?? p.targetPort, protocol: p.protocol })),
    },
  }));
}
