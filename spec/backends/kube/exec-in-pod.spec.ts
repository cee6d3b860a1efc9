import { expect } from 'chai';
import { execInPod, exitCodeOf } from '../../../src/backends/kube/exec-in-pod.js';
import { startFakeApiServer, type ExecAnswer, type FakeApiServer } from './fake-api-server.js';

describe('kube exec with a deadline (fake API server, v4.channel.k8s.io)', () => {
  let fake: FakeApiServer;
  let answer: ExecAnswer = { exitCode: 0 };
  beforeEach(async () => {
    fake = await startFakeApiServer({ exec: () => answer });
    fake.store.get('namespaces')!.set('ns', { metadata: { name: 'ns' } });
    fake.store.get('pods')!.set('ns/p', { metadata: { name: 'p', namespace: 'ns' }, spec: {} });
  });
  afterEach(async () => fake.close());
  const request = { namespace: 'ns', pod: 'p', container: 'probe', command: ['sh', '-c', 'echo hi'], timeoutMs: 2000 };

  it('collects stdout (channel 1), stderr (channel 2) and exit 0 from the Success status (channel 3)', async () => {
    answer = { stdout: 'hello\n', stderr: 'warn\n', exitCode: 0 };
    const r = await execInPod(fake.kubeConfig(), request);
    expect(r).to.deep.equal({ kind: 'done', stdout: 'hello\n', stderr: 'warn\n', exitCode: 0 });
    expect(fake.execCalls[0]).to.deep.equal({ namespace: 'ns', pod: 'p', container: 'probe', command: ['sh', '-c', 'echo hi'] });
  });

  it('reads a non-zero exit code from the NonZeroExitCode status cause', async () => {
    answer = { stdout: 'x', exitCode: 3 };
    const r = await execInPod(fake.kubeConfig(), request);
    expect(r).to.deep.include({ kind: 'done', exitCode: 3 });
  });

  it('gives up on an exec that hangs at its client-side deadline', async () => {
    answer = 'hang';
    const started = Date.now();
    const r = await execInPod(fake.kubeConfig(), { ...request, timeoutMs: 300 });
    expect(r.kind).to.equal('deadline');
    expect(Date.now() - started).to.be.below(1500);
  });

  it('reports an exec the server refuses (pod gone) as failed, without throwing', async () => {
    const r = await execInPod(fake.kubeConfig(), { ...request, pod: 'gone' });
    expect(r.kind).to.equal('failed');
  });

  it('stops at once when the signal aborts', async () => {
    answer = 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await execInPod(fake.kubeConfig(), { ...request, timeoutMs: 10_000, signal: controller.signal });
    expect(r.kind).to.equal('deadline');
  });

  it('maps statuses to exit codes', () => {
    expect(exitCodeOf({ status: 'Success' })).to.equal(0);
    expect(exitCodeOf({ status: 'Failure', details: { causes: [{ reason: 'ExitCode', message: '137' }] } })).to.equal(137);
    expect(exitCodeOf({ status: 'Failure', message: 'container not found' })).to.equal(undefined);
    expect(exitCodeOf(undefined)).to.equal(undefined);
  });
});
