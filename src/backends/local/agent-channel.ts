/**
 * The backend's side of a pod agent (pod-agent.ts): sends a source's probes as one request line
 * on the agent's stdin and reads the answer line from its stdout. Requests are numbered, so
 * several may be in flight.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProbeCommand } from '../../probe/probe-script.js';
import type { Outcome, ProbeKey } from '../../probe/types.js';
import type { ProbeResponse } from './pod-agent.js';

interface Pending {
  readonly resolve: (outcomes: readonly Outcome[]) => void;
  readonly reject: (error: Error) => void;
}

export interface AgentChannel {
  /**
   * Runs `probes` in the agent's pod: one outcome per key. An agent that does not answer by
   * `deadlineMs` gives `error` outcomes (inconclusive: the round is retried); one that exited
   * is an error of the run.
   */
  probe(probes: readonly ProbeCommand[], deadlineMs: number): Promise<Map<ProbeKey, Outcome>>;
}

/** A channel over the stdin and stdout of a started agent; `description` names it in errors. */
export function openAgentChannel(child: ChildProcess, description: string): AgentChannel {
  const { stdin, stdout } = child;
  if (stdin === null || stdout === null) throw new Error(`${description}: started without pipes to talk to`);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited: string | undefined;
  createInterface({ input: stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    let response: ProbeResponse;
    try {
      response = JSON.parse(line) as ProbeResponse;
    } catch {
      return;
    }
    pending.get(response.id)?.resolve(response.outcomes);
    pending.delete(response.id);
  });
  child.once('exit', (code, signal) => {
    exited = `${description} exited (${code ?? signal})`;
    for (const p of pending.values()) p.reject(new Error(exited));
    pending.clear();
  });
  // A write to an agent that just died fails here; the exit handler reports it.
  stdin.on('error', () => undefined);

  return {
    async probe(probes, deadlineMs) {
      if (exited !== undefined) throw new Error(exited);
      const id = nextId++;
      let timer: NodeJS.Timeout | undefined;
      const answered = new Promise<readonly Outcome[] | undefined>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        timer = setTimeout(() => {
          pending.delete(id);
          resolve(undefined);
        }, deadlineMs);
      });
      stdin.write(`${JSON.stringify({ id, probes })}\n`);
      try {
        const outcomes = await answered;
        return new Map(
          probes.map((p, i): [ProbeKey, Outcome] => [
            p.key,
            outcomes?.[i] ?? { kind: 'error', detail: outcomes === undefined ? `${description} did not answer within ${deadlineMs} ms` : 'no outcome in the answer' },
          ]),
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
