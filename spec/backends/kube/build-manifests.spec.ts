import { expect } from 'chai';
import { buildNamespace, buildPod, buildService, chooseAgentPorts, DEFAULT_IMAGES } from '../../../src/backends/kube/build-manifests.js';
import type { WorkloadSpec } from '../../../src/scenario/types.js';
import { SCENARIO } from './fixtures.js';

type Any = Record<string, any>;
const web = SCENARIO.workloads[0]!;
const options = { realNamespace: 'demo-r1', runId: 'r1', images: DEFAULT_IMAGES, sameNode: false };

describe('kube manifests', () => {
  it('labels the namespace with its real name and ownership', () => {
    const ns = buildNamespace(SCENARIO.namespaces[0]!, 'demo-r1', 'r1') as Any;
    expect(ns.metadata.labels).to.include({ team: 'a', 'kubernetes.io/metadata.name': 'demo-r1', 'app.kubernetes.io/managed-by': 'netpol-harness' });
  });

  it('gives a pod a probe container, a TCP server container and one container per UDP port, with named ports', () => {
    const pod = buildPod(web, options) as Any;
    const containers = pod.spec.containers as Any[];
    expect(containers.map((c) => c.name)).to.deep.equal(['probe', 'tcp', 'udp-53']);
    expect(containers[0]!.args).to.deep.equal(['netexec', '--http-port=8080', '--udp-port=8081']);
    expect(containers[1]!.ports).to.deep.equal([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(containers[1]!.command[2]).to.contain('httpd -p 80');
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

  it('has no readiness probes (a policy under test could block the kubelet and empty the Service)', () => {
    const pod = buildPod(web, options) as Any;
    expect((pod.spec.containers as Any[]).some((c) => 'readinessProbe' in c)).to.equal(false);
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
    const svc = buildService(web, 'demo-r1', 'r1') as Any;
    expect(svc.spec.selector).to.deep.equal({ 'netpol-harness/run-id': 'r1', 'netpol-harness/workload': 'web' });
    expect(svc.spec.ports).to.deep.equal([
      { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
  });

  it('gives a workload that serves nothing no Service', () => {
    expect(buildService(SCENARIO.workloads[1]!, 'demo-r1', 'r1')).to.equal(undefined);
  });
});
