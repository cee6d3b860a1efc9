import { expect } from 'chai';
import { agnhostConnectsUdp, buildNamespace, buildPod, buildServices, chooseAgentPorts, DEFAULT_IMAGES, PROBE_SCRATCH_DIR } from '../../../src/backends/kube/build-manifests.js';
import { toServiceRef, type WorkloadSpec } from '../../../src/scenario/types.js';
import { SCENARIO } from './fixtures.js';

type Any = Record<string, any>;
const web = SCENARIO.workloads[0]!;
const options = { realNamespace: 'demo-r1', runId: 'r1', images: DEFAULT_IMAGES, sameNode: false, unprivilegedPortSysctl: true };

describe('kube manifests', () => {
  it('labels the namespace with its real name and ownership', () => {
    const ns = buildNamespace(SCENARIO.namespaces[0]!, 'demo-r1', 'r1', { 'netpol-harness/heartbeat': '2026-01-01T00:00:00.000Z' }) as Any;
    expect(ns.metadata.labels).to.include({ team: 'a', 'kubernetes.io/metadata.name': 'demo-r1', 'app.kubernetes.io/managed-by': 'netpol-harness' });
    expect(ns.metadata.annotations).to.deep.equal({ 'netpol-harness/heartbeat': '2026-01-01T00:00:00.000Z' });
  });

  it('gives a pod a probe container, a TCP server container and one container per UDP port, with named ports', () => {
    const pod = buildPod(web, options) as Any;
    const containers = pod.spec.containers as Any[];
    expect(containers.map((c) => c.name)).to.deep.equal(['probe', 'tcp', 'udp-53']);
    expect(containers[0]!.args).to.deep.equal(['netexec', '--http-port=8080', '--udp-port=8081']);
    expect(containers[1]!.ports).to.deep.equal([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(containers[1]).to.deep.include({ args: ['porter'], env: [{ name: 'SERVE_PORT_80', value: 'netpol-harness' }] });
    expect(containers.every((c) => c.image === DEFAULT_IMAGES.agnhost), 'one image to mirror').to.equal(true);
    expect(containers[0]!.volumeMounts).to.deep.equal([{ name: 'nph-scratch', mountPath: PROBE_SCRATCH_DIR }]);
    expect(pod.spec.volumes).to.deep.equal([{ name: 'nph-scratch', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }]);
    expect(containers[2]!.ports).to.deep.equal([{ containerPort: 53, protocol: 'UDP' }]);
    expect(containers.every((c) => c.imagePullPolicy === 'IfNotPresent')).to.equal(true);
    expect(pod.metadata).to.deep.include({ name: 'web', namespace: 'demo-r1' });
    expect(pod.metadata.labels).to.include({ app: 'web', 'netpol-harness/run-id': 'r1', 'netpol-harness/workload': 'web' });
  });

  it('serves SCTP with agnhost porter', () => {
    const w: WorkloadSpec = { ...web, ports: [{ port: 9000, protocol: 'SCTP' }] };
    const c = ((buildPod(w, options) as Any).spec.containers as Any[])[1]!;
    expect(c).to.deep.include({ name: 'sctp-9000', args: ['porter'] });
    expect(c.env).to.deep.equal([{ name: 'SERVE_SCTP_PORT_9000', value: 'netpol-harness' }]);
  });

  describe('meets the restricted Pod Security Standard', () => {
    const restricted = (pod: Any): void => {
      expect(pod.spec.securityContext.seccompProfile).to.deep.equal({ type: 'RuntimeDefault' });
      for (const c of pod.spec.containers as Any[]) {
        expect(c.securityContext.allowPrivilegeEscalation, c.name).to.equal(false);
        expect(c.securityContext.capabilities.drop, c.name).to.deep.equal(['ALL']);
      }
    };

    it('runs every container as non-root; a port below 1024 is opened by the safe sysctl (Kubernetes >= 1.22)', () => {
      const pod = buildPod(web, options) as Any;
      restricted(pod);
      expect(pod.spec.securityContext).to.include({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
      expect(pod.spec.securityContext.sysctls).to.deep.equal([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
      expect((pod.spec.containers as Any[]).every((c) => c.securityContext.capabilities.add === undefined)).to.equal(true);
    });

    it('needs no sysctl when every port is 1024 or above', () => {
      const pod = buildPod({ ...web, ports: [{ port: 8080, protocol: 'TCP' }] }, { ...options, unprivilegedPortSysctl: false }) as Any;
      restricted(pod);
      expect(pod.spec.securityContext).to.include({ runAsNonRoot: true });
      expect(pod.spec.securityContext.sysctls).to.equal(undefined);
    });

    it('before 1.22 (sysctl not allowed) runs only the servers of a port below 1024 as root, with NET_BIND_SERVICE alone', () => {
      const pod = buildPod(web, { ...options, unprivilegedPortSysctl: false }) as Any;
      const [probe, tcp] = pod.spec.containers as Any[];
      expect(pod.spec.securityContext.runAsNonRoot).to.equal(undefined);
      expect(pod.spec.securityContext.sysctls).to.equal(undefined);
      expect(probe!.securityContext).to.include({ runAsNonRoot: true, runAsUser: 65534 });
      expect(tcp!.securityContext).to.deep.include({ runAsUser: 0, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    });
  });

  it('pins a canary pod to its node with nodeName, without affinity', () => {
    const pod = buildPod({ ...web, node: 'worker-2' }, options) as Any;
    expect(pod.spec.nodeName).to.equal('worker-2');
    expect(pod.spec.affinity).to.equal(undefined);
  });

  it('uses agnhost connect for UDP from agnhost 2.28 on, by the image tag', () => {
    expect(agnhostConnectsUdp(DEFAULT_IMAGES.agnhost)).to.equal(true);
    expect(agnhostConnectsUdp('registry.k8s.io/e2e-test-images/agnhost:2.28')).to.equal(true);
    expect(agnhostConnectsUdp('k8s.gcr.io/e2e-test-images/agnhost:2.25')).to.equal(false);
    expect(agnhostConnectsUdp('mirror.local/agnhost:latest')).to.equal(false);
    expect(agnhostConnectsUdp('mirror.local:5000/agnhost@sha256:abc')).to.equal(false);
  });

  it('has no readiness probes (a policy under test could block the kubelet and empty the Service)', () => {
    const pod = buildPod(web, options) as Any;
    expect((pod.spec.containers as Any[]).some((c) => 'readinessProbe' in c)).to.equal(false);
  });

  it('shares the process namespace, so the pause container reaps what probes orphan (agnhost netexec never does)', () => {
    expect((buildPod(web, options) as Any).spec.shareProcessNamespace).to.equal(true);
  });

  it('spreads pods with soft anti-affinity by default and packs them with sameNode', () => {
    const spread = (buildPod(web, options) as Any).spec.affinity;
    const packed = (buildPod(web, { ...options, sameNode: true }) as Any).spec.affinity;
    expect(spread.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).to.equal('kubernetes.io/hostname');
    expect(packed.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels).to.deep.equal({ 'netpol-harness/run-id': 'r1' });
  });

  it('moves the probe agent off ports the workload serves', () => {
    expect(chooseAgentPorts([{ port: 8080, protocol: 'TCP' }])).to.deep.equal({ http: 18080, udp: 18081 });
    expect(chooseAgentPorts([{ port: 8081, protocol: 'UDP' }])).to.deep.equal({ http: 8080, udp: 18081 });
  });

  it('builds a ClusterIP Service selecting the pod by run id and workload name, one port per served port', () => {
    const [svc, ...more] = buildServices(web, 'demo-r1', 'r1') as Any[];
    expect(more).to.deep.equal([]);
    expect(svc!.metadata.name).to.equal('web');
    expect(svc!.spec.selector).to.deep.equal({ 'netpol-harness/run-id': 'r1', 'netpol-harness/workload': 'web' });
    expect(svc!.spec.ports).to.deep.equal([
      { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
  });

  it('builds the Services a scenario writes: other names, other ports, named targetPorts as written', () => {
    const w: WorkloadSpec = {
      ...web,
      ports: [{ port: 8080, protocol: 'TCP', name: 'http' }],
      services: [
        { ref: toServiceRef('demo', 'web'), namespace: 'demo', name: 'web', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, targetPortName: 'http' }] },
        { ref: toServiceRef('demo', 'web-admin'), namespace: 'demo', name: 'web-admin', ports: [{ name: 'admin', port: 9000, protocol: 'TCP', targetPort: 8080 }] },
      ],
    };
    const services = buildServices(w, 'demo-r1', 'r1') as Any[];
    expect(services.map((s) => [s.metadata.name, s.spec.ports])).to.deep.equal([
      ['web', [{ name: 'tcp-80', port: 80, targetPort: 'http', protocol: 'TCP' }]],
      ['web-admin', [{ name: 'admin', port: 9000, targetPort: 8080, protocol: 'TCP' }]],
    ]);
    expect(services.every((s) => s.spec.selector['netpol-harness/workload'] === 'web')).to.equal(true);
  });

  it('gives a workload that serves nothing no Service', () => {
    expect(buildServices(SCENARIO.workloads[1]!, 'demo-r1', 'r1')).to.deep.equal([]);
  });
});
