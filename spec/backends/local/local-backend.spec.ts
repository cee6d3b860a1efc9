/**
 * The local dataplane for real (root): namespaces, CNI, Services, DNS, externals, and the
 * nftables enforcement, probed with real packets; then nothing of the run is left.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import type { Topology } from '../../../src/backends/backend.js';
import { createLocalBackend } from '../../../src/backends/local/local-backend.js';
import { toServiceRef, type WorkloadSpec } from '../../../src/scenario/types.js';
import { external, scenario, workload } from '../../fixtures/build-scenario.js';
import { requireRoot } from '../../support/require-root.js';
import { applyAndProbe, CTX, kinds, leftoversOf, policy, probeSettings, stateOf } from './local-fixtures.js';

const SCENARIO = scenario({
  workloads: [
    workload('demo/frontend', ['80/http', '53/UDP/dns-alt'], { app: 'frontend' }),
    workload('demo/backend', ['80/http', '8080'], { app: 'backend' }),
    workload('other/db', ['5432/pg'], { app: 'db' }),
  ],
  externals: [external('partner', '192.0.2.10', [443])],
});

/** Sends one datagram from source port 40053 to argv host:port; prints `reply` or `none` (after 1 s). */
const UDP_FROM_FIXED_PORT = `
const s = require('node:dgram').createSocket('udp4');
const [host, port] = process.argv.slice(-2);
const done = (w) => { console.log(w); s.close(); };
const t = setTimeout(() => done('none'), 1000);
s.on('message', () => { clearTimeout(t); done('reply'); });
s.bind(40053, () => s.send('ping', Number(port), host));
`;

const DENY_ALL_DEMO = policy('demo', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const ALLOW_DNS_DEMO = policy('demo', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
const FRONTEND_TO_BACKEND = [
  policy('demo', 'frontend-egress', { podSelector: { matchLabels: { app: 'frontend' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 'http' }] }] }),
  policy('demo', 'backend-ingress', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] }),
];

