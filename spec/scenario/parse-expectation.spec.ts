import { expect } from 'chai';
import { parseExpectation } from '../../src/scenario/parse-expectation.js';
import type { ScenarioNames } from '../../src/scenario/resolve-workload.js';
import { toWorkloadRef } from '../../src/scenario/types.js';
import { external, workload } from '../fixtures/build-scenario.js';

const NAMES: ScenarioNames = {
  namespaces: new Set(['a', 'b']),
  workloads: [workload('a/web', ['80/http', '53/UDP/dns']), workload('b/web', [80]), workload('a/db', ['5432/pg'])],
  externals: [external('partner', '192.0.2.10', ['443/https'])],
};
const web = toWorkloadRef('a', 'web');
const db = toWorkloadRef('a', 'db');

describe('scenario/parse-expectation: valid entries', () => {
  const rows: ReadonlyArray<readonly [string, unknown]> = [
    ['allow * -> *', { verdict: 'allow', from: { kind: 'all' }, to: { target: { kind: 'all' } } }],
    ['deny a/* -> b/*', { verdict: 'deny', from: { kind: 'namespace', namespace: 'a' }, to: { target: { kind: 'namespace', namespace: 'b' } } }],
    ['allow db -> a/web:http', { verdict: 'allow', from: { kind: 'workload', ref: db }, to: { target: { kind: 'workload', ref: web }, port: 'http' } }],
    ['allow db->a/web:53/udp', { verdict: 'allow', from: { kind: 'workload', ref: db }, to: { target: { kind: 'workload', ref: web }, port: 53, protocol: 'UDP' } }],
    ['  deny   a/db   ->   partner:443/TCP  ', { verdict: 'deny', from: { kind: 'workload', ref: db }, to: { target: { kind: 'external', name: 'partner' }, port: 443, protocol: 'TCP' } }],
    ['allow * -> dns', { verdict: 'allow', from: { kind: 'all' }, to: { target: { kind: 'dns' } } }],
    ['allow * -> dns:53/udp', { verdict: 'allow', from: { kind: 'all' }, to: { target: { kind: 'dns' }, port: 53, protocol: 'UDP' } }],
    ['deny * -> *:http', { verdict: 'deny', from: { kind: 'all' }, to: { target: { kind: 'all' }, port: 'http' } }],
    ['deny * -> b/*:nothere', { verdict: 'deny', from: { kind: 'all' }, to: { target: { kind: 'namespace', namespace: 'b' }, port: 'nothere' } }],
    ['deny * -> *:8080/sctp', { verdict: 'deny', from: { kind: 'all' }, to: { target: { kind: 'all' }, port: 8080, protocol: 'SCTP' } }],
  ];
  for (const [text, want] of rows) {
    it(JSON.stringify(text), () => expect(parseExpectation(text, NAMES)).to.deep.equal({ ok: true, ...(want as object) }));
  }
});

describe('scenario/parse-expectation: errors point at the offending part', () => {
  const rows: ReadonlyArray<readonly [string, string, string]> = [
    // text, code, the offending part
    ['', 'INVALID_EXPECTATION', ''],
    ['permit * -> *', 'INVALID_EXPECTATION', 'permit'],
    ['allow * *', 'INVALID_EXPECTATION', 'allow * *'],
    ['allow -> *', 'INVALID_EXPECTATION', '->'],
    ['allow * ->', 'INVALID_EXPECTATION', '->'],
    ['allow web -> *', 'AMBIGUOUS_WORKLOAD', 'web'],
    ['allow db:80 -> *', 'INVALID_EXPECTATION', 'db:80'],
    ['allow x/* -> *', 'UNKNOWN_NAMESPACE', 'x'],
    ['allow * -> c/web', 'UNKNOWN_NAMESPACE', 'c/web'],
    ['allow * -> a/nope', 'UNKNOWN_WORKLOAD', 'a/nope'],
    ['allow * -> nope', 'UNKNOWN_WORKLOAD', 'nope'],
    ['allow * -> db/tcp', 'INVALID_EXPECTATION', '/tcp'],
    ['allow * -> a/db/udp', 'INVALID_EXPECTATION', '/udp'],
    ['allow * -> db:', 'INVALID_EXPECTATION', ''],
    ['allow * -> db:0', 'INVALID_PORT', '0'],
    ['allow * -> db:Pg', 'INVALID_PORT_NAME', 'Pg'],
    ['allow * -> db:pg/icmp', 'INVALID_PROTOCOL', 'icmp'],
    ['allow * -> db:http', 'UNKNOWN_PORT', 'http'],
    ['allow * -> db:5432/udp', 'UNKNOWN_PORT', '5432/udp'],
    ['allow * -> partner:80', 'UNKNOWN_PORT', '80'],
    ['allow * -> dns:dns', 'UNKNOWN_PORT', 'dns'],
    ['allow * -> a/web:dns/tcp', 'UNKNOWN_PORT', 'dns/tcp'],
  ];
  for (const [text, code, part] of rows) {
    it(`${JSON.stringify(text)}: ${code} at ${JSON.stringify(part)}`, () => {
      const result = parseExpectation(text, NAMES);
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      const first = result.issues[0]!;
      expect(first.code).to.equal(code);
      expect(text.slice(first.start, first.end)).to.equal(part);
    });
  }
});
