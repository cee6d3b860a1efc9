/**
 * The local dataplane for real (root): clients outside the cluster start probes from their
 * own namespaces at their declared addresses, and ipBlock ingress rules admit or refuse them;
 * lookups over TCP reach the DNS pod over TCP (a rule for 53/TCP alone lets them through,
 * one for 53/UDP alone does not). Each verdict is also the simulator's.
 */
import { expect } from 'chai';
import type { Topology } from '../../../src/backends/backend.js';
import { createLocalBackend } from '../../../src/backends/local/local-backend.js';
import { planTopology } from '../../../src/simulator/plan-topology.js';
import { compileState, predict } from '../../../src/simulator/simulate.js';
import { external, scenario, workload } from '../../fixtures/build-scenario.js';
import { requireRoot } from '../../support/require-root.js';
import { applyAndProbe, CTX, kinds, leftoversOf, policy, probeSettings, stateOf } from './local-fixtures.js';

const SCENARIO = scenario({
  workloads: [workload('demo/web', ['80/http', '8080'], { app: 'web' }), workload('demo/api', ['80'], { app: 'api' })],
  externals: [
    { ...external('partner', '192.0.2.10', []), client: true },
    { ...external('stranger', '192.0.2.200', []), client: true },
  ],
});

/** web admits 192.0.2.0/24 but its upper half, on its http port only. */
const WEB_FROM_PARTNER = policy('demo', 'web-from-partner', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }], ports: [{ port: 'http' }] }],
});
const dnsEgressOver = (protocol: 'UDP' | 'TCP') =>
  policy('demo', `dns-${protocol.toLowerCase()}-only`, { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol }] }] });

describe('backends/local: external clients and DNS over TCP, for real (root)', function () {
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
  });

  /** Outcome kinds by key, after checking each observation against the simulator's prediction. */
  async function observe(policies: Parameters<typeof stateOf>[1], settings = probeSettings({ dns: true, dnsProtocols: ['UDP', 'TCP'] })): Promise<Record<string, string>> {
    const { probes, outcomes } = await applyAndProbe(backend, SCENARIO, topology, policies, settings);
    const compiled = compileState(stateOf(SCENARIO, policies), planTopology(SCENARIO));
    const k = kinds(outcomes);
    for (const p of probes) expect(k[p.key] === 'ok', `${p.key}: observed ${k[p.key]}`).to.equal(predict(compiled, p).allowed);
    return k;
  }

  it('with no policy both clients reach every port of every pod, and lookups succeed over UDP and TCP', async () => {
    const k = await observe([]);
    expect(k).to.deep.include({
      'partner -> demo/web:80/TCP': 'ok',
      'partner -> demo/web:8080/TCP': 'ok',
      'stranger -> demo/api:80/TCP': 'ok',
      'demo/api -> dns:53/UDP': 'ok',
      'demo/api -> dns:53/TCP': 'ok',
    });
    // 2 pod pairs x ports (3), 2 clients x 3 ports, 2 lookups per pod.
    expect(Object.keys(k)).to.have.length(3 + 6 + 4);
  });

  it('an ingress ipBlock with except admits one client and refuses the other, on the named port only', async () => {
    const k = await observe([WEB_FROM_PARTNER]);
    expect(k['partner -> demo/web:80/TCP']).to.equal('ok');
    expect(k['partner -> demo/web:8080/TCP']).to.equal('timeout');
    expect(k['stranger -> demo/web:80/TCP']).to.equal('timeout');
    // Not selected: open to both; and pods are no ipBlock's 192.0.2.0/24.
    expect(k['stranger -> demo/api:80/TCP']).to.equal('ok');
    expect(k['demo/api -> demo/web:80/TCP']).to.equal('timeout');
  });

  it('an egress deny-all on the target does not stop a client: the flow has no egress side, the reply is no new flow', async () => {
    const k = await observe([policy('demo', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(k['partner -> demo/web:80/TCP']).to.equal('ok');
    expect(k['demo/api -> demo/web:80/TCP']).to.equal('timeout');
  });

  it('a lookup over TCP really goes over TCP: 53/UDP alone lets only the UDP lookup through, 53/TCP alone only the TCP one', async () => {
    const udpOnly = await observe([dnsEgressOver('UDP')]);
    expect(udpOnly['demo/api -> dns:53/UDP']).to.equal('ok');
    expect(udpOnly['demo/api -> dns:53/TCP']).to.be.oneOf(['timeout', 'dns']);
    const tcpOnly = await observe([dnsEgressOver('TCP')]);
    expect(tcpOnly['demo/api -> dns:53/TCP']).to.equal('ok');
    expect(tcpOnly['demo/api -> dns:53/UDP']).to.be.oneOf(['timeout', 'dns']);
    expect(tcpOnly['demo/web -> dns:53/TCP']).to.equal('ok');
  });
});
