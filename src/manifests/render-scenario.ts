/**
 * `scan --out FILE`: the scenario that runs an application's reachability for real. Its
 * workloads are stand-ins with the application's labels, ports and Services; its one step
 * applies the application's policies by `file:` reference (`skipOtherKinds: true`, so the
 * manifests stay the single source), or inline when they came from standard input; its
 * expectations are the predicted matrix. Pure: text out.
 */
import { stringify } from 'yaml';
import { SCENARIO_API_VERSION, SCENARIO_KIND } from '../scenario/schema.js';
import { NAMESPACE_NAME_LABEL, type ServiceSpec, type WorkloadSpec } from '../scenario/types.js';
import { APP_STEP_NAME } from './model-scenario.js';
import type { AppModel } from './types.js';

export interface ScenarioTextOptions {
  /** metadata.name (a DNS-1123 label). */
  readonly name: string;
  /** One line for metadata.description. */
  readonly description: string;
  /** How the scenario refers to a manifest file (relative to the scenario), or undefined to write its policies inline (standard input). */
  readonly fileRef: (file: string) => string | undefined;
  /** The namespace objects without one were given (`--namespace`). */
  readonly defaultNamespace: string;
  /** The `expect` entries of the step. */
  readonly expect: readonly string[];
}

/** A value in YAML flow style on one line: `{app: cart}`, `[{port: 80}]`. */
function flow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

function workloadLines(w: WorkloadSpec): string[] {
  const lines = [`    - name: ${flow(w.name)}`, `      namespace: ${flow(w.namespace)}`, `      labels: ${flow(w.labels)}`];
  const ports = w.ports.map((p) => ({ port: p.port, ...(p.protocol === 'TCP' ? {} : { protocol: p.protocol }), ...(p.name === undefined ? {} : { name: p.name }) }));
  lines.push(`      ports: ${flow(ports)}`);
  const services = w.services ?? [];
  if (services.length === 0) lines.push('      services: []');
  else lines.push('      services:', ...services.map((s) => `        - ${flow(serviceValue(s))}`));
  return lines;
}

function serviceValue(s: ServiceSpec): unknown {
  return {
    name: s.name,
    ports: s.ports.map((p) => ({
      ...(p.name === undefined ? {} : { name: p.name }),
      port: p.port,
      targetPort: p.targetPortName ?? p.targetPort,
      ...(p.protocol === 'TCP' ? {} : { protocol: p.protocol }),
    })),
  };
}

/** The scenario file's text. */
export function renderAppScenario(model: AppModel, options: ScenarioTextOptions): string {
  const namespaces = model.namespaces.map((ns) => {
    const labels = Object.fromEntries(Object.entries(ns.labels).filter(([k]) => k !== NAMESPACE_NAME_LABEL));
    return Object.keys(labels).length === 0 ? { name: ns.name } : { name: ns.name, labels };
  });
  const declared = new Set(model.namespaces.map((n) => n.name));
  const apply: string[] = [];
  for (const file of model.policyFiles) {
    const ref = options.fileRef(file);
    if (ref === undefined) {
      for (const p of model.policies.filter((m) => m.origin.file === file)) apply.push(`        - ${flow(p.policy)}`);
    } else {
      const namespace = declared.has(options.defaultNamespace) ? { namespace: options.defaultNamespace } : {};
      apply.push(`        - ${flow({ file: ref, ...namespace, skipOtherKinds: true })}`);
    }
  }
  return [
    '# Written by `netpol-harness scan --out`: stand-in workloads with the application\'s labels, ports and',
    '# Services; the application\'s own policies; the predicted matrix as expectations.',
    `apiVersion: ${SCENARIO_API_VERSION}`,
    `kind: ${SCENARIO_KIND}`,
    `metadata: ${flow({ name: options.name, description: options.description })}`,
    'spec:',
    `  namespaces: ${flow(namespaces)}`,
    '  workloads:',
    ...model.workloads.flatMap((w) => workloadLines(w.spec)),
    '  steps:',
    `    - name: ${flow(APP_STEP_NAME)}`,
    ...(apply.length > 0 ? ['      apply:', ...apply] : []),
    ...(options.expect.length > 0 ? ['      expect:', ...options.expect.map((e) => `        - ${flow(e)}`)] : []),
    '',
  ].join('\n');
}
