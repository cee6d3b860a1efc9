/**
 * The adversarial inputs of the loader, as an attacker writing a scenario in a pull request
 * would try them (big inputs are generated here, never committed). Each must end in a clear
 * diagnostic with a position, or load when it is valid; none may crash, hang or echo a huge
 * value.
 */
import { expect } from 'chai';
import { AGENT_CANDIDATES } from '../../src/probe/agent-ports.js';
import { renderDiagnostics } from '../../src/report/render-diagnostic.js';
import { MAX_DIAGNOSTICS_SHOWN, MAX_EXPANDED_SIZE, MAX_FILE_BYTES, MAX_MESSAGE_CHARS, MAX_PROBES, MAX_QUOTED_CHARS } from '../../src/scenario/limits.js';
import type { LoadResult } from '../../src/scenario/load-scenario.js';
import { load, policyStep, positions, scenarioText } from './fixtures.js';

const step = (body: string): string => `    - name: s\n${body}`;
const EMPTY_STEP = step('      expect: []');

function codes(result: LoadResult): string[] {
  return result.ok ? [] : result.diagnostics.map((d) => d.code);
}

function messages(result: LoadResult): string[] {
  return result.ok ? [] : result.diagnostics.map((d) => d.message);
}

/** Everything the CLI would print for this result (without colour). */
function rendered(result: LoadResult): string {
  return result.ok ? '' : renderDiagnostics(result.diagnostics, result.sources, { color: false });
}

