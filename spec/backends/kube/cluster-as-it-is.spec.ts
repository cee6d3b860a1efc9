/**
 * The kube backend predicts the cluster as it is (fake API server): the DNS found as the
 * cluster has it, the facts where it differs from what an author assumes, what the cluster
 * cannot express, pods any admission lets in, and a run shared with others.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { UnsupportedError } from '../../../src/backends/backend.js';
import { connectKube, createKubeBackend, KubeEnvironmentError, type KubeBackend, type KubeBackendOptions } from '../../../src/backends/kube/kube-backend.js';
import { listWorkloadNodes } from '../../../src/backends/kube/list-nodes.js';
import { unsupportedOnServer } from '../../../src/backends/kube/unsupported-features.js';
import { runScenario } from '../../../src/run/run-scenario.js';
import { canaryScenario } from '../../../src/run/canary.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { systemClock } from '../../../src/util/clock.js';
import { startFakeApiServer, type FakeApiServer, type FakeOptions } from './fake-api-server.js';
import { BY_NAME, SCENARIO, policy, quietContext } from './fixtures.js';

const K = 'kubernetes.io/metadata.name';

describe('kube backend: the cluster as it is (fake API server)', () => {
  let fake: FakeApiServer;
  let backend: KubeBackend | undefined;

  async function open(fakeOptions: FakeOptions = {}, options: KubeBackendOptions = {}): Promise<KubeBackend> {
    fake = await startFakeApiServer(fakeOptions);
    const file = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
    writeFileSync(file, fake.kubeConfigYaml());
    const conn = await connectKube({ kubeconfig: file, callLimits: { minBackoffMs: 5, timeoutMs: 2000, retries: 1 } });
    if (!conn.ok) throw new Error(conn.message);
    backend = createKubeBackend(conn, { runId: 'r1', podReadyTimeoutMs: 2000, serviceWarmUpMs: 2000, ...options });
    return backend;
  }
  afterEach(async () => {
    await backend?.tearDown().catch(() => undefined);
    backend = undefined;
    await fake?.close();
  });

  describe('cluster facts', () => {
    it('names kube-system without kubernetes.io/metadata.name on Kubernetes 1.20, with the version', async () => {
      const topology = await (await open()).setUp(BY_NAME, quietContext());
      expect(topology.dnsPods[0]?.namespaceLabels).to.deep.equal({});
      expect(topology.facts).to.deep.equal([
        {
          kind: 'namespace-label',
          namespace: 'kube-system',
          label: K,
          value: 'kube-system',
          text: 'kube-system has no label kubernetes.io/metadata.name on this cluster (Kubernetes v1.20.2; the label is automatic since 1.21)',
        },
      ]);
    });

    it('has no fact to report where the cluster is as assumed (1.21+ labels)', async () => {
      const topology = await (await open({ minor: 25, kubeSystemLabels: { [K]: 'kube-system' } })).setUp(BY_NAME, quietContext());
      expect(topology.facts).to.equal(undefined);
    });

    it('finds CoreDNS labelled only app.kubernetes.io/name=coredns behind kube-dns, and says it lacks k8s-app=kube-dns', async () => {
      const topology = await (await open({ kubeSystemLabels: { [K]: 'kube-system' }, dnsPodLabels: { 'app.kubernetes.io/name': 'coredns' } })).setUp(BY_NAME, quietContext());
      expect(topology.dnsPods.map((d) => d.labels)).to.deep.equal([{ 'app.kubernetes.io/name': 'coredns' }]);
      expect(topology.facts?.map((f) => f.text)).to.deep.equal([
        'the DNS pods do not carry k8s-app=kube-dns on this cluster (they carry app.kubernetes.io/name=coredns)',
      ]);
    });

    it("honours a scenario's own dns:", async () => {
      const declared: Scenario = { ...BY_NAME, dns: { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'coredns' } }, dnsDeclared: true };
      const topology = await (await open({ kubeSystemLabels: { [K]: 'kube-system' }, dnsPodLabels: { 'app.kubernetes.io/name': 'coredns' } })).setUp(declared, quietContext());
      expect(topology.dnsServiceIp).to.equal('10.96.0.10');
      expect(topology.facts).to.equal(undefined);
    });

    it('says what NodeLocal DNSCache means for predictions', async () => {
      const topology = await (await open({ kubeSystemLabels: { [K]: 'kube-system' }, daemonSets: ['node-local-dns'] })).setUp(BY_NAME, quietContext());
      expect(topology.facts?.map((f) => f.kind)).to.deep.equal(['dns-path']);
      expect(topology.facts?.[0]?.text).to.match(/NodeLocal DNSCache .*kube-system\/node-local-dns.* may be wrong here/);
    });

    it('runs a scenario that needs no DNS on a cluster without any, and refuses one that looks names up', async () => {
      await open();
      fake.store.get('pods')!.delete('kube-system/coredns-1');
      fake.store.get('services')!.delete('kube-system/kube-dns');
      const topology = await backend!.setUp(SCENARIO, quietContext());
      expect(topology.dnsPods).to.deep.equal([]);
      await backend!.tearDown();
      let error: unknown;
      await backend!.setUp(BY_NAME, quietContext()).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(KubeEnvironmentError);
      expect(String(error)).to.match(/looks Service names up, but/);
      expect(String(error)).to.match(/no cluster DNS found|no running pod|selects no/);
    });

    it('predicts DNS denied where the cluster fact decides it, and says so in the reason', async () => {
      await open();
      // production-baseline's guardrail: egress only to DNS pods in the namespace named kube-system.
      const denyAll = policy('demo', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const allowDns = policy('demo', 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { [K]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
      });
      const step = { ...BY_NAME.steps[0]!, apply: [denyAll, allowDns] };
      const result = await runScenario({ ...BY_NAME, steps: [step] }, backend!, {
        observe: true,
        settleTimeoutMs: 0,
        inconclusiveRetries: 0,
        enforceDelayMs: 0,
        keep: false,
        clock: systemClock,
        ctx: quietContext(),
        environment: { backend: 'kube' },
      });
      backend = undefined;
      const dns = result.steps[0]!.probes.find((p) => p.from === 'demo/web' && p.to === 'dns')!;
      expect(dns.predicted).to.equal('deny');
      expect(dns.clusterFact).to.match(/^kube-system has no label kubernetes.io\/metadata.name/);
      expect(dns.reason).to.match(/decided by this cluster: kube-system has no label/);
      expect(result.environment?.clusterFacts).to.have.length(1);
    });
  });

  describe('what the cluster cannot express', () => {
    const endPortScenario: Scenario = {
      ...SCENARIO,
      steps: [{ ...BY_NAME.steps[0]!, apply: [policy('demo', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] })] }],
    };

    it('knows endPort before 1.22 and SCTP before 1.19 are unsupported, naming the field and the version', () => {
      const v = (minor: number) => ({ gitVersion: `v1.${minor}.0`, major: 1, minor });
      expect(unsupportedOnServer(endPortScenario, v(20))?.message).to.equal(
        'endPort needs Kubernetes >= 1.22 and this cluster runs v1.20.0 (NetworkPolicy demo/range spec.ingress[0].ports[0].endPort)',
      );
      expect(unsupportedOnServer(endPortScenario, v(22))).to.equal(undefined);
      const sctp: Scenario = { ...SCENARIO, workloads: [{ ...SCENARIO.workloads[0]!, ports: [{ port: 9, protocol: 'SCTP' }] }] };
      expect(unsupportedOnServer(sctp, v(18))?.feature).to.equal('SCTP');
      expect(unsupportedOnServer(sctp, v(20))).to.equal(undefined);
      const external: Scenario = { ...SCENARIO, externals: [{ name: 'partner', ip: '192.0.2.10', ports: [{ port: 443, protocol: 'TCP' }] }] };
      expect(unsupportedOnServer(external, v(30))?.message).to.match(/^external partner \(192\.0\.2\.10\) is a documentation address/);
    });

    it('reports an SCTP port the cluster refuses as unsupported, not as a broken environment', async () => {
      await open();
      fake.addFault({ method: 'POST', path: /\/pods$/, status: 422, message: 'Pod "web" is invalid: spec.containers[1].ports[0].protocol: Unsupported value: "SCTP"' });
      const error = await backend!.setUp(SCENARIO, quietContext()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedError);
      expect((error as UnsupportedError).feature).to.equal('SCTP');
    });
  });

  describe('pods any cluster admits', () => {
    it('quotes an admission webhook that still refuses a pod (the CLI exits 3)', async () => {
      await open();
      const message = 'admission webhook "policy.example.com" denied the request: images must come from registry.example.com';
      fake.addFault({ method: 'POST', path: /\/pods$/, status: 403, message });
      const error = await backend!.setUp(SCENARIO, quietContext()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(KubeEnvironmentError);
      expect(String(error)).to.contain(message);
    });

    it('creates pods meeting the restricted Pod Security Standard', async () => {
      await open({ minor: 28 });
      await backend!.setUp(SCENARIO, quietContext());
      const pod = fake.store.get('pods')!.get('demo-r1/web')!;
      expect(pod.spec.securityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.spec.containers.every((c: any) => c.securityContext.allowPrivilegeEscalation === false)).to.equal(true);
    });
  });

  describe('every node', () => {
    it('lists the nodes pods can land on: Ready, no NoSchedule/NoExecute taint', async () => {
      await open({ nodes: [{ name: 'cp', taints: [{ effect: 'NoSchedule' }] }, { name: 'w1' }, { name: 'w2', ready: false }, { name: 'w3', taints: [{ effect: 'PreferNoSchedule' }] }] });
      const conn = await connectKube({ kubeconfig: writeKubeconfig(fake) });
      if (!conn.ok) throw new Error(conn.message);
      expect(await listWorkloadNodes(conn.api)).to.deep.equal(['w1', 'w3']);
    });

    it('pins the canary pair of each node to it', async () => {
      await open({ nodes: [{ name: 'w1' }, { name: 'w2' }] });
      const topology = await backend!.setUp(canaryScenario(['w1', 'w2']), quietContext());
      expect([...topology.nodes!.entries()].sort()).to.deep.equal([
        ['nph-canary/client-0', 'w1'],
        ['nph-canary/client-1', 'w2'],
        ['nph-canary/server-0', 'w1'],
        ['nph-canary/server-1', 'w2'],
      ]);
    });
  });
});

function writeKubeconfig(fake: FakeApiServer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
  writeFileSync(file, fake.kubeConfigYaml());
  return file;
}