describe('backends/local: the dataplane for real (root)', function () {
  this.timeout(120_000);
  const backend = createLocalBackend({ enforce: true });
  let topology: Topology;

  before(async function () {
    requireRoot(this);
    topology = await backend.setUp(SCENARIO, CTX);
  });

  after(async function () {
    if (process.getuid?.() !== 0) return;
    await backend.tearDown();
    expect(leftoversOf(backend.runId), 'nothing of the run is left').to.deep.equal([]);
    await backend.tearDown();
  });

  it('assigns pod IPs in 10.250/16, ClusterIPs in 10.251/16, and a DNS pod', () => {
    expect([...topology.podIps.values()].every((ip) => ip.startsWith('10.250.'))).to.equal(true);
    expect(new Set(topology.podIps.values()).size).to.equal(3);
    expect([...topology.serviceIps.values()].every((ip) => ip.startsWith('10.251.'))).to.equal(true);
    expect(topology.dnsPods).to.have.length(1);
    expect(topology.dnsPods[0]).to.include({ namespace: 'kube-system' });
  });

  for (const target of ['pod-ip', 'service-ip', 'service-name'] as const) {
    it(`lets everything through with no policy (${target}, TCP and UDP, externals, dns)`, async () => {
      const { outcomes } = await applyAndProbe(backend, SCENARIO, topology, [], probeSettings({ target, dns: true, timeoutMs: 2000 as never }));
      expect(Object.values(kinds(outcomes)).every((k) => k === 'ok'), JSON.stringify(kinds(outcomes), null, 1)).to.equal(true);
      // 10 workload pairs x ports, 3 to the external, 3 dns lookups.
      expect(outcomes.size).to.equal(16);
    });
  }

  it('deny-all in demo: demo pods are cut off both ways; other/db still reaches DNS', async () => {
    const { outcomes } = await applyAndProbe(backend, SCENARIO, topology, [DENY_ALL_DEMO], probeSettings({ dns: true }));
    const k = kinds(outcomes);
    expect(k['demo/frontend -> demo/backend:80/TCP']).to.equal('timeout');
    expect(k['demo/frontend -> other/db:5432/TCP']).to.equal('timeout');
    expect(k['other/db -> demo/frontend:53/UDP']).to.equal('timeout');
    expect(k['demo/frontend -> partner:443/TCP']).to.equal('timeout');
    expect(k['demo/frontend -> dns:53/UDP']).to.be.oneOf(['timeout', 'dns']);
    expect(k['other/db -> dns:53/UDP']).to.equal('ok');
    expect(k['other/db -> partner:443/TCP']).to.equal('ok');
  });

  it('frontend -> backend by Service name needs the DNS egress too (DESIGN rule 11)', async () => {
    const settings = probeSettings({ target: 'service-name', timeoutMs: 2000 as never });
    const without = kinds((await applyAndProbe(backend, SCENARIO, topology, [DENY_ALL_DEMO, ...FRONTEND_TO_BACKEND], settings)).outcomes);
    expect(without['demo/frontend -> demo/backend:80/TCP']).to.equal('dns');
    const withDns = kinds((await applyAndProbe(backend, SCENARIO, topology, [DENY_ALL_DEMO, ALLOW_DNS_DEMO, ...FRONTEND_TO_BACKEND], settings)).outcomes);
    expect(withDns['demo/frontend -> demo/backend:80/TCP']).to.equal('ok');
    expect(withDns['demo/frontend -> demo/backend:8080/TCP'], 'the named port http is 80 only').to.equal('timeout');
    expect(withDns['demo/backend -> demo/frontend:80/TCP']).to.equal('timeout');
  });

  it('judges Service traffic after translation: ipBlock of the pod IP, by ClusterIP (DESIGN rule 10)', async () => {
    const backendIp = topology.podIps.get('demo/backend' as never)!;
    const onlyToBackendIp = policy('demo', 'egress-ipblock', {
      podSelector: { matchLabels: { app: 'frontend' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.250.0.0/16', except: [`${topology.podIps.get('other/db' as never)!}/32`] } }, { ipBlock: { cidr: `${backendIp}/32` } }] }],
    });
    const k = kinds((await applyAndProbe(backend, SCENARIO, topology, [onlyToBackendIp], probeSettings({ target: 'service-ip' }))).outcomes);
    expect(k['demo/frontend -> demo/backend:80/TCP']).to.equal('ok');
    expect(k['demo/frontend -> other/db:5432/TCP']).to.equal('timeout');
    expect(k['demo/frontend -> partner:443/TCP']).to.equal('timeout');
    expect(k['demo/backend -> other/db:5432/TCP']).to.equal('ok');
  });

  it('a policy decides at once also for a flow it allowed before: a datagram from the same source port is dropped', async () => {
    // A UDP flow that got a reply stays in conntrack for minutes; a probe reusing its ports is judged anew.
    const frontend = topology.podIps.get('demo/frontend' as never)!;
    const fromBackendPort = (): string =>
      execFileSync('ip', ['netns', 'exec', backend.layout.workloadNetns(1), process.execPath, '-e', UDP_FROM_FIXED_PORT, frontend, '53'], { encoding: 'utf8', timeout: 20_000 }).trim();
    await backend.apply(stateOf(SCENARIO, []), CTX);
    expect(fromBackendPort()).to.equal('reply');
    await backend.apply(stateOf(SCENARIO, [DENY_ALL_DEMO]), CTX);
    expect(fromBackendPort()).to.equal('none');
  });

  for (const target of ['pod-ip', 'service-ip'] as const) {
    it(`a pod reaching itself (${target}) is never blocked: a pod cannot block access to itself`, async () => {
      const settings = probeSettings({ target, self: true });
      const open = kinds((await applyAndProbe(backend, SCENARIO, topology, [], settings)).outcomes);
      expect(open['demo/backend -> demo/backend:80/TCP']).to.equal('ok');
      expect(open['demo/frontend -> demo/frontend:53/UDP']).to.equal('ok');
      const closed = kinds((await applyAndProbe(backend, SCENARIO, topology, [DENY_ALL_DEMO], settings)).outcomes);
      expect(closed['demo/backend -> demo/backend:80/TCP']).to.equal('ok');
      expect(closed['demo/frontend -> demo/frontend:53/UDP']).to.equal('ok');
      expect(closed['demo/frontend -> demo/backend:80/TCP']).to.equal('timeout');
      expect(closed['other/db -> other/db:5432/TCP']).to.equal('ok');
    });
  }
});

describe('backends/local: Services whose ports differ from the pod\'s (root)', function () {
  this.timeout(120_000);
  const backend = createLocalBackend({ enforce: true });
  const shop: WorkloadSpec = {
    ...workload('shop/cart', ['8080/http', '9090/UDP/stats'], { app: 'cart' }),
    services: [
      { ref: toServiceRef('shop', 'cart'), namespace: 'shop', name: 'cart', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, targetPortName: 'http' }] },
      { ref: toServiceRef('shop', 'cart-stats'), namespace: 'shop', name: 'cart-stats', ports: [{ name: 'stats', port: 99, protocol: 'UDP', targetPort: 9090 }, { name: 'web', port: 81, protocol: 'TCP', targetPort: 8080 }] },
    ],
  };
  const remapped = scenario({ workloads: [workload('shop/client', [], { app: 'client' }), shop] });
  let topology: Topology;

  before(async function () {
    requireRoot(this);
    topology = await backend.setUp(remapped, CTX);
  });
  after(async function () {
    if (process.getuid?.() !== 0) return;
    await backend.tearDown();
    expect(leftoversOf(backend.runId)).to.deep.equal([]);
  });

  for (const target of ['service-name', 'service-ip'] as const) {
    it(`dials each Service port and reaches the pod port behind it (${target})`, async () => {
      const k = kinds((await applyAndProbe(backend, remapped, topology, [], probeSettings({ target, timeoutMs: 2000 as never }))).outcomes);
      expect(k).to.deep.equal({
        'shop/client -> shop/cart:8080/TCP via cart:80': 'ok',
        'shop/client -> shop/cart:8080/TCP via cart-stats:81': 'ok',
        'shop/client -> shop/cart:9090/UDP via cart-stats:99': 'ok',
      });
    });
  }

  it('policies judge the pod port: allowing 8080 opens Service port 80, allowing 80 opens nothing', async () => {
    const deny = policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    const allow = (port: number | string) => policy('shop', 'allow', { podSelector: { matchLabels: { app: 'cart' } }, ingress: [{ ports: [{ port }] }] });
    const settings = probeSettings({ target: 'service-ip' });
    const byPodPort = kinds((await applyAndProbe(backend, remapped, topology, [deny, allow(8080)], settings)).outcomes);
    expect(byPodPort['shop/client -> shop/cart:8080/TCP via cart:80']).to.equal('ok');
    expect(byPodPort['shop/client -> shop/cart:9090/UDP via cart-stats:99']).to.equal('timeout');
    const byName = kinds((await applyAndProbe(backend, remapped, topology, [deny, allow('http')], settings)).outcomes);
    expect(byName['shop/client -> shop/cart:8080/TCP via cart-stats:81']).to.equal('ok');
    const byServicePort = kinds((await applyAndProbe(backend, remapped, topology, [deny, allow(80)], settings)).outcomes);
    expect(byServicePort['shop/client -> shop/cart:8080/TCP via cart:80']).to.equal('timeout');
  });
});

describe('backends/local: enforce false (policies accepted, never enforced) (root)', function () {
  this.timeout(120_000);
  const backend = createLocalBackend({ enforce: false });
  const small = scenario({ workloads: [workload('a/x', [80]), workload('a/y', ['53/UDP'])] });
  let topology: Topology;

  before(async function () {
    requireRoot(this);
    topology = await backend.setUp(small, CTX);
  });
  after(async function () {
    if (process.getuid?.() !== 0) return;
    await backend.tearDown();
    expect(leftoversOf(backend.runId)).to.deep.equal([]);
  });

  it('lets everything through under a deny-all', async () => {
    const denyAll = policy('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const k = kinds((await applyAndProbe(backend, small, topology, [denyAll], probeSettings({ target: 'service-name', dns: true, timeoutMs: 2000 as never }))).outcomes);
    expect(k).to.deep.equal({ 'a/x -> a/y:53/UDP': 'ok', 'a/x -> dns:53/UDP': 'ok', 'a/y -> a/x:80/TCP': 'ok', 'a/y -> dns:53/UDP': 'ok' });
  });
});
