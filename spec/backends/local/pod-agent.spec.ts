/**
 * The pod agent's probes on real sockets over loopback (no root, no namespaces): each outcome
 * kind from what a real peer does, and the request/answer lines the backend exchanges with it.
 * The same probes across namespaces and policies: local-backend.spec.ts.
 */
import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { answer, serve } from '../../../src/backends/local/pod-agent.js';
import { runProbe } from '../../../src/backends/local/run-probe.js';
import type { ProbeCommand, ProbeKind } from '../../../src/probe/probe-script.js';
import { outcomeOfSocketError } from '../../../src/probe/classify-outcome.js';
import type { OutcomeKind, ProbeKey } from '../../../src/probe/types.js';

function command(kind: ProbeKind, port: number, host = '127.0.0.1', timeoutMs = 1000): ProbeCommand {
  return { key: `k-${kind}-${port}` as ProbeKey, kind, host, port, timeoutMs };
}

/** A port nothing listens on: bound, then closed. */
async function closedTcpPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('backends/local/pod-agent: probes on real sockets', function () {
  this.timeout(20_000);
  let TCP: number;
  let UDP: number;
  let close: () => void;
  let silent: Socket;
  let silentPort: number;

  before(async () => {
    // Free ports (a UDP port of the same number as a just-closed TCP one is free too, almost always).
    TCP = await closedTcpPort();
    UDP = await closedTcpPort();
    close = await serve('spec/server', [
      { port: TCP, protocol: 'tcp' },
      { port: UDP, protocol: 'udp' },
    ]);
    // A UDP socket that never answers: what a dropped datagram looks like from the source.
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentPort = silent.address().port;
  });

  after(() => {
    close();
    silent.close();
  });

  it('TCP: a connection to the server is ok; a closed port is refused', async () => {
    expect((await runProbe(command('tcp', TCP))).kind).to.equal('ok');
    expect((await runProbe(command('tcp', await closedTcpPort()))).kind).to.equal('refused');
  });

  it('UDP: the server\'s reply is ok; ICMP port unreachable is refused; silence until the timeout is timeout', async () => {
    expect((await runProbe(command('udp', UDP))).kind).to.equal('ok');
    expect((await runProbe(command('udp', await closedTcpPort()))).kind).to.equal('refused');
    const start = Date.now();
    expect((await runProbe(command('udp', silentPort, '127.0.0.1', 300))).kind).to.equal('timeout');
    expect(Date.now() - start).to.be.within(250, 2000);
  });

  it('by name: looked up first (getent), then connected; lookups of a known name are ok', async () => {
    expect((await runProbe(command('tcp', TCP, 'localhost'))).kind).to.equal('ok');
    expect((await runProbe(command('lookup', 53, 'localhost'))).kind).to.equal('ok');
  });

  it('SCTP is never probed locally: error, not a verdict', async () => {
    expect((await runProbe(command('sctp', 80))).kind).to.equal('error');
  });

  it('answers a request line with one outcome per probe, in order; ignores a line that is not a request', async () => {
    const refusedPort = await closedTcpPort();
    const response = await answer(JSON.stringify({ id: 7, probes: [command('tcp', TCP), command('tcp', refusedPort), command('udp', UDP)] }));
    expect(response).to.deep.equal({ id: 7, outcomes: [{ kind: 'ok' }, { kind: 'refused' }, { kind: 'ok' }] });
    expect((await answer(JSON.stringify({ id: 8, probes: [command('udp', 70_000)] })))?.outcomes[0]?.kind, 'a bad port').to.equal('error');
    expect(await answer('not json')).to.equal(undefined);
    expect(await answer(JSON.stringify({ probes: [] }))).to.equal(undefined);
  });
});

describe('probe/classify-outcome: socket errors', () => {
  const ROWS: readonly [string | undefined, OutcomeKind][] = [
    ['ECONNREFUSED', 'refused'],
    // How an ICMP host-prohibited REJECT reads.
    ['EHOSTUNREACH', 'refused'],
    ['ENETUNREACH', 'unreachable'],
    ['ECONNRESET', 'error'],
    [undefined, 'error'],
  ];
  for (const [code, want] of ROWS) {
    it(`${code ?? 'no code'} -> ${want}`, () => expect(outcomeOfSocketError(code, `connect ${code}`).kind).to.equal(want));
  }
});
