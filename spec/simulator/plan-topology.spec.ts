import { expect } from 'chai';
import { planTopology } from '../../src/simulator/plan-topology.js';
import { buildWorld } from './world.js';

describe('simulator/plan-topology', () => {
  it('is deterministic: pods from 10.244.0.10, Services from 10.96.0.100, in workload order', () => {
    const { scenario } = buildWorld({});
    const t = planTopology(scenario);
    expect([...t.podIps.values()].slice(0, 3)).to.deep.equal(['10.244.0.10', '10.244.0.11', '10.244.0.12']);
    expect([...t.serviceIps.values()].slice(0, 2)).to.deep.equal(['10.96.0.100', '10.96.0.101']);
    expect(planTopology(scenario)).to.deep.equal(t);
  });
  it('plans one DNS pod at 10.244.0.2 behind 10.96.0.10, with the scenario DNS labels', () => {
    const t = planTopology(buildWorld({ dns: { namespace: 'dns-system', labels: { app: 'coredns' } } }).scenario);
    expect(t.dnsServiceIp).to.equal('10.96.0.10');
    expect(t.clusterDomain).to.equal('cluster.local');
    expect(t.dnsPods).to.deep.equal([{ namespace: 'dns-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'dns-system' }, labels: { app: 'coredns' }, ip: '10.244.0.2' }]);
  });
  it('takes the DNS namespace labels from the scenario when it declares the namespace', () => {
    const t = planTopology(buildWorld({ namespaces: { 'kube-system': { tier: 'system' } } }).scenario);
    expect(t.dnsPods[0]!.namespaceLabels).to.include({ tier: 'system', 'kubernetes.io/metadata.name': 'kube-system' });
  });
  it('crosses octets past 246 workloads (10.244.1.0)', () => {
    const pods = Array.from({ length: 300 }, (_, i) => ({ id: `x/p${i}` }));
    const t = planTopology(buildWorld({ pods }).scenario);
    expect([...t.podIps.values()][246]).to.equal('10.244.1.0');
    expect(new Set(t.podIps.values()).size).to.equal(300);
  });
});