describe('scenario: untrusted input', function () {
  // Big generated inputs: generous for a loaded CI machine.
  this.timeout(120_000);
  describe('resource limits', () => {
    it('a 2 MB string reused through 98 aliases: LIMIT_EXCEEDED (the file is too large already), a short message', () => {
      const big = 'x'.repeat(2_000_000);
      const text = scenarioText(EMPTY_STEP).replace('metadata: {name: demo}', `metadata: {name: demo, description: &big "${big}"}\nx: [${Array(98).fill('*big').join(', ')}]`);
      const result = load(text);
      expect(codes(result)).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(rendered(result).length).to.be.below(2_000);
    });

    it('a 500 kB string reused through 98 aliases: LIMIT_EXCEEDED on its expanded size, at the alias', () => {
      const big = 'x'.repeat(500_000);
      const text = scenarioText(EMPTY_STEP).replace('metadata: {name: demo}', `metadata: {name: demo, description: &big "${big}"}\nx: [${Array(98).fill('*big').join(', ')}]`);
      const result = load(text);
      expect(codes(result)).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(messages(result)[0]).to.contain(String(MAX_EXPANDED_SIZE));
      expect(result.ok ? '' : text.slice(result.diagnostics[0]!.range[0]).startsWith('*big')).to.equal(true);
      expect(rendered(result).length).to.be.below(2_000);
    });

    it('nested aliases ("billion laughs"): LIMIT_EXCEEDED at the alias that crosses the limit', () => {
      const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i += 1) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
      const result = load(`${levels.join('\n')}\n`);
      expect(codes(result)).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(positions(result)[0]).to.match(/^scn\/demo\.yaml:\d+:\d+ LIMIT_EXCEEDED$/);
    });

    it('an alias of many small nodes reused 2,000 times stays within the limit (aliases share data)', () => {
      const workloads = Array.from({ length: 2_000 }, (_, i) => `    - {name: w${i}, labels: *labels, ports: *ports}`).join('\n');
      const text = scenarioText(step('      expect: ["allow w0 -> w1"]'), { workloads: `    - {name: base, labels: &labels {app: x, tier: y}, ports: &ports [{port: 80, name: http}]}\n${workloads}` });
      const result = load(text);
      expect(positions(result)).to.deep.equal([]);
      expect(result.ok && result.scenario.workloads).to.have.length(2_001);
    });

    it('an alias inside the node it names: YAML_SYNTAX, not an endless structure', () => {
      expect(codes(load('a: &x [1, *x]\n'))).to.deep.equal(['YAML_SYNTAX']);
    });

    it('a million nested flow lists, or block lists on one line: LIMIT_EXCEEDED, found while parsing', () => {
      expect(codes(load(`a: ${'['.repeat(1_000_000)}`))).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(codes(load(`${'- '.repeat(500_000)}x`))).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(codes(load(`a:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}b${i}:`).join('\n')} x\n`))).to.deep.equal(['LIMIT_EXCEEDED']);
    });

    it('a map of 50,000 keys is read in linear time (unknown keys, reported once each, the rest cut when shown)', () => {
      const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n');
      const result = load(`${scenarioText(EMPTY_STEP)}${keys}\n`);
      expect(codes(result)[0]).to.equal('UNKNOWN_KEY');
      const out = rendered(result);
      expect(out.split('\n\n')).to.have.length(MAX_DIAGNOSTICS_SHOWN + 1);
      expect(out).to.contain(`${50_000 - MAX_DIAGNOSTICS_SHOWN} more problems not shown`);
    });

    it(`a file over ${MAX_FILE_BYTES} bytes: LIMIT_EXCEEDED before parsing`, () => {
      expect(codes(load(`# ${'x'.repeat(MAX_FILE_BYTES)}\n`))).to.deep.equal(['LIMIT_EXCEEDED']);
    });

    it('a long line of block indicators (slow for the YAML parser): LIMIT_EXCEEDED at once', () => {
      expect(codes(load(`a: ${'- '.repeat(400_000)}`))).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(codes(load(`${'? '.repeat(400_000)}x`))).to.deep.equal(['LIMIT_EXCEEDED']);
    });

    it('2,000 workloads load (the simulator, not the loader, decides how they are computed)', () => {
      const workloads = Array.from({ length: 2_000 }, (_, i) => `    - {name: w${i}, labels: {app: w${i}}, ports: [{port: 80}]}`).join('\n');
      const result = load(scenarioText(step('      expect: ["allow * -> *"]'), { workloads }));
      expect(positions(result)).to.deep.equal([]);
    });

    it('more probes than MAX_PROBES: LIMIT_EXCEEDED naming the count', () => {
      // Under the workload limit, over the probe limit: every workload serves several ports.
      const n = 1_000;
      const perPair = Math.ceil(MAX_PROBES / (n * (n - 1))) + 1;
      const ports = Array.from({ length: perPair }, (_, i) => `{port: ${i + 1}}`).join(', ');
      const workloads = Array.from({ length: n }, (_, i) => `    - {name: w${i}, ports: [${ports}]}`).join('\n');
      const result = load(scenarioText(step('      expect: []'), { workloads }));
      expect(codes(result)).to.deep.equal(['LIMIT_EXCEEDED']);
      expect(messages(result)[0]).to.match(/plan \d+ probes/);
    });

    it('a value of a million characters is quoted by its first characters only', () => {
      const result = load(scenarioText(EMPTY_STEP, { workloads: `    - {name: ${'a'.repeat(1_000_000)}}` }));
      expect(codes(result)).to.include('INVALID_NAME');
      for (const message of messages(result)) expect(message.length).to.be.below(MAX_QUOTED_CHARS + 300);
      expect(rendered(result).length).to.be.below(3_000);
    });
  });

  describe('keys are data: __proto__, constructor, toString', () => {
    const proto: ReadonlyArray<readonly [string, string]> = [
      ['workload labels', scenarioText(EMPTY_STEP, { workloads: '    - {name: web, labels: {__proto__: x}}' })],
      ['namespace labels', scenarioText(EMPTY_STEP, { namespaces: '[{name: demo, labels: {__proto__: x}}]' })],
      ['dns labels', scenarioText(EMPTY_STEP, { extra: '  dns: {labels: {__proto__: x}}' })],
      ['a label change', scenarioText(step('      label: [{workload: web, labels: {__proto__: x}}]'))],
      ['matchLabels selecting "everything"', scenarioText(policyStep('{podSelector: {matchLabels: {__proto__: {app: db}}}}'))],
      ['a peer selector', scenarioText(policyStep('{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {__proto__: x}}}]}]}'))],
      ['policy metadata labels', scenarioText(policyStep('{podSelector: {}}', '{name: p, labels: {__proto__: x}}'))],
    ];
    for (const [where, text] of proto) {
      it(`__proto__ in ${where} is rejected as the API server would (INVALID_LABEL_KEY at the key), never dropped`, () => {
        const result = load(text);
        expect(codes(result)).to.include('INVALID_LABEL_KEY');
        const at = text.indexOf('__proto__');
        expect(result.ok ? [] : result.diagnostics.map((d) => d.range[0])).to.include(at);
      });
    }

    it('constructor, toString, hasOwnProperty and valueOf are ordinary label keys and names', () => {
      const text = scenarioText(
        [
          '    - name: s',
          '      apply:',
          '        - apiVersion: networking.k8s.io/v1',
          '          kind: NetworkPolicy',
          '          metadata: {name: constructor, labels: {toString: x}}',
          '          spec: {podSelector: {matchLabels: {constructor: b}}, ingress: [{from: [{podSelector: {matchExpressions: [{key: toString, operator: Exists}]}}], ports: [{port: tostring}]}]}',
          '      label: [{namespace: constructor, labels: {valueOf: "1"}}, {workload: a, labels: {hasOwnProperty: "y"}}]',
          '      expect: ["allow a -> constructor/b:tostring"]',
        ].join('\n'),
        {
          namespaces: '[{name: constructor, labels: {toString: x}}]',
          workloads: '    - {name: a, labels: {toString: t, constructor: a}}\n    - {name: b, labels: {constructor: b}, ports: [{port: 80, name: tostring}, {port: 81, name: constructor}]}',
        },
      );
      const result = load(text);
      expect(positions(result)).to.deep.equal([]);
      if (!result.ok) return;
      const s = result.scenario;
      expect(Object.keys(s.namespaces[0]!.labels)).to.include('toString');
      expect(s.workloads[0]!.labels).to.deep.equal({ toString: 't', constructor: 'a' });
      expect(Object.getPrototypeOf(s.workloads[0]!.labels)).to.equal(Object.prototype);
      expect(s.steps[0]!.apply[0]!.policy.spec.podSelector).to.deep.equal({ matchLabels: { constructor: 'b' } });
      expect(s.steps[0]!.label.map((c) => c.labels)).to.deep.equal([{ valueOf: '1' }, { hasOwnProperty: 'y' }]);
    });
  });

  describe('numbers have bounds', () => {
    const timeout = (value: string) => load(scenarioText(step(`      probe: {timeoutSeconds: ${value}}\n      expect: []`)));
    for (const value of ['0', '-1', '3000000', '1e300', '61']) {
      it(`timeoutSeconds ${value}: INVALID_VALUE`, () => expect(codes(timeout(value))).to.deep.equal(['INVALID_VALUE']));
    }
    for (const value of ['.nan', '.inf']) it(`timeoutSeconds ${value}: INVALID_TYPE`, () => expect(codes(timeout(value))).to.deep.equal(['INVALID_TYPE']));
    const rounded: ReadonlyArray<readonly [string, number]> = [['0.0001', 1000], ['1', 1000], ['1.5', 2000], ['60', 60_000]];
    for (const [value, ms] of rounded) {
      it(`timeoutSeconds ${value}: ${ms} ms, a fraction rounded up to whole seconds as the probe tools run it`, () => {
        const result = timeout(value);
        expect(result.ok && result.scenario.steps[0]!.probe.timeoutMs).to.equal(ms);
      });
    }
  });

  describe('what the API server (or the harness on a cluster) would reject', () => {
    const rows: ReadonlyArray<readonly [string, string, string, string]> = [
      ['a workload name that is no Service name (DNS-1035)', 'INVALID_NAME', scenarioText(EMPTY_STEP, { workloads: '    - {name: 1abc}' }), '1abc'],
      ['a port name its Service gives another port', 'DUPLICATE_NAME', scenarioText(EMPTY_STEP, { workloads: '    - {name: web, ports: [{port: 53, protocol: UDP, name: udp-80}, {port: 80, protocol: UDP}]}' }), 'udp-80'],
      ['two ports named alike', 'DUPLICATE_NAME', scenarioText(EMPTY_STEP, { workloads: '    - {name: web, ports: [{port: 80, name: web}, {port: 81, name: web}]}' }), 'web}]}'],
      ['every agent port served', 'PORT_CONFLICT', scenarioText(EMPTY_STEP, { workloads: `    - {name: web, ports: [${AGENT_CANDIDATES.map((p) => `{port: ${p}}`).join(', ')}]}` }), '[{port: 8080'],
      ['a label key YAML reads twice (1 and "1")', 'YAML_SYNTAX', scenarioText(EMPTY_STEP, { workloads: '    - {name: web, labels: {1: a, "1": b}}' }), '"1": b'],
      ['a repeated label key', 'YAML_SYNTAX', scenarioText(EMPTY_STEP, { workloads: '    - {name: web, labels: {app: a, app: b}}' }), 'app: b'],
      ['namespace kube-system', 'RESERVED_NAME', scenarioText(EMPTY_STEP, { namespaces: '[{name: kube-system}]' }), 'kube-system'],
      ['namespace kube-public', 'RESERVED_NAME', scenarioText(EMPTY_STEP, { namespaces: '[{name: kube-public}]' }), 'kube-public'],
      ['namespace kube-node-lease', 'RESERVED_NAME', scenarioText(EMPTY_STEP, { namespaces: '[{name: kube-node-lease}]' }), 'kube-node-lease'],
      ['a DNS namespace the scenario declares', 'RESERVED_NAME', scenarioText(EMPTY_STEP, { extra: '  dns: {namespace: demo}' }), 'demo}'],
      ['the managed-by label on a namespace', 'RESERVED_NAME', scenarioText(EMPTY_STEP, { namespaces: '[{name: demo, labels: {app.kubernetes.io/managed-by: me}}]' }), 'app.kubernetes.io/managed-by'],
      ['a netpol-harness/ label in a label change', 'RESERVED_NAME', scenarioText(step('      label: [{workload: web, labels: {netpol-harness/run-id: x}}]')), 'netpol-harness/run-id'],
      ['a netpol-harness/ label in matchLabels', 'RESERVED_NAME', scenarioText(policyStep('{podSelector: {matchLabels: {netpol-harness/workload: web}}}')), 'netpol-harness/workload'],
      ['the managed-by label in matchExpressions', 'RESERVED_NAME', scenarioText(policyStep('{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: app.kubernetes.io/managed-by, operator: Exists}]}}]}]}')), 'app.kubernetes.io/managed-by'],
      ['a netpol-harness/ label on a policy', 'RESERVED_NAME', scenarioText(policyStep('{podSelector: {}}', '{name: p, labels: {netpol-harness/run-id: x}}')), 'netpol-harness/run-id'],
      ['one external address twice (written two ways)', 'DUPLICATE_NAME', scenarioText(EMPTY_STEP).replace('  externals: [{name: partner, ip: 192.0.2.10, ports: [{port: 443, name: https}]}]', '  externals: [{name: a, ip: "2001:db8::1"}, {name: b, ip: "2001:0db8:0::1"}]'), '"2001:0db8:0::1"'],
    ];
    for (const [what, code, text, marker] of rows) {
      it(`${what}: ${code} at the offending value`, () => {
        const result = load(text);
        expect(codes(result)).to.include(code);
        const at = text.lastIndexOf(marker);
        expect(result.ok ? [] : result.diagnostics.filter((d) => d.code === code).map((d) => d.range[0])).to.include(at);
      });
    }

    const addresses = ['127.0.0.1', '::1', '169.254.10.1', 'fe80::1', '224.0.0.251', 'ff02::1', '0.0.0.0', '::', '255.255.255.255', '::ffff:127.0.0.1', '10.244.0.12', '10.96.0.100', '10.250.0.7', '10.251.1.1'];
    for (const ip of addresses) {
      it(`external ${ip}: RESERVED_ADDRESS`, () => {
        const result = load(scenarioText(EMPTY_STEP).replace('ip: 192.0.2.10', `ip: "${ip}"`));
        expect(codes(result)).to.deep.equal(['RESERVED_ADDRESS']);
      });
    }

    it('what the cluster accepts still loads: namespace default, managed-by in dns labels, an external on 192.0.2.0/24', () => {
      const result = load(scenarioText(EMPTY_STEP, { namespaces: '[{name: default}]', extra: '  dns: {labels: {app.kubernetes.io/managed-by: Helm, k8s-app: kube-dns}}' }));
      expect(positions(result)).to.deep.equal([]);
    });
  });

  it(`a diagnostic message is at most ${MAX_MESSAGE_CHARS} characters when rendered`, () => {
    const namespaces = `[${Array.from({ length: 500 }, (_, i) => `{name: ns${i}}`).join(', ')}]`;
    const result = load(scenarioText(step('      expect: ["allow nope/* -> *"]'), { namespaces, workloads: '    - {name: web, namespace: ns0}' }));
    expect(codes(result)).to.deep.equal(['UNKNOWN_NAMESPACE']);
    const first = rendered(result).split('\n')[0]!;
    expect(first.length).to.be.at.most(MAX_MESSAGE_CHARS + 40);
  });
});
