import { expect } from 'chai';
import fc from 'fast-check';
import { AGENT_CANDIDATES, agentPortConflict, chooseAgentPorts } from '../../src/probe/agent-ports.js';
import type { ServedPort } from '../../src/scenario/types.js';

describe('probe/agent-ports', () => {
  it('every candidate served on TCP: the collision is named', () => {
    const ports: ServedPort[] = AGENT_CANDIDATES.map((port) => ({ port, protocol: 'TCP' }));
    expect(agentPortConflict(ports)).to.equal(`${AGENT_CANDIDATES[AGENT_CANDIDATES.length - 1]}/TCP`);
    expect(agentPortConflict(ports.slice(1))).to.equal(undefined);
  });

  it('every UDP candidate served: the collision is named', () => {
    const ports: ServedPort[] = AGENT_CANDIDATES.map((port) => ({ port: port + 1, protocol: 'UDP' }));
    expect(agentPortConflict(ports)).to.match(/\/UDP$/);
  });

  it('property: without a conflict the agent ports are free; with one it is reported', () => {
    const candidate = fc.constantFrom(...AGENT_CANDIDATES.flatMap((p) => [p, p + 1]), 80, 443);
    const port = fc.record({ port: candidate, protocol: fc.constantFrom('TCP' as const, 'UDP' as const) });
    fc.assert(
      fc.property(fc.array(port, { maxLength: 30 }), (ports) => {
        const agent = chooseAgentPorts(ports);
        const collides = ports.some((p) => (p.protocol === 'TCP' && p.port === agent.http) || (p.protocol === 'UDP' && p.port === agent.udp));
        expect(agentPortConflict(ports) !== undefined).to.equal(collides);
      }),
      { numRuns: 300 },
    );
  });
});
