/**
 * The synthetic cluster of synthetic-cluster.ts as an application's manifests: a Namespace
 * per namespace (with its labels), a Deployment per workload (its labels, a named container
 * port), a Service per workload (every fourth one remaps port 80 to a container port 8080, as
 * real Services do), and the cluster's NetworkPolicies. One file per namespace, as a
 * `kubectl kustomize` or `helm template` output would be split.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { NAMESPACE_NAME_LABEL } from '../src/scenario/types.js';
import { syntheticCluster, type ClusterSize } from './synthetic-cluster.js';

/** Writes the manifests of a cluster of `size` into `dir`; returns the number of objects. */
export function writeSyntheticManifests(size: ClusterSize, dir: string, seed = 42): number {
  const { state } = syntheticCluster(size, seed);
  mkdirSync(dir, { recursive: true });
  let objects = 0;
  for (const ns of state.namespaces) {
    const docs: unknown[] = [];
    const labels = Object.fromEntries(Object.entries(ns.labels).filter(([k]) => k !== NAMESPACE_NAME_LABEL));
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels } });
    state.workloads
      .filter((w) => w.namespace === ns.name)
      .forEach((w, i) => {
        const remapped = i % 4 === 3;
        const containerPort = remapped ? 8080 : 80;
        docs.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: w.name, namespace: ns.name },
          spec: {
            selector: { matchLabels: { workload: w.name } },
            template: { metadata: { labels: { ...w.labels, workload: w.name } }, spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort }] }] } },
          },
        });
        docs.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: w.name, namespace: ns.name },
          spec: { selector: { workload: w.name }, ports: [{ name: 'http', port: 80, targetPort: remapped ? 'http' : 80 }] },
        });
      });
    for (const p of state.policies.filter((m) => m.policy.metadata.namespace === ns.name)) docs.push(p.policy);
    objects += docs.length;
    writeFileSync(join(dir, `${ns.name}.yaml`), docs.map((d) => stringify(d)).join('---\n'));
  }
  return objects;
}
