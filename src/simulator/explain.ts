/**
 * Renders a Prediction's structured reason as text: one line for reports (the JSON `reason`)
 * and several for the `explain` command. Rendering only: nothing is recomputed here.
 */
import { assertNever } from '../assert-never.js';
import type { Probe } from '../probe/types.js';
import type { AllowingRule, DirectionVerdict, FlowVerdict, Prediction } from './types.js';

const DNS_NAME = 'the cluster DNS';

function targetName(probe: Probe): string {
  switch (probe.to.kind) {
    case 'workload':
      return probe.to.ref;
    case 'external':
      return `${probe.to.name} (${probe.to.ip})`;
    case 'dns':
      return DNS_NAME;
    default:
      return assertNever(probe.to, 'probe target');
  }
}

/**
 * `netpol-demo/allow rule 0 (peer 1, port 0)` (with `direction`: `... egress rule 0 ...`);
 * "all peers"/"all ports" when the rule has no from/to or no ports. Indexes are 0-based.
 */
export function formatAllowingRule(rule: AllowingRule, direction?: 'egress' | 'ingress'): string {
  const peer = rule.peer === undefined ? 'all peers' : `peer ${rule.peer}`;
  const port = rule.port === undefined ? 'all ports' : `port ${rule.port}`;
  return `${rule.policy} ${direction ? `${direction} ` : ''}rule ${rule.rule} (${peer}, ${port})`;
}

/** "allowed" clause of one side: `egress by <rule>` or `egress not isolated`. */
function allowedClause(v: DirectionVerdict): string {
  if (v.self === true && !v.allowedBy && v.isolatedBy.length > 0) return `${v.direction}: a pod cannot block access to itself`;
  return v.allowedBy ? `${v.direction} by ${formatAllowingRule(v.allowedBy)}` : `${v.direction} not isolated`;
}

/** "denied" clause: `egress of A isolated by p, q, no rule allows B on 80/TCP`. */
function deniedClause(v: DirectionVerdict, self: string, other: string, portText: string): string {
  if (v.isolatedBy.length === 0) return `${v.direction} of ${self}: no DNS pod to reach`;
  const rest = v.direction === 'egress' ? `no rule allows ${portText} to ${other}` : `no rule allows ${other} on ${portText}`;
  return `${v.direction} of ${self} isolated by ${v.isolatedBy.join(', ')}, ${rest}`;
}

function flowClauses(flow: FlowVerdict, source: string, target: string, portText: string): string[] {
  const out: string[] = [];
  const ingress = flow.ingress;
  if (!flow.egress.allowed) out.push(deniedClause(flow.egress, source, target, portText));
  if (ingress && !ingress.allowed) out.push(deniedClause(ingress, target, source, portText));
  return out;
}

function allowedFlowText(flow: FlowVerdict): string {
  return flow.ingress ? `${allowedClause(flow.egress)}; ${allowedClause(flow.ingress)}` : `${allowedClause(flow.egress)}; no ingress side (not a pod)`;
}

/**
 * One line, used as the JSON `reason`. Examples:
 * `allowed: egress by ns/allow rule 0 (peer 1, port 0); ingress not isolated`,
 * `denied: ingress of ns/backend isolated by ns/deny-all, no rule allows ns/frontend on 80/TCP`,
 * `denied: DNS lookup blocked: egress of ns/frontend isolated by ns/deny-all, no rule allows 53/UDP to the cluster DNS`.
 */
export function describePrediction(prediction: Prediction, probe: Probe): string {
  const source = probe.from;
  const portText = `${probe.port}/${probe.protocol}`;
  const dnsPort = '53/UDP';
  if (probe.to.kind === 'dns') {
    if (prediction.flow.allowed) return `allowed: DNS lookup: ${allowedFlowText(prediction.flow)}`;
    return `denied: DNS lookup blocked: ${flowClauses(prediction.flow, source, DNS_NAME, dnsPort).join('; ')}`;
  }
  const target = targetName(probe);
  const dns = prediction.dns;
  if (prediction.allowed) {
    return `allowed: ${allowedFlowText(prediction.flow)}${dns ? '; DNS lookup allowed' : ''}`;
  }
  const parts = flowClauses(prediction.flow, source, target, portText);
  if (dns && !dns.allowed) parts.push(`DNS lookup blocked: ${flowClauses(dns, source, DNS_NAME, dnsPort).join('; ')}`);
  return `denied: ${parts.join('; ')}`;
}

function directionLines(v: DirectionVerdict, self: string, other: string, portText: string): string[] {
  const head = `${v.direction} of ${self}: `;
  if (v.isolatedBy.length === 0) {
    return v.allowed ? [`${head}not isolated (no policy selects it with ${v.direction === 'egress' ? 'Egress' : 'Ingress'}): allowed`] : [`${head}no DNS pod to reach: denied`];
  }
  const lines = [`${head}isolated by ${v.isolatedBy.join(', ')}`];
  if (v.self === true && !v.allowedBy) lines.push('  allowed: a pod cannot block access to itself');
  else if (v.allowedBy) lines.push(`  allowed by ${formatAllowingRule(v.allowedBy, v.direction)}`);
  else lines.push(`  denied: no rule of these policies allows ${v.direction === 'egress' ? `${portText} to ${other}` : `${other} on ${portText}`}`);
  return lines;
}

function flowLines(flow: FlowVerdict, source: string, target: string, portText: string): string[] {
  const lines = directionLines(flow.egress, source, target, portText);
  if (flow.ingress) lines.push(...directionLines(flow.ingress, target, source, portText));
  else lines.push(`${target} is not a pod: no ingress side`);
  return lines;
}

/**
 * Several lines for `explain`: the verdict, the policies isolating each side, the rule that
 * allowed each side or that none does, and the DNS dependency of Service-name probes.
 */
export function renderExplanation(prediction: Prediction, probe: Probe): string {
  const portText = `${probe.port}/${probe.protocol}`;
  const target = targetName(probe);
  const lines: string[] = [`${probe.from} -> ${target} ${portText} (${probe.addressing}): ${prediction.allowed ? 'ALLOWED' : 'DENIED'}`];
  const indent = (l: string): string => `  ${l}`;
  if (probe.to.kind === 'dns') {
    lines.push(indent(`a lookup of a Service name: ${probe.from} must reach a DNS pod on 53/UDP (DESIGN rule 11)`));
    lines.push(...flowLines(prediction.flow, probe.from, DNS_NAME, '53/UDP').map(indent));
  } else {
    lines.push(...flowLines(prediction.flow, probe.from, target, portText).map(indent));
    if (prediction.dns) {
      lines.push(indent(`addressed by Service name: the lookup needs 53/UDP to a DNS pod (DESIGN rule 11): ${prediction.dns.allowed ? 'allowed' : 'BLOCKED'}`));
      lines.push(...flowLines(prediction.dns, probe.from, DNS_NAME, '53/UDP').map((l) => indent(indent(l))));
    }
  }
  if (prediction.blocker) {
    const why = prediction.blocker === 'dns' ? 'the DNS lookup fails although the connection itself would be allowed' : `the ${prediction.blocker} side denies it`;
    lines.push(indent(`verdict: denied because ${why}`));
  }
  return lines.join('\n');
}
