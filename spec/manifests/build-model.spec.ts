/**
 * Manifests to the application model: one workload per pod template of every kind, init
 * containers as clients, native sidecars serving, host-network pods left out, Services with
 * their targetPorts resolved on the pod, namespaces defaulted, other kinds counted once.
 */
import { expect } from 'chai';
import { buildModel } from '../../src/manifests/build-model.js';
import type { AppModel } from '../../src/manifests/types.js';

const template = (labels: string, ports: string, extra = ''): string =>
  `template:\n    metadata: {labels: {${labels}}}\n    spec:\n      containers: [{name: c, image: x, ports: [${ports}]}]${extra}`;

const WEB = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  ${template('app: web', '{containerPort: 8080, name: http}')}`;

const MANIFESTS = [
  WEB,
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec:\n  ${template('app: db', '{containerPort: 5432}')}`,
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  ${template('app: agent', '{containerPort: 9100, name: metrics}')}`,
  `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: report}}\n        spec: {containers: [{name: c, image: x}]}`,
  `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  ${template('app: migrate', '', '\n      initContainers: [{name: wait, image: x, ports: [{containerPort: 1111}]}, {name: proxy, image: x, restartPolicy: Always, ports: [{containerPort: 15001, name: proxy}]}]')}`,
  `apiVersion: v1\nkind: Pod\nmetadata: {name: debug, labels: {app: debug}}\nspec: {containers: [{name: c, image: x}]}`,
  `apiVersion: v1\nkind: Pod\nmetadata: {name: node-exporter, labels: {app: ne}}\nspec: {hostNetwork: true, containers: [{name: c, image: x, ports: [{containerPort: 9100}]}]}`,
  `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  ${template('app: web-rs', '{containerPort: 80}')}`,
  'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}, {name: admin, port: 81, targetPort: 9090}, {name: gone, port: 82, targetPort: nope}]}}\n  - {apiVersion: v1, kind: Service, metadata: {name: ext}, spec: {type: ExternalName, externalName: example.com}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: everyone}\nspec: {selector: {}, ports: [{port: 1}]}',
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: data, labels: {tier: storage}}',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]',
].join('\n---\n');

function model(text: string, defaultNamespace = 'shop'): AppModel {
  const built = buildModel([{ name: 'app.yaml', text }], { defaultNamespace });
  if (!built.ok) throw new Error(JSON.stringify(built.diagnostics, null, 1));
  return built.model;
}

describe('manifests/build-model', () => {
  const m = model(MANIFESTS);
  const byName = (name: string) => m.workloads.find((w) => w.spec.name === name)?.spec;

  it('makes one workload per pod template, named after its controller, in its namespace or --namespace', () => {
    expect(m.workloads.map((w) => `${w.kind} ${w.spec.ref}`)).to.deep.equal([
      'StatefulSet data/db',
      'DaemonSet shop/agent',
      'Pod shop/debug',
      'Job shop/migrate',
      'CronJob shop/report',
      'Deployment shop/web',
      'ReplicaSet shop/web-replicaset',
    ]);
    expect(byName('db')!.labels).to.deep.equal({ app: 'db' });
  });

  it("serves every container port, and native sidecars' but not other init containers'", () => {
    expect(byName('agent')!.ports).to.deep.equal([{ port: 9100, protocol: 'TCP', name: 'metrics' }]);
    expect(byName('migrate')!.ports).to.deep.equal([{ port: 15001, protocol: 'TCP', name: 'proxy' }]);
    expect(byName('report')!.ports).to.deep.equal([]);
  });

  it('resolves each Service port on the pod: a named targetPort, an undeclared number (then served), an unknown name dropped', () => {
    const web = byName('web')!;
    expect(web.services).to.deep.equal([
      {
        ref: 'shop/web',
        namespace: 'shop',
        name: 'web',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, targetPortName: 'http' },
          { name: 'admin', port: 81, protocol: 'TCP', targetPort: 9090 },
        ],
      },
    ]);
    expect(web.ports).to.deep.equal([{ port: 8080, protocol: 'TCP', name: 'http' }, { port: 9090, protocol: 'TCP' }]);
    expect(byName('db')!.services).to.deep.equal([]);
  });

  it('says what it simplified, and counts the kinds it does not model once', () => {
    expect(m.notes.join('\n'))
      .to.contain('node-exporter uses the host network')
      .and.contain('targets the port name nope')
      .and.contain('ExternalName')
      .and.contain('shares its name with a Deployment')
      .and.contain('Service shop/everyone has no selector');
    expect(m.skipped).to.deep.equal([
      { kind: 'ConfigMap', count: 1, file: 'app.yaml' },
      { kind: 'Kustomization', count: 1, file: 'app.yaml' },
    ]);
  });

  it('has every namespace with its labels, declared or only named', () => {
    expect(m.namespaces).to.deep.equal([
      { name: 'data', labels: { tier: 'storage', 'kubernetes.io/metadata.name': 'data' } },
      { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
    ]);
  });

  it('puts a Service selecting several workloads in front of the first, and says so', () => {
    const canary = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-canary}\nspec:\n  ${template('app: web', '{containerPort: 8080, name: http}')}`;
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}';
    const two = model([WEB, canary, service].join('\n---\n'));
    expect(two.workloads.map((w) => [w.spec.name, (w.spec.services ?? []).map((s) => s.name)])).to.deep.equal([
      ['web', ['web']],
      ['web-canary', []],
    ]);
    expect(two.notes.join('\n')).to.contain('selects several workloads (shop/web, shop/web-canary)');
  });
});
