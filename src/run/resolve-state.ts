import type { Topology } from '../backends/backend.js';
import { resolvePlaceholders } from '../scenario/placeholders.js';
import type { ClusterState } from '../scenario/types.js';

/** The state with every `${ip:..}`/`${cidr:..}` placeholder replaced by the topology's pod IPs. */
export function resolveState(state: ClusterState, topology: Topology): ClusterState {
  return {
    ...state,
    policies: state.policies.map((m) => ({ ...m, policy: resolvePlaceholders(m.policy, topology.podIps) })),
  };
}
