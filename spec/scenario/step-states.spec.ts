import { expect } from 'chai';
import { toPolicyKey, type NetworkPolicy } from '../../src/policy/types.js';
import { mergeLabels, stepStates } from '../../src/scenario/step-states.js';
import type { LabelChange, PolicyManifest, Scenario, Step } from '../../src/scenario/types.js';
import { toWorkloadRef } from '../../src/scenario/types.js';
import { scenario, settings, workload } from '../fixtures/build-scenario.js';

const ORIGIN = { file: 's.yaml', range: [0, 0] as const };

function manifest(key: string, version = 1): PolicyManifest {
  const [namespace, name] = key.split('/') as [string, string];
  const policy: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels: { v: String(version) } }, spec: { podSelector: {} } };
  return { key: toPolicyKey(namespace, name), policy, origin: ORIGIN };
}

function step(index: number, parts: { delete?: string[]; apply?: PolicyManifest[]; label?: LabelChange[] }): Step {
  return { index, name: `s${index}`, delete: (parts.delete ?? []).map((k) => k as ReturnType<typeof toPolicyKey>), apply: parts.apply ?? [], label: parts.label ?? [], probe: settings(), expect: [] };
}

describe('scenario/step-states', () => {
  const base = scenario({ workloads: [workload('d/web', [80]), workload('d/db', [5432])] });
  const steps: Step[] = [
    step(0, {}),
    step(1, { apply: [manifest('d/z'), manifest('d/a')] }),
    step(2, { delete: ['d/z'], apply: [manifest('d/z', 2), manifest('d/a', 2)], label: [{ kind: 'namespace', namespace: 'd', labels: { stage: 'prod' }, origin: ORIGIN }] }),
    step(3, { delete: ['d/a'], label: [{ kind: 'workload', workload: toWorkloadRef('d', 'web'), labels: { app: null, tier: 'web' }, origin: ORIGIN }] }),
  ];
  const states = stepStates({ ...base, steps } satisfies Scenario);
  const summary = states.map((s) => s.policies.map((p) => `${p.key}@${p.policy.metadata.labels?.['v']}`));

  it('one state per step, cumulative, policies sorted by key', () => {
    expect(summary).to.deep.equal([[], ['d/a@1', 'd/z@1'], ['d/a@2', 'd/z@2'], ['d/z@2']]);
  });

  it('delete, then apply (same key replaces), then label', () => {
    expect(states[1]!.namespaces[0]!.labels).to.not.have.property('stage');
    expect(states[2]!.namespaces[0]!.labels).to.include({ stage: 'prod' });
    expect(states[3]!.workloads.find((w) => w.name === 'web')!.labels).to.deep.equal({ tier: 'web' });
    expect(states[2]!.workloads.find((w) => w.name === 'web')!.labels).to.deep.equal({ app: 'web' });
  });

  it('does not change the scenario', () => {
    expect(base.workloads[0]!.labels).to.deep.equal({ app: 'web' });
  });

  it('mergeLabels: null removes, others set', () => {
    expect(mergeLabels({ a: '1', b: '2' }, { a: null, c: '3' })).to.deep.equal({ b: '2', c: '3' });
  });
});
