import { expect } from 'chai';
import type { KubeConfig } from '@kubernetes/client-node';
import { checkNcConnect, closedTcpPort, ProbeToolCheck } from '../../../src/backends/kube/check-probe-tools.js';
import type { ExecFn } from '../../../src/backends/kube/probe-pods.js';
import { answerProbeScript } from './fake-api-server.js';

const pod = { namespace: 'x-r1', name: 'a', agent: { http: 8080, udp: 8081 }, servedTcp: [80, 8081] };
const kubeConfig = {} as KubeConfig;

/** An image whose nc is `build`: connects to 8080 on loopback, refuses elsewhere, usage for the other form. */
function imageWithNc(build: 'plain' | 'verbose' | 'none'): ExecFn {
  return async (_kc, request) => ({
    kind: 'done',
    exitCode: 0,
    stderr: '',
    stdout: answerProbeScript(request.command[2]!, (fragment) => {
      const m = /\bnc (-vv )?-w \d+ 127\.0\.0\.1 (\d+) (-e true|<\/dev\/null)$/.exec(fragment)!;
      if (build === 'none' || (m[1] !== undefined) !== (build === 'verbose')) return { code: 1, text: 'Usage: nc [OPTIONS] HOST PORT' };
      if (m[2] === '8080') return { code: 0, text: '' };
      return { code: 1, text: build === 'verbose' ? `127.0.0.1 (127.0.0.1:${m[2]}): Connection refused sent 0, rcvd 0` : "nc: can't connect to remote host (127.0.0.1): Connection refused" };
    }),
  });
}

describe("check of the image's probe tools (busybox nc)", () => {
  it('finds a closed TCP port: above the agent port, not served', () => {
    expect(closedTcpPort(pod)).to.equal(8082);
    expect(closedTcpPort({ agent: { http: 8080, udp: 8081 }, servedTcp: [] })).to.equal(8081);
  });

  for (const build of ['plain', 'verbose'] as const) {
    it(`picks the ${build} form when it connects and is refused`, async () => {
      expect(await checkNcConnect(kubeConfig, imageWithNc(build), pod)).to.equal(build);
    });
  }

  it('answers null when no form passes (agnhost stays), undefined when the exec failed', async () => {
    expect(await checkNcConnect(kubeConfig, imageWithNc('none'), pod)).to.equal(null);
    // nc that "connects" everywhere (a fake, or a proxy) is no proof: the refusal is required.
    const yesToAll: ExecFn = async (_kc, r) => ({ kind: 'done', exitCode: 0, stderr: '', stdout: answerProbeScript(r.command[2]!, () => ({ code: 0, text: '' })) });
    expect(await checkNcConnect(kubeConfig, yesToAll, pod)).to.equal(null);
    const failed: ExecFn = async () => ({ kind: 'failed', message: 'upgrade refused' });
    expect(await checkNcConnect(kubeConfig, failed, pod)).to.equal(undefined);
  });

  it('asks once per run; an exec that failed decides nothing, so the next caller asks again', async () => {
    const check = new ProbeToolCheck();
    let asked = 0;
    const answers = [undefined, 'verbose'] as const;
    const ask = async () => answers[asked++];
    expect(await check.ncConnect(ask)).to.equal(undefined);
    const [a, b] = await Promise.all([check.ncConnect(ask), check.ncConnect(ask)]);
    expect([a, b, asked]).to.deep.equal(['verbose', 'verbose', 2]);
    expect(await check.ncConnect(ask)).to.equal('verbose');
    expect(asked).to.equal(2);
  });
});
