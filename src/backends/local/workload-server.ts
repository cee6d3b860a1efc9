/**
 * The server of a local workload (or external): answers HTTP on every TCP port and a datagram
 * on every UDP port it is given, inside the network namespace it was started in.
 *
 * Usage: `node workload-server.js <name> <port>/<tcp|udp> ...` (from dist/), or
 * `node --import tsx workload-server.ts ...` (from src/, in tests). Prints `listening` on
 * stdout once every socket is bound, so the backend can wait for it; exits on SIGTERM.
 * The first argument is only a label, so `ps` shows which workload a process serves.
 */
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { LOCAL_SERVER_TOKEN } from '../../probe/toolset-local.js';

/** The body of every HTTP answer and every UDP reply; probes look for it. */
export const SERVER_TOKEN = LOCAL_SERVER_TOKEN;

/** One port to serve. */
export interface ServeSpec {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
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
              res.end(`${SERVER_TOKEN} ${name}\n`);
            });
            server.once('error', reject);
            server.listen({ port: spec.port, host: '::', ipv6Only: false }, () => resolve());
            closers.push(() => server.close());
          } else {
            const socket = createSocket({ type: 'udp6', ipv6Only: false });
            socket.on('message', (_msg, rinfo: AddressInfo) => {
              socket.send(`${SERVER_TOKEN} ${name}\n`, rinfo.port, rinfo.address);
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

async function main(argv: readonly string[]): Promise<void> {
  const [name = 'workload', ...ports] = argv;
  const close = await serve(name, parseServeArgs(ports));
  process.stdout.write('listening\n');
  const stop = (): void => {
    close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Run only as a program, not when a spec imports the helpers.
const invokedAs = process.argv[1] ?? '';
if (/workload-server\.(ts|js)$/.test(invokedAs)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`workload-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
