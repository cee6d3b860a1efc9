/**
 * The application model as a scenario of one step: its namespaces and workloads (with their
 * Services), and one step applying every policy, probed by Service name with the DNS probe,
 * as an application's own clients reach each other. `scan` predicts this step; `--out`
 * writes it. Pure.
 */
import { DEFAULT_DNS, DEFAULT_TIMEOUT_SECONDS } from '../scenario/resolve-scenario.js';
import { toMillis, type Expectation, type ProbeSettings, type Scenario } from '../scenario/types.js';
import type { AppModel } from './types.js';

/** How an application's flows are probed: by Service name, DNS lookups included. */
export const APP_PROBE_SETTINGS: ProbeSettings = { target: 'service-name', timeoutMs: toMillis(DEFAULT_TIMEOUT_SECONDS * 1000), self: false, dns: true };

/** The name of the one step. */
export const APP_STEP_NAME = 'the policies of the manifests';

/** The scenario of `model`, named `name` (a DNS-1123 label) and `file`, with `expect` on its step. */
export function modelScenario(model: AppModel, name: string, file: string, expect: readonly Expectation[] = []): Scenario {
  return {
    name,
    file,
    namespaces: model.namespaces,
    workloads: model.workloads.map((w) => w.spec),
    externals: [],
    dns: DEFAULT_DNS,
    steps: [{ index: 0, name: APP_STEP_NAME, delete: [], apply: model.policies, label: [], probe: APP_PROBE_SETTINGS, expect }],
  };
}
