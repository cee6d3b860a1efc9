import { expect } from 'chai';
import { resolveProbeHost, runPodProbes, type ExecFn, type ProbeTargets } from '../../../src/backends/kube/probe-pods.js';
import type { ExecRequest } from '../../../src/backends/kube/exec-in-pod.js';
import { KubeConfig } from '@kubernetes/client-node';
import { ProbeSession, type ProbeSessionIo } from '../../../src/backends/kube/probe-session.js';
import { createLimiter } from '../../../src/util/limiter.js';
import { answerProbeScript } from './fake-api-server.js';
import { toServiceRef } from '../../../src/scenario/types.js';
import { CLIENT, DB, WEB, probe } from './fixtures.js';

const targets: ProbeTargets = {
  pods: new Map([
    [WEB, { namespace: 'demo-r1', name: 'web' }],
    [CLIENT, { namespace: 'demo-r1', name: 'client' }],
    [DB, { namespace: 'other-r1', name: 'db' }],
  ]),
  podIps: new Map([[WEB, '10.244.0.10'], [CLIENT, '10.244.0.11'], [DB, '10.244.0.12']]),
  serviceIps: new Map([[toServiceRef('demo', 'web'), '10.96.1.10'], [toServiceRef('other', 'db'), '10.96.1.11'], [toServiceRef('demo', 'web-admin'), '10.96.1.12']]),
  agentPorts: new Map([[WEB, { http: 8080, udp: 8081 }], [CLIENT, { http: 8080, udp: 8081 }], [DB, { http: 8080, udp: 8081 }]]),
  clusterDomain: 'cluster.local',
};
const W = (ref: typeof WEB) => ({ kind: 'workload' as const, ref });
const options = { execMarginMs: 1000, retries: 2, concurrency: 4 };

