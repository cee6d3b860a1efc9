/**
 * Service translation of the local dataplane, like kube-proxy's nftables mode: ClusterIP and
 * Service port -> pod IP and target port by DNAT in the node namespace's prerouting, so the
 * policy table (forward hook) judges the translated destination (DESIGN rule 10). A pod
 * reaching itself through its own Service (hairpin) is masqueraded, as kube-proxy does, so the
 * reply comes back through the node. Pure.
 */
import type { Protocol } from '../../policy/types.js';

/** One Service port and the pod port behind it. */
export interface ServicePortMapping {
  readonly serviceIp: string;
  readonly protocol: Protocol;
  /** The port dialled on the ClusterIP. */
  readonly port: number;
  readonly podIp: string;
  /** The pod port it forwards to. */
  readonly targetPort: number;
}

/** Name of the NAT table in the node namespace. */
export const NAT_TABLE = 'nph_nat';

const L4: Readonly<Record<Protocol, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** The whole NAT table as an `nft -f` file that atomically replaces any previous one. */
export function renderNatTable(mappings: readonly ServicePortMapping[]): string {
  const map = mappings.map((m) => `${m.serviceIp} . ${L4[m.protocol]} . ${m.port} : ${m.podIp} . ${m.targetPort}`).join(', ');
  const hairpin = [...new Set(mappings.map((m) => `${m.podIp} . ${m.podIp}`))].join(', ');
  return [
    `table ip ${NAT_TABLE} {}`,
    `delete table ip ${NAT_TABLE}`,
    `table ip ${NAT_TABLE} {`,
    '  map services {',
    '    type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service',
    ...(map === '' ? [] : [`    elements = { ${map} }`]),
    '  }',
    '  set hairpin {',
    '    type ipv4_addr . ipv4_addr',
    ...(hairpin === '' ? [] : [`    elements = { ${hairpin} }`]),
    '  }',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    '    dnat ip to ip daddr . meta l4proto . th dport map @services',
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    '    ct status dnat ip saddr . ip daddr @hairpin masquerade',
    '  }',
    '}',
    '',
  ].join('\n');
}
