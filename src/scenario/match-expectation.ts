/**
 * Which `expect` entry asserts a probe (SCENARIO-FORMAT.md, "Expectations"): entries are read
 * in order and the last one that matches wins; a probe no entry matches is not asserted.
 */
import { assertNever } from '../assert-never.js';
import type { Probe, ProbeTarget, SourceName } from '../probe/types.js';
import type { Expectation, Scenario, SourcePattern, TargetPattern, WorkloadRef } from './types.js';

/**
 * The expectation that decides `probe`: the LAST entry of `expectations` whose source,
 * target, port and protocol all match, or undefined when none does (the probe is then
 * reported but not asserted).
 *
 * - source `*` is every workload, `<ns>/*` every workload of that namespace; an external
 *   client is matched by its name only;
 * - target `*` is every workload and every external, never `dns`; `<ns>/*` the workloads of
 *   that namespace; a workload, an external or `dns` only itself;
 * - a numeric port matches the probe's port (the pod port) or the Service port it dials; a
 *   port name matches the name the target gives the probed port (a workload's or an
 *   external's served port; `dns` has no names) or the Service port's name;
 * - a protocol filter matches the probe's protocol; with no port, every port matches.
 *
 * `scenario` supplies the externals' port names (a probe to an external carries none).
 */
export function expectationFor(expectations: readonly Expectation[], probe: Probe, scenario: Scenario): Expectation | undefined {
  for (let i = expectations.length - 1; i >= 0; i -= 1) {
    const entry = expectations[i]!;
    if (matchesSource(entry.from, probe) && matchesTarget(entry.to, probe, scenario)) return entry;
  }
  return undefined;
}

/** The namespace part of `<ns>/<name>` (namespace names are DNS-1123 labels: no `/`). */
function namespaceOf(ref: WorkloadRef | SourceName): string {
  return ref.slice(0, ref.indexOf('/'));
}

function matchesSource(pattern: SourcePattern, probe: Probe): boolean {
  const external = probe.fromExternal;
  switch (pattern.kind) {
    case 'all':
      return external === undefined;
    case 'namespace':
      return external === undefined && namespaceOf(probe.from) === pattern.namespace;
    case 'workload':
      return external === undefined && pattern.ref === probe.from;
    case 'external':
      return external?.name === pattern.name;
    default:
      return assertNever(pattern, 'source pattern');
  }
}

function matchesTarget(pattern: TargetPattern, probe: Probe, scenario: Scenario): boolean {
  if (!matchesTargetName(pattern.target, probe.to)) return false;
  if (pattern.protocol !== undefined && pattern.protocol !== probe.protocol) return false;
  if (pattern.port === undefined) return true;
  // A port of a Service in front of the pod names the probe as well as the pod port does.
  if (typeof pattern.port === 'number') return pattern.port === probe.port || pattern.port === probe.service?.port;
  return portNameOf(probe, scenario) === pattern.port || probe.service?.portName === pattern.port;
}

function matchesTargetName(target: TargetPattern['target'], to: ProbeTarget): boolean {
  switch (target.kind) {
    case 'all':
      // SCENARIO-FORMAT: `*` as a target never covers `dns`.
      return to.kind !== 'dns';
    case 'namespace':
      return to.kind === 'workload' && namespaceOf(to.ref) === target.namespace;
    case 'workload':
      return to.kind === 'workload' && to.ref === target.ref;
    case 'external':
      return to.kind === 'external' && to.name === target.name;
    case 'dns':
      return to.kind === 'dns';
    default:
      return assertNever(target, 'target pattern');
  }
}

/** The name the target gives the probed port, if any. */
function portNameOf(probe: Probe, scenario: Scenario): string | undefined {
  const to = probe.to;
  switch (to.kind) {
    case 'workload':
      return to.portName;
    case 'external':
      return scenario.externals
        .find((e) => e.name === to.name)
        ?.ports.find((p) => p.port === probe.port && p.protocol === probe.protocol)?.name;
    case 'dns':
      return undefined;
    default:
      return assertNever(to, 'probe target');
  }
}
