import { expect } from 'chai';
import { isTransient, KubeApiError, makeKubeApi } from '../../../src/backends/kube/kube-api.js';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server.js';

describe('kube API calls: deadlines and retries (fake API server)', () => {
  let fake: FakeApiServer;
  beforeEach(async () => {
    fake = await startFakeApiServer();
  });
  afterEach(async () => fake.close());
  const fast = { minBackoffMs: 5, timeoutMs: 2000, retries: 3 };

  for (const code of [500, 503, 429]) {
    it(`retries HTTP ${code} with backoff, then succeeds`, async () => {
      fake.addFault({ path: /^\/version$/, status: code, count: 2 });
      const api = makeKubeApi(fake.kubeConfig(), fast);
      const v = await api.call('read version', () => api.version.getCode());
      expect(v.gitVersion).to.equal('v1.20.2');
      expect(fake.requests.filter((r) => r.path === '/version')).to.have.length(3);
    });
  }

  it('gives up after the retries with the call named, the status and the server message', async () => {
    fake.addFault({ path: /^\/version$/, status: 503, count: 10, message: 'etcd is down' });
    const api = makeKubeApi(fake.kubeConfig(), { ...fast, retries: 1 });
    const error = await api.call('read version', () => api.version.getCode()).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KubeApiError);
    expect((error as KubeApiError).message).to.equal('read version: HTTP 503: etcd is down');
    expect(fake.requests.filter((r) => r.path === '/version')).to.have.length(2);
  });

  it('does not retry a 4xx (not transient)', async () => {
    const api = makeKubeApi(fake.kubeConfig(), fast);
    const error = await api.call('read ns', () => api.core.readNamespace({ name: 'nope' })).catch((e: unknown) => e);
    expect((error as KubeApiError).status).to.equal(404);
    expect(fake.requests.filter((r) => r.path === '/api/v1/namespaces/nope')).to.have.length(1);
  });

  it('cancels a request that hangs at its deadline and retries it', async () => {
    fake.addFault({ path: /^\/version$/, status: 'hang', count: 1 });
    const api = makeKubeApi(fake.kubeConfig(), { ...fast, timeoutMs: 300 });
    const started = Date.now();
    const v = await api.call('read version', () => api.version.getCode());
    expect(v.major).to.equal('1');
    expect(Date.now() - started).to.be.within(250, 1500);
  });

  it('reports a call that always hangs as "no answer within" its deadline', async () => {
    fake.addFault({ path: /^\/version$/, status: 'hang', count: 5 });
    const api = makeKubeApi(fake.kubeConfig(), { ...fast, timeoutMs: 200, retries: 1 });
    const error = await api.call('read version', () => api.version.getCode()).catch((e: unknown) => e);
    expect((error as Error).message).to.equal('read version: no answer within 200 ms');
  });

  it('treats the schema rejection of server-side apply (HTTP 500) as permanent', () => {
    expect(isTransient(new KubeApiError('x', 500, '.spec.ingress[0].ports[0].endPort: field not declared in schema'))).to.equal(false);
    expect(isTransient(new KubeApiError('x', 500, 'internal error'))).to.equal(true);
    expect(isTransient(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isTransient(new KubeApiError('x', 403, 'forbidden'))).to.equal(false);
  });

  it('retries a pod refused because its new namespace has no default ServiceAccount yet (a freshly started cluster)', () => {
    const message = 'pods "server-0" is forbidden: error looking up service account nph-canary/default: serviceaccount "default" not found';
    expect(isTransient(new KubeApiError('x', 403, message))).to.equal(true);
  });
});
