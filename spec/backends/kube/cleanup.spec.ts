import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cleanupKubeLeftovers, isHarnessName } from '../../../src/backends/kube/cleanup.js';
import { heartbeatAnnotations, isAbandoned } from '../../../src/backends/kube/owned-namespaces.js';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.js';

const owned = (run: string) => ({ 'app.kubernetes.io/managed-by': 'netpol-harness', 'netpol-harness/run-id': run });
const NOW = new Date('2026-12-01T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

describe('kube cleanup of leftovers (fake API server)', () => {
  let fake: FakeApiServer;
  let kubeconfig: string;
  beforeEach(async () => {
    fake = await startFakeApiServer();
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
    writeFileSync(kubeconfig, fake.kubeConfigYaml());
    const ns = fake.store.get('namespaces')!;
    const pods = fake.store.get('pods')!;
    const rows: Array<[string, Record<string, string>, Record<string, string>]> = [
      // A run whose owner died ten minutes ago, and one from a harness without heartbeats.
      ['a-r1', owned('r1'), heartbeatAnnotations(ago(600), 120)],
      ['b-r2', owned('r2'), {}],
      // A run in progress: its heartbeat is 10 s old.
      ['c-r3', owned('r3'), heartbeatAnnotations(ago(10), 120)],
      // Carries the label, but the harness never names a namespace so.
      ['prod-db', owned('r9'), {}],
      ['prod', { team: 'x' }, {}],
    ];
    for (const [name, labels, annotations] of rows) {
      ns.set(name, { metadata: { name, labels, annotations, creationTimestamp: ago(3600).toISOString() } });
      pods.set(`${name}/p`, { metadata: { name: 'p', namespace: name, labels } });
    }
  });
  afterEach(async () => fake.close());

  it('deletes only runs whose owner is gone (pods first), and never what the harness did not name', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, now: NOW });
    expect(result).to.deep.equal({ removed: ['a-r1', 'b-r2'], inProgress: [{ namespace: 'c-r3', heartbeatAgeSeconds: 10 }], notOwn: ['prod-db'], stillTerminating: [] });
    expect([...fake.store.get('namespaces')!.keys()].sort()).to.deep.equal(['c-r3', 'kube-system', 'prod', 'prod-db']);
    expect(fake.store.get('pods')!.has('c-r3/p')).to.equal(true);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes.indexOf('/api/v1/namespaces/a-r1/pods')).to.be.below(deletes.indexOf('/api/v1/namespaces/a-r1'));
  });

  it('removes a run in progress too with force, still never a namespace it did not name', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, now: NOW, force: true });
    expect(result.removed).to.deep.equal(['a-r1', 'b-r2', 'c-r3']);
    expect(fake.store.get('namespaces')!.has('prod-db')).to.equal(true);
  });

  it('limits itself to one run with runId', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, runId: 'r2', now: NOW });
    expect(result.removed).to.deep.equal(['b-r2']);
    expect(fake.store.get('namespaces')!.has('a-r1')).to.equal(true);
  });

  it('waits for the namespaces to be gone when asked', async () => {
    const result = await cleanupKubeLeftovers({ kubeconfig, waitMs: 2000, now: NOW });
    expect(result.stillTerminating).to.deep.equal([]);
  });

  it('tells harness names and abandoned heartbeats', () => {
    expect(isHarnessName('demo-r1', 'r1')).to.equal(true);
    expect(isHarnessName('r1', 'r1')).to.equal(false);
    expect(isHarnessName('demo-r1', 'R1!')).to.equal(false);
    expect(isAbandoned(heartbeatAnnotations(ago(119), 120), undefined, NOW)).to.equal(false);
    expect(isAbandoned(heartbeatAnnotations(ago(121), 120), undefined, NOW)).to.equal(true);
    expect(isAbandoned({}, ago(60), NOW)).to.equal(false);
    expect(isAbandoned({ 'netpol-harness/heartbeat': 'garbage' }, undefined, NOW)).to.equal(true);
  });
});
