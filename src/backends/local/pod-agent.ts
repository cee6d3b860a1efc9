/**
 * The process of a local pod (a workload, or an external): inside the network namespace it was
 * started in, it answers HTTP on every TCP port and a datagram on every UDP port it is given,
 * and runs the probes the backend sends it, from that namespace (run-probe.ts).
 *
 * Usage: `node pod-agent.js <name> <port>/<tcp|udp> ...` (from dist/), or `node --import tsx
 * pod-agent.ts ...` (from src/, in tests). Prints `listening` on stdout once every socket is
 * bound, so the backend can wait for it; exits on SIGTERM (after `--keep`, it serves on until
 * `cleanup`). The first argument is only a label, so `ps` shows which pod a process is.
 *
 * Probe requests are JSON lines on stdin, `{"id": 1, "probes": [ProbeCommand, ...]}`; each is
 * answered, once all its probes (run concurrently) finished, by one line on stdout,
 * `{"id": 1, "outcomes": [Outcome, ...]}` in the order of the request (agent-channel.ts).
 */
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { ProbeCommand } from '../../probe/probe-script.js';
import type { Outcome } from '../../probe/types.js';
import { LOCAL_SERVER_TOKEN, runProbe } from './run-probe.js';

/** One port to serve. */
export interface ServeSpec {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

/** A request of the backend: probes to run from this pod. */
export interface ProbeRequest {
  readonly id: number;
  readonly probes: readonly ProbeCommand[];
}

/** The agent's answer: one outcome per probe of the request, in its order. */
export interface ProbeResponse {
  readonly id: number;
  readonly outcomes: readonly Outcome[];
}

/** Parses `<port>/<tcp|udp>` arguments; throws on anything else (the backend builds them). */
export function parseServeArgs(args: readonly string[]): ServeSpec[] {
  return args.map((arg) => {
    const m = /^(\d{1,5})\/(tcp|udp)$/.exec(arg);
    const port = Number(m?.[1]);
    if (m === null || port < 1 || port > 65535) throw new Error(`bad port argument ${JSON.stringify(arg)}`);
    return { port, protocol: m[2] as 'tcp' | 'udp' };
  });
}

/** Binds every port (IPv4 and IPv6 wildcard); resolves once all listen. */
export async function serve(name: string, specs: readonly ServeSpec[]): Promise<() => void> {
  const closers: (() => void)[] = [];
  await Promise.all(
    specs.map(
      (spec) =>
        new Promise<void>((resolve, reject) => {
          if (spec.protocol === 'tcp') {
            const server = createServer((_req, res) => {
              res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
              res.end(`${LOCAL_SERVER_TOKEN} ${name}\n`);
            });
            server.once('error', reject);
            server.listen({ port: spec.port, host: '::', ipv6Only: false }, () => resolve());
            closers.push(() => server.close());
          } else {
            const socket = createSocket({ type: 'udp6', ipv6Only: false });
            socket.on('message', (_msg, rinfo: AddressInfo) => {
              socket.send(`${LOCAL_SERVER_TOKEN} ${name}\n`, rinfo.port, rinfo.address);
            });
            socket.once('error', reject);
            socket.bind(spec.port, '::', () => resolve());
            closers.push(() => socket.close());
          }
        }),
    ),
  );
  return () => closers.forEach((close) => close());
}

/** Answers one request line; a line that is not a request is answered with nothing (the backend's deadline reports it). */
export async function answer(line: string): Promise<ProbeResponse | undefined> {
  let request: ProbeRequest;
  try {
    request = JSON.parse(line) as ProbeRequest;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(request.id) || !Array.isArray(request.probes)) return undefined;
  // A probe that throws (a bad port would) is that probe's error, not the agent's end.
  const outcomes = await Promise.all(request.probes.map((probe) => runProbe(probe).catch((error: unknown): Outcome => ({ kind: 'error', detail: `the probe failed: ${String(error)}` }))));
  return { id: request.id, outcomes };
}

async function main(argv: readonly string[]): Promise<void> {
  const [name = 'pod', ...ports] = argv;
  const close = await serve(name, parseServeArgs(ports));
  const stop = (): void => {
    close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  createInterface({ input: process.stdin }).on('line', (line) => {
    void answer(line).then((response) => {
      if (response !== undefined) process.stdout.write(`${JSON.stringify(response)}\n`);
    });
  });
  process.stdout.write('listening\n');
}

// Run only as a program, not when a spec imports the helpers.
const invokedAs = process.argv[1] ?? '';
if (/pod-agent\.(ts|js)$/.test(invokedAs)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`pod-agent: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
