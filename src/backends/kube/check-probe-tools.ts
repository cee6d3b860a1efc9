/**
 * Which probe tools the workload image really has, checked once per run in the first pod that
 * is up (images differ: upstream agnhost is alpine's busybox, the rig's is Debian's, a
 * mirror's may be anything). Today one question: can busybox `nc` test a TCP connect
 * (`nc -w N host port </dev/null` or `nc -vv -w N host port -e true`), and with which flags? Each form is asked with two probes
 * of the pod's own loopback, one to its agent's HTTP port (must connect) and one to a closed
 * port (must be refused), read back by the same toolset that will read every later probe;
 * when neither form passes, agnhost stays.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ProbeAgentPorts } from '../../probe/agent-ports.js';
import { parseProbeOutput } from '../../probe/classify-outcome.js';
import { renderProbeScript, type ProbeCommand, type ProbeToolset } from '../../probe/probe-script.js';
import { agnhostPodToolset, type AgentPorts } from '../../probe/toolset-agnhost-pod.js';
import type { ProbeKey } from '../../probe/types.js';
import { PROBE_CONTAINER, PROBE_SCRATCH_DIR } from './build-manifests.js';
import type { ExecFn } from './probe-pods.js';

/** A pod to check in: its cluster name, its agent's ports and the TCP ports it serves. */
export interface ToolCheckPod {
  readonly namespace: string;
  readonly name: string;
  readonly agent: ProbeAgentPorts;
  readonly servedTcp: readonly number[];
}

/** A TCP port nothing listens on in the pod: above the agent's HTTP port, not served. */
export function closedTcpPort(pod: Pick<ToolCheckPod, 'agent' | 'servedTcp'>): number {
  let port = pod.agent.http + 1;
  while (pod.servedTcp.includes(port)) port += 1;
  return port;
}

/** The `nc` form to probe TCP with; null when neither form passed; undefined when an exec itself failed. */
export type NcAnswer = NonNullable<AgentPorts['ncConnect']> | null | undefined;

/** Asks both forms of `nc` in one exec (see the file comment). */
export async function checkNcConnect(kubeConfig: KubeConfig, exec: ExecFn, pod: ToolCheckPod, signal?: AbortSignal): Promise<NcAnswer> {
  const forms = ['plain', 'verbose'] as const;
  const toolsetOf = new Map(forms.map((form) => [form, agnhostPodToolset({ http: pod.agent.http, ncConnect: form })]));
  const pairs = forms.map((form) => {
    const probe = (end: string, port: number): ProbeCommand => ({ key: `${form} ${end}` as ProbeKey, kind: 'tcp', host: '127.0.0.1', port, timeoutMs: 1000 });
    return { form, open: probe('open', pod.agent.http), closed: probe('closed', closedTcpPort(pod)) };
  });
  const commands = pairs.flatMap((p) => [p.open, p.closed]);
  // Each probe is written and read by the toolset of its form (the first word of its key).
  const formOf = (c: ProbeCommand) => toolsetOf.get(c.key.split(' ')[0] as (typeof forms)[number])!;
  const both: ProbeToolset = { name: 'nc-check', render: (c, seconds) => formOf(c).render(c, seconds), classify: (c, code, out) => formOf(c).classify(c, code, out) };
  const result = await exec(kubeConfig, {
    namespace: pod.namespace,
    pod: pod.name,
    container: PROBE_CONTAINER,
    command: ['sh', '-c', renderProbeScript(commands, both, PROBE_SCRATCH_DIR)],
    timeoutMs: 15_000,
    ...(signal !== undefined && { signal }),
  });
  if (result.kind !== 'done') return undefined;
  const outcomes = parseProbeOutput(result.stdout, commands, both);
  const passed = pairs.find((p) => outcomes.get(p.open.key)?.kind === 'ok' && outcomes.get(p.closed.key)?.kind === 'refused');
  return passed?.form ?? null;
}

/**
 * The answer of one run, shared by all its backends: the first caller checks, the others wait
 * for its answer. An exec that failed decides nothing (agnhost for now; the next pod asks again).
 */
export class ProbeToolCheck {
  private answer: Promise<NcAnswer> | undefined;

  async ncConnect(check: () => Promise<NcAnswer>): Promise<AgentPorts['ncConnect']> {
    this.answer ??= check().catch(() => undefined);
    const answer = await this.answer;
    if (answer === undefined) this.answer = undefined;
    return answer ?? undefined;
  }
}
