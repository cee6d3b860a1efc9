/**
 * Chooses and opens a backend for `run` and `doctor`: checks the environment once, then hands
 * out a fresh backend per scenario (each run has its own id, namespaces and cleanup).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Backend, BackendContext } from '../backends/backend.js';
import { checkLocalPrerequisites } from '../backends/local/prerequisites.js';
import { createLocalBackend } from '../backends/local/local-backend.js';
import { DEFAULT_IMAGES } from '../backends/kube/build-manifests.js';
import { createSimulatedBackend } from '../backends/simulated/simulated-backend.js';
import type { CompileOptions } from '../simulator/simulate.js';
import type { EnforcementVerdict } from '../run/canary.js';
import { EnvironmentError, type CliIo } from './io.js';
import { parseCount, secondsOption, type OptionTable } from './option-table.js';
import { openKubeProvider } from './kube-provider.js';

export interface BackendOptions {
  readonly backend?: 'local' | 'kube' | 'simulated';
  readonly cni: 'enforcing' | 'none';
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly image?: string;
  readonly agnhostImage?: string;
  readonly sameNode: boolean;
  /** ms. */
  readonly podReadyTimeout: number;
  /** Probe execs at once over the whole run; default from the nodes' CPUs. */
  readonly probeConcurrency?: number;
  /** How long the end of a run waits for its namespaces to be gone, ms. */
  readonly deleteWait: number;
}

/** Bounds of the default exec concurrency: a node starting many probe tools at once misses their timeouts. */
export const MIN_EXEC_SLOTS = 2;
export const MAX_EXEC_SLOTS = 16;

export const BACKEND_OPTIONS: OptionTable<BackendOptions> = {
  backend: {
    flags: '-b, --backend <backend>',
    description:
      'kube (a cluster through kubeconfig), local (network namespaces + nftables, root), or simulated (the simulator answers, no packets: a dry run); default: kube when a kubeconfig exists, else local',
    choices: ['local', 'kube', 'simulated'],
  },
  cni: { flags: '--cni <mode>', description: 'local and simulated backends: enforcing, or none (policies accepted, never enforced, like a CNI without policy support)', choices: ['enforcing', 'none'], default: 'enforcing' },
  kubeconfig: { flags: '--kubeconfig <file>', description: 'kube backend: kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' },
  context: { flags: '--context <name>', description: 'kube backend: kubeconfig context (default: the current one)' },
  image: { flags: '--image <image>', description: 'kube backend: no longer used (it was the busybox image of the TCP servers; every container runs the agnhost image now); accepted with a warning' },
  agnhostImage: { flags: '--agnhost-image <image>', description: `kube backend: the image of every pod container, probes and servers (default ${DEFAULT_IMAGES.agnhost}; below 2.28 UDP goes through its netexec)` },
  sameNode: { flags: '--same-node', description: 'kube backend: pack all pods on one node (default: spread over the nodes)', default: false },
  podReadyTimeout: secondsOption('--pod-ready-timeout <seconds>', 'kube backend: how long a scenario\'s pods may go without progress (a container started, a pod Ready) before the run gives up on them', 120),
  probeConcurrency: {
    flags: '--probe-concurrency <n>',
    description: `kube backend: source pods starting their probes at once over the whole run, every scenario together (a pod's round counts until its probes are started, not while they wait for a timeout; a pod probing with busybox nc counts a quarter: agnhost costs the node ~4 times the CPU); default: the workload nodes' CPUs, ${MIN_EXEC_SLOTS} to ${MAX_EXEC_SLOTS}`,
    parse: (v) => parseCount(v),
  },
  deleteWait: secondsOption('--delete-wait <seconds>', 'kube backend: at the end, how long to wait for the run\'s namespaces to be gone (0: do not wait)', 60, true),
};

export interface BackendProvider {
  readonly kind: 'local' | 'kube' | 'simulated';
  /** The CNI found, when the backend can tell. */
  readonly cni?: string;
  /** e.g. `v1.20.2`, when the backend is a cluster. */
  readonly serverVersion?: string;
  /** e.g. `the local dataplane (--cni none)`. */
  describe(): string;
  /** A plain diagnosis and what to do, for a canary that found no enforcement. */
  diagnose(verdict: EnforcementVerdict): string;
  create(): Promise<Backend>;
  /** The nodes workloads can run on, for a canary pair on each; undefined: no nodes to tell apart. */
  nodes?(ctx: BackendContext): Promise<readonly string[]>;
  /** After the last scenario: a bounded wait until everything created is gone. */
  close?(ctx: BackendContext): Promise<void>;
}

/** The backend used when none is named: kube when a kubeconfig is found, else local. */
export function defaultBackend(env: CliIo['env'], kubeconfig?: string): 'local' | 'kube' {
  if (kubeconfig || env.KUBECONFIG) return 'kube';
  return existsSync(join(env.HOME ?? homedir(), '.kube', 'config')) ? 'kube' : 'local';
}

/**
 * Checks the environment for the chosen backend; throws EnvironmentError (exit 3) when unusable.
 * `compile` is how the simulated backend's CNI reads the spec (a conformance profile).
 */
export async function openBackend(options: BackendOptions, io: CliIo, ctx: BackendContext, compile?: CompileOptions): Promise<BackendProvider> {
  const kind = options.backend ?? defaultBackend(io.env, options.kubeconfig);
  if (kind === 'kube') return openKubeProvider(options, io, ctx);
  if (kind === 'simulated') {
    return {
      kind: 'simulated',
      cni: 'simulated',
      describe: () => 'the simulator (no packets: a dry run)',
      diagnose: () => 'The simulated dataplane always enforces policies; this is a bug in netpol-harness.',
      create: async () => createSimulatedBackend({ ...(compile ? { compile } : {}), enforce: options.cni === 'enforcing' }),
    };
  }
  const problems = await checkLocalPrerequisites();
  if (problems.length > 0) {
    throw new EnvironmentError(`the local dataplane cannot run here:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const enforce = options.cni === 'enforcing';
  return {
    kind: 'local',
    cni: enforce ? 'local-nftables' : 'none',
    describe: () => `the local dataplane (--cni ${options.cni})`,
    diagnose: (verdict) =>
      enforce
        ? `The local dataplane's nftables enforcement did not take effect (${verdict.kind}). This is a bug in netpol-harness: please report it with the output above.`
        : 'The local dataplane runs with --cni none: NetworkPolicies are accepted but never enforced, like a CNI without policy support.\n' +
          'Pass --allow-non-enforcing to run the scenarios anyway and see which expectations such a cluster breaks, or use --cni enforcing.',
    create: async () => createLocalBackend({ enforce }),
  };
}
