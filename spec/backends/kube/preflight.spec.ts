import { expect } from 'chai';
import { makeKubeApi } from '../../../src/backends/kube/kube-api.js';
import { cniHintFrom, OPTIONAL_PERMISSIONS, parseMinor, REQUIRED_PERMISSIONS, runPreflight } from '../../../src/backends/kube/preflight.js';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.js';

const DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

describe('kube preflight (fake API server)', () => {
  let fake: FakeApiServer | undefined;
  afterEach(async () => fake?.close());

  it('reports version, permissions, the DNS Service and its pods with their REAL labels, and the CNI hint', async () => {
    fake = await startFakeApiServer({ daemonSets: ['kube-proxy', 'calico-node'] });
    const report = await runPreflight(makeKubeApi(fake.kubeConfig()), { timeoutMs: 2000 });
    expect(report.problems).to.deep.equal([]);
    expect(report.serverVersion).to.deep.equal({ gitVersion: 'v1.20.2', major: 1, minor: 20 });
    expect(report.permissions).to.have.length(REQUIRED_PERMISSIONS.length + OPTIONAL_PERMISSIONS.length);
    expect(report.canListNodes).to.equal(true);
    expect(report.dnsServiceIp).to.equal('10.96.0.10');
    expect(report.dnsPods).to.deep.equal([
      { namespace: 'kube-system', namespaceLabels: {}, labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': 'abc' }, ip: '10.244.0.2' },
    ]);
    expect(report.cniHint).to.equal('calico-node');
    expect(report.daemonSets).to.deep.equal(['calico-node', 'kube-proxy']);
  });

  it('asks one SelfSubjectAccessReview per permission, including pods/exec', async () => {
    fake = await startFakeApiServer();
    await runPreflight(makeKubeApi(fake.kubeConfig()), { dns: DNS, timeoutMs: 2000 });
    const asked = fake.requests
      .filter((r) => r.path.endsWith('/selfsubjectaccessreviews'))
      .map((r) => (r.body as any).spec.resourceAttributes)
      .map((a) => `${a.verb} ${a.group}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}`);
    expect(asked).to.include.members(['create /pods/exec', 'patch networking.k8s.io/networkpolicies', 'delete /namespaces', 'create /services']);
  });

  it('names every missing permission', async () => {
    fake = await startFakeApiServer({ denied: ['create pods/exec', 'delete namespaces'] });
    const report = await runPreflight(makeKubeApi(fake.kubeConfig()), { dns: DNS, timeoutMs: 2000 });
    expect(report.problems.map((p) => p.code)).to.deep.equal(['FORBIDDEN']);
    expect(report.problems[0]!.message).to.contain('delete namespaces').and.contain('create pods/exec');
  });

  it('reports DNS it cannot find as a note, not a problem: scenarios that probe by IP need none', async () => {
    fake = await startFakeApiServer();
    const report = await runPreflight(makeKubeApi(fake.kubeConfig()), { dns: { namespace: 'kube-system', labels: { 'k8s-app': 'coredns' } }, timeoutMs: 2000 });
    expect(report.problems).to.deep.equal([]);
    expect(report.dnsProblem?.code).to.equal('NO_DNS_PODS');
  });

  it('without `list nodes` the run goes on (one canary pair)', async () => {
    fake = await startFakeApiServer({ denied: ['list nodes'] });
    const report = await runPreflight(makeKubeApi(fake.kubeConfig()), { timeoutMs: 2000 });
    expect(report.problems).to.deep.equal([]);
    expect(report.canListNodes).to.equal(false);
  });

  it('finds NodeLocal DNSCache by its DaemonSet', async () => {
    fake = await startFakeApiServer({ daemonSets: ['kube-proxy', 'node-local-dns'] });
    const report = await runPreflight(makeKubeApi(fake.kubeConfig()), { timeoutMs: 2000 });
    expect(report.nodeLocalDns).to.equal('kube-system/node-local-dns');
  });

  it('reports an unreachable API server without throwing', async () => {
    fake = await startFakeApiServer();
    const kc = fake.kubeConfig();
    await fake.close();
    const report = await runPreflight(makeKubeApi(kc, { timeoutMs: 500, retries: 0, minBackoffMs: 5 }), { dns: DNS, timeoutMs: 500 });
    fake = undefined;
    expect(report.problems.map((p) => p.code)).to.deep.equal(['UNREACHABLE']);
  });

  it('reads minors like "20+" and hints CNIs by DaemonSet name or prefix', () => {
    expect(parseMinor('20+')).to.equal(20);
    expect(cniHintFrom(['kube-proxy', 'cilium'])).to.equal('cilium');
    expect(cniHintFrom(['kube-flannel-ds-amd64'])).to.equal('kube-flannel-ds');
    expect(cniHintFrom(['kube-proxy'])).to.equal(undefined);
  });
});
