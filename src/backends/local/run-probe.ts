/**
 * One probe of the local dataplane, run by a pod agent inside its pod's network namespace with
 * Node's own sockets and glibc's resolver (measured on 2 cores: ~1 ms of CPU a probe, against
 * ~18 ms for a shell job running busybox wget, which made CPU, not the network, the limit of a
 * local run; and 16 lookups at once take ~25 ms in-process, ~400 ms as `getent` processes):
 *
 * - TCP: a connection, as agnhost's `connect` makes it on a cluster: the handshake done = ok
 *   (the kernel answers it, so a server short of CPU cannot fake a drop); RST = refused;
 *   nothing within the timeout = dropped (`timeout`).
 * - UDP: one datagram on a connected socket; a reply carrying the token = ok; ICMP port
 *   unreachable (the socket's ECONNREFUSED) = refused; nothing = dropped.
 * - By name: first the lookup (getaddrinfo, as applications resolve: the pod's resolv.conf,
 *   its search list and ndots), bounded by the timeout, so a blocked DNS reads as `dns`, not
 *   as a dropped connection; then the connection to the address found, with a timeout of its own.
 * - lookup: getaddrinfo of the name: an address = ok; not found = dns; no server answered, or
 *   no answer within the timeout = timeout. lookup-tcp: `getent ahostsv4` with
 *   `RES_OPTIONS=use-vc`, which makes glibc query over TCP only (an option of the process,
 *   so a process of its own): exit 0 = ok, 2 = dns, killed at the timeout = timeout.
 * - SCTP: Node has no SCTP sockets; the local dataplane reports SCTP scenarios as unsupported
 *   before they run.
 *
 * getaddrinfo cannot be cancelled: a lookup past its timeout keeps one of libuv's threads
 * until glibc gives up, which the pods' resolv.conf bounds (`timeout:1 attempts:1`), and the
 * agent runs with a pool large enough for a round of blocked lookups (AGENT_THREADS).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns';
import { connect, isIP, isIPv6 } from 'node:net';
import { outcomeOfSocketError } from '../../probe/classify-outcome.js';
import type { ProbeCommand } from '../../probe/probe-script.js';
import type { Outcome } from '../../probe/types.js';
import { assertNever } from '../../assert-never.js';

/** What every pod agent answers on the ports it serves (HTTP body and UDP reply start with it). */
export const LOCAL_SERVER_TOKEN = 'nph-ok';

/** libuv threads of a pod agent (`UV_THREADPOOL_SIZE`): lookups of several rounds may wait on glibc at once. */
export const AGENT_THREADS = 128;

const OK: Outcome = { kind: 'ok' };

/** Runs one probe; never rejects. */
export async function runProbe(command: ProbeCommand): Promise<Outcome> {
  switch (command.kind) {
    case 'tcp':
    case 'udp': {
      const address = isIP(command.host) !== 0 ? command.host : await resolve(command);
      if (typeof address !== 'string') return address;
      return command.kind === 'tcp' ? tcpConnect(address, command.port, command.timeoutMs) : udpExchange(address, command.port, command.timeoutMs);
    }
    case 'lookup': {
      const found = await getaddrinfo(command.host, command.timeoutMs);
      return typeof found === 'string' ? OK : found;
    }
    case 'lookup-tcp':
      return getentOverTcp(command.host, command.timeoutMs);
    case 'sctp':
      return { kind: 'error', detail: 'SCTP is not supported by the local dataplane' };
    default:
      return assertNever(command.kind, 'probe kind');
  }
}

/** The address a by-name probe connects to, or the outcome of its failed lookup (`dns`). */
async function resolve(command: ProbeCommand): Promise<string | Outcome> {
  const found = await getaddrinfo(command.host, command.timeoutMs);
  if (typeof found === 'string') return found;
  return { kind: 'dns', detail: `lookup of ${command.host} failed${found.kind === 'timeout' ? ' (no answer)' : found.kind === 'error' ? ` (${found.detail})` : ''}` };
}

/** The first address of `name`, or why there is none: dns (not found), timeout (no answer), error. */
function getaddrinfo(name: string, timeoutMs: number): Promise<string | Outcome> {
  return new Promise((done) => {
    const timer = deadline(timeoutMs, () => finish({ kind: 'timeout' }));
    const finish = once(done, () => clearTimeout(timer));
    // IPv4 only, as the local dataplane is: one A query a name, no A and AAAA pair from one
    // socket (two datagrams through the DNS Service's DNAT at once can race in conntrack, and
    // the one that loses is dropped).
    lookup(name, { family: 4 }, (error, address) => {
      if (error === null) finish(address);
      else if (error.code === 'ENOTFOUND' || error.code === 'ENODATA') finish({ kind: 'dns', detail: `${name} did not resolve` });
      // EAI_AGAIN: no server answered.
      else if (error.code === 'EAI_AGAIN') finish({ kind: 'timeout' });
      else finish({ kind: 'error', detail: `lookup of ${name}: ${error.message.slice(0, 200)}` });
    });
  });
}

/** `RES_OPTIONS=use-vc getent ahostsv4 name`: a lookup over TCP only (IPv4, as `getaddrinfo` above). */
function getentOverTcp(name: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    execFile('getent', ['ahostsv4', name], { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, RES_OPTIONS: 'use-vc' } }, (error) => {
      if (error === null) done(OK);
      else if (error.killed) done({ kind: 'timeout' });
      else if (error.code === 2) done({ kind: 'dns', detail: `${name} did not resolve` });
      else done({ kind: 'error', detail: `getent: ${error.message.slice(0, 200)}` });
    });
  });
}

/**
 * Calls `expired` after `ms`, but only once the I/O that arrived by then has been read: libuv
 * runs due timers before it polls, so an agent that got no CPU for a while would otherwise
 * time out a probe whose answer is already waiting.
 */
function deadline(ms: number, expired: () => void): NodeJS.Timeout {
  return setTimeout(() => setImmediate(expired), ms);
}

/** Settles once: the first value wins; `cleanup` runs then. */
function once<T>(done: (value: T) => void, cleanup: () => void): (value: T) => void {
  let settled = false;
  return (value) => {
    if (settled) return;
    settled = true;
    cleanup();
    done(value);
  };
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const timer = deadline(timeoutMs, () => finish({ kind: 'timeout' }));
    const finish = once(done, () => {
      clearTimeout(timer);
      socket.destroy();
    });
    socket.on('connect', () => finish(OK));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(outcomeOfSocketError(error.code, error.message)));
  });
}

function udpExchange(host: string, port: number, timeoutMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    const timer = deadline(timeoutMs, () => finish({ kind: 'timeout' }));
    const finish = once(done, () => {
      clearTimeout(timer);
      socket.close();
    });
    socket.on('message', (message) => {
      if (message.toString('utf8').includes(LOCAL_SERVER_TOKEN)) finish(OK);
    });
    // On a connected socket an ICMP port unreachable comes back as ECONNREFUSED (measured).
    socket.on('error', (error: NodeJS.ErrnoException) => finish(outcomeOfSocketError(error.code, error.message)));
    socket.connect(port, host, () => socket.send('ping'));
  });
}
