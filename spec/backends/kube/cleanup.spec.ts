import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cleanupKubeLeftovers } from '../../../src/backends/kube/cleanup.js';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.js';

const owned = (run: string) => ({ 'app.kubernetes.io/managed-by': 'netpol-harness', 'netpol-harness/run-id': run });

describe('kube cleanup of leftovers (fake API server)', () => {
  let fake: FakeApiServer;
  let kubeconfig: string;
  beforeEach(async () => {
    fake = await startFakeApiServer();
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
    writeFileSync(kubeconfig, fake.kubeConfigYaml());
    const ns = fake.store.get('namespaces')!;
    const pods = fake.store.get('pods')!;
    for (const [name, labels] of [['a-r1', owned('r1')], ['b-r2', owned('r2')], ['prod', { team: 'x' }]] as const) {
      ns.set(name, { metadata: { name, labels } });
      pods.set(`${name}/p`, { metadata: { name: 'p', namespace: name, labels } });
    }
  });
  afterEach(async () => fake.close());

  it('deletes every run\'s namespaces (pods first) and nothing it did not create', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig });
    expect(result).to.deep.equal({ removed: ['a-r1', 'b-r2'], stillTerminating: [] });
    expect([...fake.store.get('namespaces')!.keys()].sort()).to.deep.equal(['kube-system', 'prod']);
    expect(fake.store.get('pods')!.has('prod/p')).to.equal(true);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes.indexOf('/api/v1/namespaces/a-r1/pods')).to.be.below(deletes.indexOf('/api/v1/namespaces/a-r1'));
  });

  it('limits itself to one run with runId', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, runId: 'r2' });
    expect(result.removed).to.deep.equal(['b-r2']);
    expect(fake.store.get('namespaces')!.has('a-r1')).to.equal(true);
  });

  it('waits for the namespaces to be gone when asked', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, waitMs: 2000 });
    expect(result.stillTerminating).to.deep.equal([]);
  });
});