describe('kube probing: one exec per source pod', () => {
  it('addresses targets by pod IP, Service IP and Service FQDN in the real namespace', () => {
    const host = (p: ReturnType<typeof probe>) => {
      const r = resolveProbeHost(p, targets);
      return 'key' in r ? [r.host, r.kind] : r;
    };
    expect(host(probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip'))).to.deep.equal(['10.244.0.10', 'tcp']);
    expect(host(probe(CLIENT, W(WEB), 53, 'UDP', 'service-ip'))).to.deep.equal(['10.96.1.10', 'udp']);
    expect(host(probe(CLIENT, W(DB), 5432, 'SCTP', 'service-name'))).to.deep.equal(['db.other-r1.svc.cluster.local', 'sctp']);
    expect(host(probe(CLIENT, { kind: 'dns' }, 53, 'UDP', 'dns-lookup'))).to.deep.equal(['kubernetes.default.svc.cluster.local', 'lookup']);
    expect(host(probe(CLIENT, { kind: 'external', name: 'x', ip: '192.0.2.1' }, 443, 'TCP', 'external-ip'))).to.deep.equal(['192.0.2.1', 'tcp']);
    expect(host(probe(WEB, W(CLIENT), 80, 'TCP', 'service-ip'))).to.deep.include({ kind: 'error' });
  });

  it('dials the Service port of a Service other than the default, by name and by ClusterIP', () => {
    const via = { ref: toServiceRef('demo', 'web-admin'), name: 'web-admin', port: 9000 };
    const byName = resolveProbeHost({ ...probe(CLIENT, W(WEB), 8080, 'TCP', 'service-name'), service: via }, targets);
    const byIp = resolveProbeHost({ ...probe(CLIENT, W(WEB), 8080, 'TCP', 'service-ip'), service: via }, targets);
    const byPod = resolveProbeHost({ ...probe(CLIENT, W(WEB), 8080, 'TCP', 'pod-ip'), service: via }, targets);
    expect(byName).to.deep.include({ host: 'web-admin.demo-r1.svc.cluster.local', port: 9000 });
    expect(byIp).to.deep.include({ host: '10.96.1.12', port: 9000 });
    expect(byPod, 'by pod IP the pod port').to.deep.include({ host: '10.244.0.10', port: 8080 });
  });

  it('runs one exec per source, in the probe container, and maps every line back to its probe', async () => {
    const calls: ExecRequest[] = [];
    const exec: ExecFn = async (_kc, req) => {
      calls.push(req);
      const stdout = answerProbeScript(req.command[2]!, (cmd) => (cmd.includes(':5432') ? { code: 1, text: 'REFUSED' } : { code: 0, text: '' }));
      return { kind: 'done', stdout, stderr: '', exitCode: 0 };
    };
    const probes = [
      probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip'),
      probe(CLIENT, W(DB), 5432, 'TCP', 'pod-ip'),
      probe(DB, W(WEB), 80, 'TCP', 'pod-ip'),
    ];
    const out = await runPodProbes(new KubeConfig(), probes, targets, options, exec);
    expect(calls.map((c) => `${c.namespace}/${c.pod}/${c.container}`).sort()).to.deep.equal(['demo-r1/client/probe', 'other-r1/db/probe']);
    expect(out.get(probes[0]!.key)).to.deep.equal({ kind: 'ok' });
    expect(out.get(probes[1]!.key)).to.deep.equal({ kind: 'refused' });
    expect(out.get(probes[2]!.key)).to.deep.equal({ kind: 'ok' });
  });

  it('retries only the inconclusive probes, and an exec that passed its deadline', async () => {
    const scripts: string[] = [];
    const exec: ExecFn = async (_kc, req) => {
      scripts.push(req.command[2]!);
      if (scripts.length === 1) return { kind: 'deadline', stdout: 'NPH 0 0 \n', stderr: '' };
      return { kind: 'done', stdout: answerProbeScript(req.command[2]!, () => ({ code: 1, text: 'TIMEOUT' })), stderr: '', exitCode: 0 };
    };
    const probes = [probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip'), probe(CLIENT, W(DB), 5432, 'TCP', 'pod-ip')];
    const out = await runPodProbes(new KubeConfig(), probes, targets, options, exec);
    expect(scripts).to.have.length(2);
    expect(scripts[1]!.match(/ & p\d+=\$!$/gm)).to.have.length(1); // only the inconclusive probe again
    expect(out.get(probes[0]!.key)).to.deep.equal({ kind: 'ok' });
    expect(out.get(probes[1]!.key)).to.deep.equal({ kind: 'timeout' });
  });

  it('reports probes still inconclusive after the retries as error', async () => {
    let n = 0;
    const exec: ExecFn = async () => {
      n += 1;
      return { kind: 'failed', message: 'upgrade refused' };
    };
    const p = probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip');
    const out = await runPodProbes(new KubeConfig(), [p], targets, { ...options, retries: 1 }, exec);
    expect(n).to.equal(2);
    expect(out.get(p.key)).to.deep.include({ kind: 'error' });
  });

  it('gives the exec a deadline covering lookup + connect of the longest probe', async () => {
    let timeout = 0;
    const exec: ExecFn = async (_kc, req) => {
      timeout = req.timeoutMs;
      return { kind: 'done', stdout: answerProbeScript(req.command[2]!, () => ({ code: 0, text: '' })), stderr: '', exitCode: 0 };
    };
    await runPodProbes(new KubeConfig(), [probe(CLIENT, W(WEB), 80, 'TCP', 'service-name')], targets, options, exec);
    expect(timeout).to.equal((1 * 2 + 1) * 1000 + 1000);
  });

  describe('run-wide limit: units are held while the tools start, not while probes wait', () => {
    /** Sessions whose shell says "launched" at once and answers 50 ms later; logs each round's start and end. */
    function sessions(log: string[]): (namespace: string, pod: string) => ProbeSession {
      const open = new Map<string, ProbeSession>();
      return (namespace, pod) => {
        const key = `${namespace}/${pod}`;
        if (!open.has(key)) {
          const io = (): ProbeSessionIo => {
            const outputs: Array<(text: string) => void> = [];
            let script = '';
            return {
              write(text) {
                script += text;
                const run = /^NPH-RUN (\d+)$/m.exec(script);
                if (run === null) return;
                const body = script.slice(0, run.index);
                script = '';
                log.push(`start ${pod}`);
                setImmediate(() => outputs.forEach((l) => l('NPH-LAUNCHED\n')));
                setTimeout(() => {
                  log.push(`end ${pod}`);
                  outputs.forEach((l) => l(`${answerProbeScript(body, () => ({ code: 0, text: '' }))}NPH-DONE ${run[1]}\n`));
                }, 50);
              },
              onOutput: (l) => outputs.push(l),
              onClose: () => undefined,
              terminate: () => undefined,
              end: () => undefined,
            };
          };
          open.set(key, new ProbeSession(new KubeConfig(), { namespace, pod, container: 'probe' }, async () => io()));
        }
        return open.get(key)!;
      };
    }
    // A TCP probe by nc costs 1 unit, one by agnhost 4: each limit lets one pod start its tools at a time.
    const withNc: ProbeTargets = { ...targets, agentPorts: new Map([...targets.agentPorts].map(([k, v]) => [k, { ...v, ncConnect: 'plain' as const }])) };
    const order = async (probes: ReturnType<typeof probe>[], on: ProbeTargets, capacity: number): Promise<string[]> => {
      const log: string[] = [];
      const out = await runPodProbes(new KubeConfig(), probes, on, { ...options, execLimiter: createLimiter(capacity), session: sessions(log) });
      expect([...out.values()]).to.deep.equal(probes.map(() => ({ kind: 'ok' })));
      return log;
    };

    it('a round of nc probes by IP gives its units back once its tools are started: the next pod starts before it ends', async () => {
      const probes = [probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip'), probe(DB, W(WEB), 80, 'TCP', 'pod-ip')];
      expect(await order(probes, withNc, 1)).to.deep.equal(['start client', 'start db', 'end client', 'end db']);
    });

    it('a round that looks names up holds them until it ends (its lookups load the cluster DNS)', async () => {
      const probes = [probe(CLIENT, W(WEB), 80, 'TCP', 'service-name'), probe(DB, W(WEB), 80, 'TCP', 'service-name')];
      expect(await order(probes, withNc, 1)).to.deep.equal(['start client', 'end client', 'start db', 'end db']);
    });

    it('a round that starts agnhost holds them until it ends (its start costs CPU after the launch)', async () => {
      const probes = [probe(CLIENT, W(WEB), 80, 'TCP', 'pod-ip'), probe(DB, W(WEB), 80, 'TCP', 'pod-ip')];
      expect(await order(probes, targets, 4)).to.deep.equal(['start client', 'end client', 'start db', 'end db']);
    });
  });
});
