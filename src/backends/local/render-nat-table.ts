/**
 * Service translation of the local dataplane, like kube-proxy's nftables mode: ClusterIP ->
 * pod IP by DNAT in the node namespace's prerouting, so the policy table (forward hook) judges
 * the translated destination (DESIGN rule 10). A pod reaching itself through its own Service
 * (hairpin) is masqueraded, as kube-proxy does, so the reply comes back through the node. Pure.
 */

/** One ClusterIP and its single backend pod (every port maps to the same port). */
export interface ServiceMapping {
  readonly serviceIp: string;
  readonly podIp: string;
}

/** Name of the NAT table in the node namespace. */
export const NAT_TABLE = 'nph_nat';

/** The whole NAT table as an `nft -f` file that atomically replaces any previous one. */
export function renderNatTable(services: readonly ServiceMapping[]): string {
  const map = services.map((s) => `${s.serviceIp} : ${s.podIp}`).join(', ');
  const hairpin = services.map((s) => `${s.podIp} . ${s.podIp}`).join(', ');
  return [
    `table ip ${NAT_TABLE} {}`,
    `delete table ip ${NAT_TABLE}`,
    `table ip ${NAT_TABLE} {`,
    '  map services {',
    '    type ipv4_addr : ipv4_addr',
    ...(map === '' ? [] : [`    elements = { ${map} }`]),
    '  }',
    '  set hairpin {',
    '    type ipv4_addr . ipv4_addr',
    ...(hairpin === '' ? [] : [`    elements = { ${hairpin} }`]),
    '  }',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    '    dnat to ip daddr map @services',
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    '    ct status dnat ip saddr . ip daddr @hairpin masquerade',
    '  }',
    '}',
    '',
  ].join('\n');
}
