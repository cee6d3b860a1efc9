/**
 * What one run found out about SCTP on its nodes, shared by every backend of the run (like
 * the probe tool check): once SCTP servers failed to listen on every workload node, a later
 * scenario that needs SCTP is reported unsupported before anything is created. Its pods would
 * only crash-loop: on the 2-core rig, one conformance run created 5 sets of 9 such pods, and
 * the last one, on a node busy probing, did not even start within the pod-ready timeout.
 */
import type { KubeApi } from './kube-api.js';
import { listWorkloadNodes } from './list-nodes.js';

export class SctpFinding {
  private readonly downOn = new Set<string>();
  private first: string | undefined;
  private nodes: Promise<readonly string[]> | undefined;

  /** `canListNodes`: whether the workload nodes can be listed (without, no scenario is skipped). */
  constructor(
    private readonly api: KubeApi,
    private readonly canListNodes: boolean,
  ) {}

  /** SCTP servers failed on `nodes`; `message` says how (the first one is kept). */
  noteDown(nodes: readonly string[], message: string): void {
    for (const n of nodes) this.downOn.add(n);
    this.first ??= message;
  }

  /**
   * Why SCTP cannot run anywhere, when every workload node has failed it; undefined while any
   * node may still serve it (or when the nodes are unknown: each scenario then finds out).
   */
  async downEverywhere(): Promise<string | undefined> {
    if (this.first === undefined) return undefined;
    this.nodes ??= this.canListNodes ? listWorkloadNodes(this.api).catch(() => []) : Promise.resolve([]);
    const nodes = await this.nodes;
    if (nodes.length === 0 || !nodes.every((n) => this.downOn.has(n))) return undefined;
    return `${this.first} (found earlier in this run, on ${nodes.join(', ')}; no SCTP pods were created again)`;
  }
}
