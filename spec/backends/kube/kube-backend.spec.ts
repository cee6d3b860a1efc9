import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PolicyFieldNotSupportedError } from '../../../src/backends/kube/apply-state.js';
import { connectKube, createKubeBackend, type KubeBackend, type KubeBackendOptions } from '../../../src/backends/kube/kube-backend.js';
import { PodsNotReadyError } from '../../../src/backends/kube/wait-pods-ready.js';
import { toServiceRef, type Scenario } from '../../../src/scenario/types.js';
import { answerProbeScript, isProbeToolCheck, startFakeApiServer, type FakeApiServer, type FakeOptions } from './fake-api-server.js';
import { BASE_STATE, BY_NAME, CLIENT, DB, SCENARIO, WEB, policy, probe, quietContext } from './fixtures.js';

const K = 'kubernetes.io/metadata.name';

describe('kube backend against the fake API server', () => {
  let fake: FakeApiServer;
  let backend: KubeBackend;

  async function open(fakeOptions: FakeOptions = {}, options: KubeBackendOptions = {}): Promise<KubeBackend> {
    fake = await startFakeApiServer(fakeOptions);
    const file = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
    writeFileSync(file, fake.kubeConfigYaml());
    const conn = await connectKube({ kubeconfig: file, callLimits: { minBackoffMs: 5, timeoutMs: 2000 } });
    if (!conn.ok) throw new Error(conn.message);
    backend = createKubeBackend(conn, { runId: 'r1', podReadyTimeoutMs: 2000, serviceWarmUpMs: 2000, ...options });
    return backend;
  }
  afterEach(async () => {
    await backend?.tearDown().catch(() => undefined);
    await fake?.close();
  });
  const names = (resource: string) => [...fake.store.get(resource)!.keys()].filter((k) => !k.startsWith('kube-system')).sort();

  it('creates per-run namespaces, pods and Services, and reports the topology in scenario names', async () => {
    await open();
    const topology = await backend.setUp(BY_NAME, quietContext());
    expect(names('namespaces')).to.deep.equal(['demo-r1', 'other-r1']);
    expect(names('pods')).to.deep.equal(['demo-r1/client', 'demo-r1/web', 'other-r1/db']);
    expect(names('services')).to.deep.equal(['demo-r1/web', 'other-r1/db']);
    expect(fake.store.get('namespaces')!.get('demo-r1')!.metadata.labels).to.deep.equal({
      team: 'a',
      [K]: 'demo-r1',
      'app.kubernetes.io/managed-by': 'netpol-harness',
      'netpol-harness/run-id': 'r1',
    });
    expect([...topology.podIps.keys()].sort()).to.deep.equal([CLIENT, WEB, DB].sort());
    expect(topology.serviceIps.get(toServiceRef('demo', 'web'))).to.match(/^10\.96\.1\./);
    expect(topology.serviceIps.has(toServiceRef('demo', 'client'))).to.equal(false);
    expect(topology.nodes?.get(DB)).to.equal('fake-node');
    expect(topology.dnsServiceIp).to.equal('10.96.0.10');
    expect(topology.dnsPods[0]?.labels).to.deep.equal({ 'k8s-app': 'kube-dns', 'pod-template-hash': 'abc' });
    expect(topology.clusterDomain).to.equal('cluster.local');
    expect(backend.clusterNamespace('demo')).to.equal('demo-r1');
  });

  it('creates no Service, and waits for none, when every step probes by pod IP', async () => {
    await open();
    const byPodIp: Scenario = { ...BY_NAME, steps: BY_NAME.steps.map((s) => ({ ...s, probe: { ...s.probe, target: 'pod-ip', dns: false } })) };
    const topology = await backend.setUp(byPodIp, quietContext());
    expect(names('pods')).to.deep.equal(['demo-r1/client', 'demo-r1/web', 'other-r1/db']);
    expect(names('services')).to.deep.equal([]);
    expect(topology.serviceIps.size).to.equal(0);
    expect(fake.execCalls.filter((c) => !isProbeToolCheck(c)), 'no warm-up probes').to.deep.equal([]);
  });

  it('waits until every Service answers from a pod by ClusterIP before returning', async () => {
    let refusals = 2;
    await open({
      exec: (call) => ({
        exitCode: 0,
        stdout: answerProbeScript(call.command[2]!, () => (!isProbeToolCheck(call) && refusals-- > 0 ? { code: 1, text: 'REFUSED' } : { code: 0, text: '' })),
      }),
    });
    await backend.setUp(SCENARIO, quietContext());
    const warmUps = fake.execCalls.filter((c) => !isProbeToolCheck(c));
    expect(warmUps.length).to.be.at.least(2);
    expect(warmUps.every((c) => c.namespace === 'demo-r1' && c.pod === 'client')).to.equal(true);
  });

  it('server-side applies policies (field manager netpol-harness) with namespaces rewritten, and keeps `from`', async () => {
    await open();
    await backend.setUp(SCENARIO, quietContext());
    const p = policy('demo', 'allow-other', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: K, operator: 'In', values: ['other'] }] } }], ports: [{ port: 80 }] }],
    });
    await backend.apply({ ...BASE_STATE, policies: [p] }, quietContext());
    const patch = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/networkpolicies/allow-other'))!;
    expect(patch.path).to.equal('/apis/networking.k8s.io/v1/namespaces/demo-r1/networkpolicies/allow-other');
    expect(patch.contentType).to.equal('application/apply-patch+yaml');
    expect(patch.query.get('fieldManager')).to.equal('netpol-harness');
    expect(patch.query.get('force')).to.equal('true');
    const stored = fake.store.get('networkpolicies')!.get('demo-r1/allow-other')!;
    expect(stored.spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).to.deep.equal(['other-r1']);
    expect(stored.metadata.labels).to.include({ 'netpol-harness/run-id': 'r1' });
  });

  it('is declarative: an unchanged policy is not sent again, a removed one is deleted', async () => {
    await open();
    await backend.setUp(SCENARIO, quietContext());
    const a = policy('demo', 'a', { podSelector: {}, policyTypes: ['Ingress'] });
    const b = policy('other', 'b', { podSelector: {}, policyTypes: ['Egress'] });
    await backend.apply({ ...BASE_STATE, policies: [a, b] }, quietContext());
    const before = fake.requests.length;
    await backend.apply({ ...BASE_STATE, policies: [a, b] }, quietContext());
    expect(fake.requests.length).to.equal(before);
    await backend.apply({ ...BASE_STATE, policies: [b] }, quietContext());
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'DELETE /apis/networking.k8s.io/v1/namespaces/demo-r1/networkpolicies/a',
    ]);
    expect(names('networkpolicies')).to.deep.equal(['other-r1/b']);
  });

  const endPortRows: { mode: NonNullable<FakeOptions['endPort']>; minor: number; refused: boolean }[] = [
    { mode: 'reject-ssa', minor: 20, refused: true },
    { mode: 'drop', minor: 22, refused: true },
    { mode: 'store', minor: 25, refused: false },
  ];
  for (const row of endPortRows) {
    it(`${row.refused ? 'reports' : 'accepts'} endPort when the server ${row.mode === 'store' ? 'stores it' : row.mode === 'drop' ? 'drops it silently' : 'rejects it (1.20 SSA: HTTP 500)'}`, async () => {
      await open({ endPort: row.mode, minor: row.minor });
      await backend.setUp(SCENARIO, quietContext());
      const p = policy('demo', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 90 }] }] });
      const error = await backend.apply({ ...BASE_STATE, policies: [p] }, quietContext()).then(() => undefined, (e: unknown) => e);
      if (!row.refused) {
        expect(error).to.equal(undefined);
        return;
      }
      expect(error).to.be.instanceOf(PolicyFieldNotSupportedError);
      const e = error as PolicyFieldNotSupportedError;
      expect(e.fields).to.deep.equal(['spec.ingress[0].ports[0].endPort']);
      expect(e.message).to.contain(`Kubernetes v1.${row.minor}.2`).and.contain('demo/range');
      // a 500 "not declared in schema" is not retried
      expect(fake.requests.filter((r) => r.method === 'PATCH').length).to.equal(1);
    });
  }

  it('patches only changed labels of namespaces and pods (JSON Patch), never the ownership labels', async () => {
    await open();
    await backend.setUp(SCENARIO, quietContext());
    const before = fake.requests.length;
    const state = {
      ...BASE_STATE,
      namespaces: [{ name: 'demo', labels: { [K]: 'demo', stage: 'prod' } }, SCENARIO.namespaces[1]!],
      workloads: [{ ...SCENARIO.workloads[0]!, labels: { tier: 'web' } }, SCENARIO.workloads[1]!, SCENARIO.workloads[2]!],
    };
    await backend.apply(state, quietContext());
    const patches = fake.requests.slice(before).map((r) => ({ path: r.path, body: r.body }));
    expect(patches).to.deep.equal([
      {
        path: '/api/v1/namespaces/demo-r1',
        body: [
          { op: 'remove', path: '/metadata/labels/team' },
          { op: 'add', path: '/metadata/labels/stage', value: 'prod' },
        ],
      },
      {
        path: '/api/v1/namespaces/demo-r1/pods/web',
        body: [
          { op: 'remove', path: '/metadata/labels/app' },
          { op: 'add', path: '/metadata/labels/tier', value: 'web' },
        ],
      },
    ]);
    expect(fake.store.get('pods')!.get('demo-r1/web')!.metadata.labels).to.deep.equal({
      tier: 'web',
      'app.kubernetes.io/managed-by': 'netpol-harness',
      'netpol-harness/run-id': 'r1',
      'netpol-harness/workload': 'web',
    });
  });

  it('probes through exec in the real namespaces and answers by the plan keys', async () => {
    await open({
      exec: (call) => ({
        exitCode: 0,
        stdout: answerProbeScript(call.command[2]!, (cmd) => (call.pod === 'db' && /:80$/.test(cmd) ? { code: 1, text: 'TIMEOUT' } : { code: 0, text: '{"responses":["web"]}' })),
      }),
    });
    await backend.setUp(SCENARIO, quietContext());
    const probes = [
      probe(CLIENT, { kind: 'workload', ref: WEB }, 80, 'TCP', 'pod-ip'),
      probe(CLIENT, { kind: 'workload', ref: WEB }, 53, 'UDP', 'service-name'),
      probe(DB, { kind: 'workload', ref: WEB }, 80, 'TCP', 'pod-ip'),
      probe(DB, { kind: 'dns' }, 53, 'UDP', 'dns-lookup'),
    ];
    const execsBefore = fake.execCalls.length;
    const out = await backend.probe(probes, quietContext());
    expect(fake.execCalls.length - execsBefore).to.equal(2);
    expect(probes.map((p) => out.get(p.key)?.kind)).to.deep.equal(['ok', 'ok', 'timeout', 'ok']);
  });

  it('creates the Services a scenario writes (other names, remapped and named targetPorts) and dials their ports', async () => {
    const scripts: string[] = [];
    await open({
      exec: (call) => {
        scripts.push(call.command[2]!);
        return { exitCode: 0, stdout: answerProbeScript(call.command[2]!, () => ({ code: 0, text: '' })) };
      },
    });
    const web = SCENARIO.workloads[0]!;
    const remapped = {
      ...SCENARIO,
      workloads: [
        {
          ...web,
          ports: [{ port: 8080, protocol: 'TCP' as const, name: 'http' }],
          services: [
            { ref: toServiceRef('demo', 'shop'), namespace: 'demo', name: 'shop', ports: [{ port: 80, protocol: 'TCP' as const, targetPort: 8080, targetPortName: 'http' }] },
            { ref: toServiceRef('demo', 'shop-admin'), namespace: 'demo', name: 'shop-admin', ports: [{ name: 'admin', port: 9000, protocol: 'TCP' as const, targetPort: 8080 }] },
          ],
        },
        ...SCENARIO.workloads.slice(1),
      ],
    };
    const topology = await backend.setUp(remapped, quietContext());
    expect(names('services')).to.deep.equal(['demo-r1/shop', 'demo-r1/shop-admin', 'other-r1/db']);
    expect(fake.store.get('services')!.get('demo-r1/shop')!.spec.ports).to.deep.equal([{ name: 'tcp-80', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(fake.store.get('services')!.get('demo-r1/shop-admin')!.spec.selector).to.include({ 'netpol-harness/workload': 'web' });
    expect([...topology.serviceIps.keys()].sort()).to.deep.equal(['demo/shop', 'demo/shop-admin', 'other/db']);
    expect(scripts.some((s) => s.includes(topology.serviceIps.get(toServiceRef('demo', 'shop-admin'))!) && s.includes('9000')), 'warm-up dials each Service port by ClusterIP').to.equal(true);

    const shop = { ...probe(CLIENT, { kind: 'workload', ref: WEB }, 8080, 'TCP', 'service-name'), service: { ref: toServiceRef('demo', 'shop'), name: 'shop', port: 80 } };
    scripts.length = 0;
    const out = await backend.probe([shop], quietContext());
    expect(out.get(shop.key)?.kind).to.equal('ok');
    expect(scripts.join('\n')).to.contain('shop.demo-r1.svc.cluster.local').and.match(/\b80\b/);
  });

  it('tears down pods before namespaces, leaves other namespaces alone, and is idempotent', async () => {
    await open();
    fake.store.get('namespaces')!.set('theirs', { metadata: { name: 'theirs', labels: {} } });
    await backend.setUp(SCENARIO, quietContext());
    const before = fake.requests.length;
    await backend.tearDown();
    const deletes = fake.requests.slice(before).filter((r) => r.method === 'DELETE').map((r) => r.path);
    // Each namespace loses its pods before it goes; namespaces are torn down at once.
    for (const ns of ['demo-r1', 'other-r1']) {
      expect(deletes.indexOf(`/api/v1/namespaces/${ns}/pods`)).to.be.within(0, deletes.indexOf(`/api/v1/namespaces/${ns}`) - 1);
    }
    expect(deletes).to.have.length(4);
    expect(fake.requests.find((r) => r.method === 'DELETE' && r.path === '/api/v1/namespaces/demo-r1/pods')!.query.get('labelSelector')).to.equal(
      'app.kubernetes.io/managed-by=netpol-harness,netpol-harness/run-id=r1',
    );
    expect(names('namespaces')).to.deep.equal(['theirs']);
    await backend.tearDown();
  });

  it('release() (a kept run) leaves everything in place', async () => {
    await open({});
    await backend.setUp(SCENARIO, quietContext());
    await backend.release!();
    expect(names('namespaces')).to.deep.equal(['demo-r1', 'other-r1']);
    await backend.tearDown();
  });

  it('fails with the pod, its waiting reason and last event when a pod never becomes Ready', async () => {
    await open({ neverReady: new Map([['db', { reason: 'ContainerCreating', event: 'failed to set up sandbox' }]]) }, { podReadyTimeoutMs: 600 });
    const error = await backend.setUp(SCENARIO, quietContext()).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(PodsNotReadyError);
    expect((error as Error).message).to.match(/not Ready after 1 s without progress \(2\/3 Ready\)/);
    expect((error as Error).message).to.contain('other-r1/db').and.contain('ContainerCreating').and.contain('failed to set up sandbox');
  });

  it('gives pods that a busy node starts one by one more time than the pod-ready timeout, as long as each comes within it', async () => {
    // One pod turns Ready every 4 polls (~2 s apart, 2 namespaces listed per poll): ~6 s in all against a 2.5 s timeout.
    await open({ readyOnePerLists: 8 }, { podReadyTimeoutMs: 2500 });
    const started = Date.now();
    const topology = await backend.setUp(SCENARIO, quietContext());
    expect(Date.now() - started, 'longer than the timeout: the wait went on while pods kept coming').to.be.above(2500);
    expect(topology.podIps.size).to.equal(3);
    await backend.tearDown();
  });

  it('fails at once on an image that cannot be pulled, with the air-gap hint', async () => {
    await open({ neverReady: new Map([['web', { reason: 'ImagePullBackOff', event: 'Back-off pulling image' }]]) }, { podReadyTimeoutMs: 60_000 });
    const started = Date.now();
    const error = await backend.setUp(SCENARIO, quietContext()).then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).to.be.below(5000);
    expect((error as Error).message).to.contain('air-gapped').and.contain('demo-r1/web');
  });

  it('retries a transient error while creating and still creates each object once', async () => {
    await open();
    fake.addFault({ method: 'POST', path: /\/pods$/, status: 500, count: 1 });
    fake.addFault({ method: 'POST', path: /^\/api\/v1\/namespaces$/, status: 429, count: 1 });
    fake.addFault({ method: 'POST', path: /\/pods$/, status: 403, message: 'pods "web" is forbidden: error looking up service account demo-r1/default: serviceaccount "default" not found', count: 2 });
    await backend.setUp(SCENARIO, quietContext());
    expect(names('pods')).to.have.length(3);
  });

  it('never adopts an object of the same name that another run or a user created', async () => {
    await open();
    fake.store.get('namespaces')!.set('demo-r1', { metadata: { name: 'demo-r1', labels: { owner: 'someone' } } });
    const error = await backend.setUp(SCENARIO, quietContext()).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.contain('not created by this run');
    await backend.tearDown();
    expect(fake.store.get('namespaces')!.get('demo-r1')!.metadata.labels).to.deep.equal({ owner: 'someone' });
  });

  it('uses a new run id when set up again after tearDown (the old namespaces may still terminate)', async () => {
    await open();
    await backend.setUp(SCENARIO, quietContext());
    await backend.tearDown();
    await backend.setUp(SCENARIO, quietContext());
    expect(backend.runId).to.equal('r1r1');
    expect(names('namespaces')).to.deep.equal(['demo-r1r1', 'other-r1r1']);
  });

  it('refuses to connect when permissions are missing, naming them', async () => {
    fake = await startFakeApiServer({ denied: ['create pods/exec'] });
    const file = join(mkdtempSync(join(tmpdir(), 'nph-fake-')), 'kubeconfig');
    writeFileSync(file, fake.kubeConfigYaml());
    const conn = await connectKube({ kubeconfig: file });
    expect(conn.ok).to.equal(false);
    if (!conn.ok) expect(conn.message).to.contain('create pods/exec');
  });
});
