/**
 * Renders a prediction and its explanation (explain-flow.ts) as text: one line for reports
 * (the JSON `reason`) and several for `explain` and the HTML report. Rules, peers and ports
 * are numbered as a reader counts them (rule 1 is the first entry of the list) and located
 * as `file:line` where the policy was written. Rendering only: verdicts are `predict`'s.
 */
import { assertNever } from '../assert-never.js';
import { formatRulePort } from '../policy/match-port.js';
import { formatSelector } from '../policy/selector.js';
import type { PolicyKey } from '../policy/types.js';
import type { Probe } from '../probe/types.js';
import type { ClusterState, Excerpt, PolicySource } from '../scenario/types.js';
import type { CompiledState } from './compile-state.js';
import { explainProbe, type FlowExplanation, type PeerMiss, type PolicyMiss, type PortCheck, type ProbeExplanation, type RuleCheck, type SideExplanation } from './explain-flow.js';
import type { Prediction } from './types.js';

/** Where each policy of a state was written, by key (empty for policies built in code). */
export type PolicySources = ReadonlyMap<PolicyKey, PolicySource>;

/** The sources of the policies in force in `state`. */
function policySources(state: ClusterState): PolicySources {
  const out = new Map<PolicyKey, PolicySource>();
  for (const m of state.policies) if (m.source) out.set(m.key, m.source);
  return out;
}

const DNS_NAME = 'the cluster DNS';

/** Why a pod's traffic to itself is allowed on an isolated side (the Kubernetes documentation's words). */
const SELF_TEXT = 'a pod cannot block access to itself';

/** Why a rule of the other direction decides a side (CompileOptions `crossDirectionRules`). */
const ACROSS_TEXT = 'this CNI profile runs every policy selecting a pod in both directions';

/** Why a named port is resolved in the policy's namespace (CompileOptions `egressNamedPortsByPolicyNamespace`). */
const IN_NAMESPACE_TEXT = 'this CNI profile resolves a named port of an egress rule without `to` in the policy\'s namespace and opens it to every destination';

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

/** `a.yaml:9` */
function location(excerpt: Excerpt | undefined): string {
  return excerpt ? `${excerpt.file}:${excerpt.line}` : '';
}

function ruleExcerpt(check: Pick<RuleCheck, 'policy' | 'direction' | 'rule'>, sources: PolicySources): Excerpt | undefined {
  return sources.get(check.policy)?.[check.direction][check.rule];
}

/** `rule 2 (manifests/allow.yaml:14)`: 1-based, located when the source is known. */
function formatRuleOfPolicy(check: Pick<RuleCheck, 'policy' | 'direction' | 'rule'>, sources: PolicySources): string {
  const where = location(ruleExcerpt(check, sources));
  return `rule ${check.rule + 1}${where ? ` (${where})` : ''}`;
}

/** `x/allow rule 2 (manifests/allow.yaml:14)`: 1-based, located when the source is known. */
function formatRule(check: Pick<RuleCheck, 'policy' | 'direction' | 'rule'>, sources: PolicySources): string {
  return `${check.policy} ${formatRuleOfPolicy(check, sources)}`;
}

/** `ingress rule 1 of x/in (a.yaml:9)`: a rule deciding the side of the other direction. */
function formatCrossRule(check: Pick<RuleCheck, 'policy' | 'direction' | 'rule'>, sources: PolicySources): string {
  const where = location(ruleExcerpt(check, sources));
  return `${check.direction} rule ${check.rule + 1} of ${check.policy}${where ? ` (${where})` : ''}`;
}

/** `x/in selects both x/b and x/a`: why a rule of the other direction may decide the side. */
function selectsBoth(check: RuleCheck, side: SideExplanation): string {
  const [source, destination] = side.verdict.direction === 'egress' ? [side.pod, side.other] : [side.other, side.pod];
  return `${check.policy} selects both ${source} and ${destination}`;
}

/** `lacks team=ops` or `has tier=db, needs tier in (web)`. */
function unmetText(miss: Extract<PeerMiss, { unmet: unknown }>): string {
  return miss.unmet.map((u) => (u.actual === undefined ? `lacks ${u.wanted}` : `has ${u.key}=${u.actual}, needs ${u.wanted}`)).join(' and ');
}

/** One failing part of a peer, as a clause. */
function formatPeerMiss(miss: PeerMiss): string {
  switch (miss.kind) {
    case 'policy-namespace':
      return `${miss.pod} is in namespace ${miss.actual}, but a podSelector alone selects in the policy's namespace ${miss.wanted}`;
    case 'namespace-labels':
      return `namespace ${miss.namespace} ${unmetText(miss)}`;
    case 'pod-labels':
      return `pod ${miss.pod} ${unmetText(miss)}`;
    case 'not-a-pod':
      return `${miss.ip} is outside the cluster, and selectors match pods only`;
    case 'outside-cidr':
      return `${miss.ip} is outside ipBlock ${miss.cidr}`;
    case 'in-except':
      return `${miss.ip} is in ipBlock ${miss.cidr} but in its except ${miss.except}`;
    case 'ip-block-ignores-pods':
      return `ipBlock ${miss.cidr} does not match pods under this CNI profile`;
    case 'no-address':
      return `no address to compare with ipBlock ${miss.cidr}`;
    default:
      return assertNever(miss, 'peer miss');
  }
}

/** A port entry as written, a named one with what it resolves to: `http (80/TCP on x/b)`. */
function formatPortCheck(check: PortCheck, destination: string): string {
  const written = formatRulePort(check.port);
  if (typeof check.port.port !== 'string') return written;
  const ns = check.inNamespace;
  if (ns) {
    const numbers = ns.numbers.map((n) => `${n}/${check.port.protocol}`);
    const found = numbers.length === 0 ? `no pod of namespace ${ns.namespace} serves it` : `= ${numbers.length === 1 ? numbers[0]! : `${numbers.slice(0, -1).join(', ')} or ${numbers.at(-1)!}`} in namespace ${ns.namespace}`;
    return `${written} (${found}: ${IN_NAMESPACE_TEXT})`;
  }
  if (check.resolved !== undefined) return `${written} (= ${check.resolved}/${check.port.protocol} on ${destination})`;
  return check.miss?.kind === 'name-not-a-pod' ? `${written} (a named port; the destination is not a pod)` : `${written} (${destination} serves no such port)`;
}

function portClause(check: RuleCheck, flowPort: string, destination: string): string {
  const ports = check.ports ?? [];
  const list = ports.map((p) => formatPortCheck(p, destination));
  return `${flowPort} is not ${list.length === 1 ? list[0]! : `among ${list.join(', ')}`}`;
}

/** What fails in a rule, as clauses: the closest peer's misses, then the port. */
function missClauses(check: RuleCheck, flowPort: string, destination: string): string[] {
  const out = (check.peer?.misses ?? []).map(formatPeerMiss);
  if (check.portMissed) out.push(portClause(check, flowPort, destination));
  return out;
}

/** `1`, `1 and 2`, `1, 2 and 3`. */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

function portText(probe: Probe): string {
  return `${probe.port}/${probe.protocol}`;
}

/** The destination pod of one side (named ports resolve there). */
function destinationOf(side: SideExplanation): string {
  return side.verdict.direction === 'egress' ? side.other : side.pod;
}

/** The closest rule over every isolating policy of a denied side (fewest misses, first on a tie). */
function closestOverall(misses: readonly PolicyMiss[]): RuleCheck | undefined {
  let best: RuleCheck | undefined;
  for (const m of misses) {
    const first = m.closest[0];
    if (first && (!best || first.misses < best.misses)) best = first;
  }
  return best;
}

// ---------------------------------------------------------------- one line

function sideClause(side: SideExplanation, flowPort: string, sources: PolicySources): string {
  const v = side.verdict;
  if (v.outside) return `no egress side (${side.pod} is outside the cluster)`;
  if (v.isolatedBy.length === 0) return v.allowed ? `${v.direction} not isolated` : `${v.direction} of ${side.pod}: no DNS pod to reach`;
  if (side.allowedBy) {
    const by = side.allowedBy;
    const named = by.ports?.find((p) => !p.miss && typeof p.port.port === 'string');
    const port = named ? `, port ${formatPortCheck(named, destinationOf(side))}` : '';
    if (by.crossDirection) return `${v.direction} by ${formatCrossRule(by, sources)}${port}: ${ACROSS_TEXT}, and ${selectsBoth(by, side)}`;
    return `${v.direction} by ${formatRule(by, sources)}${port}`;
  }
  if (v.allowed) return `${v.direction}: ${SELF_TEXT}`;
  const misses = side.misses ?? [];
  const closest = closestOverall(misses);
  const head = `${v.direction} of ${side.pod} isolated by`;
  if (!closest) return `${head} ${v.isolatedBy.join(', ')}, which ${v.isolatedBy.length === 1 ? 'has' : 'have'} no ${v.direction} rules`;
  const policies = misses.map((m) => (m.closest.length > 0 ? m.policy : `${m.policy} (no ${v.direction} rules)`));
  return `${head} ${policies.join(', ')}; closest: ${formatRule(closest, sources)}: ${missClauses(closest, flowPort, destinationOf(side)).join('; ')}`;
}

function flowClauses(flow: FlowExplanation, flowPort: string, sources: PolicySources, deniedOnly: boolean): string[] {
  const sides = [flow.egress, ...(flow.ingress ? [flow.ingress] : [])];
  return sides.filter((s) => !deniedOnly || !s.verdict.allowed).map((s) => sideClause(s, flowPort, sources));
}

/**
 * One line, used as the JSON `reason`. Examples:
 * `allowed: egress not isolated; ingress by demo/allow-web rule 1 (allow.yaml:9)`,
 * `denied: ingress of demo/web isolated by demo/allow-ops; closest: demo/allow-ops rule 1 (allow.yaml:9): namespace default lacks team=ops`,
 * `denied: DNS lookup blocked: egress of demo/a isolated by demo/deny-all (no egress rules), which allow nothing`.
 */
export function describeExplanation(explanation: ProbeExplanation, probe: Probe, sources: PolicySources): string {
  const { flow, dns } = explanation;
  if (probe.to.kind === 'dns') {
    const over = portText(probe);
    const kind = probe.protocol === 'TCP' ? 'DNS lookup over TCP' : 'DNS lookup';
    if (flow.allowed) return `allowed: ${kind}: ${flowClauses(flow, over, sources, false).join('; ')}`;
    return `denied: ${kind} blocked: ${flowClauses(flow, over, sources, true).join('; ')}`;
  }
  const flowPort = portText(probe);
  if (flow.allowed && (dns?.allowed ?? true)) {
    const tail = flow.ingress ? '' : '; no ingress side (not a pod)';
    return `allowed: ${flowClauses(flow, flowPort, sources, false).join('; ')}${tail}${dns ? '; DNS lookup allowed' : ''}`;
  }
  const parts = flow.allowed ? [] : flowClauses(flow, flowPort, sources, true);
  if (dns && !dns.allowed) parts.push(`DNS lookup blocked: ${flowClauses(dns, '53/UDP', sources, true).join('; ')}`);
  return `denied: ${parts.join('; ')}`;
}

// ---------------------------------------------------------------- several lines

/** The excerpt with its line numbers: `  9 │ - from:`. */
function quoteLines(excerpt: Excerpt): string[] {
  const lines = excerpt.text.split('\n');
  const width = String(excerpt.line + lines.length - 1).length;
  return lines.map((l, i) => `${String(excerpt.line + i).padStart(width)} │ ${l}`.trimEnd());
}

function peerLine(check: RuleCheck, word: 'from' | 'to'): string | undefined {
  const every = word === 'from' ? 'every source (the rule has no `from`)' : 'every destination (the rule has no `to`)';
  if (!check.peer) return `${word}: ${every}`;
  const peer = check.peer;
  const which = check.peerCount === 1 ? 'its peer' : `peer ${peer.index + 1} of ${check.peerCount}`;
  const selectors = [
    peer.peer.namespaceSelector ? `namespaceSelector ${formatSelector(peer.peer.namespaceSelector)}` : undefined,
    peer.peer.podSelector ? `podSelector ${formatSelector(peer.peer.podSelector)}` : undefined,
    peer.peer.ipBlock ? `ipBlock ${peer.peer.ipBlock.cidr}${peer.peer.ipBlock.except?.length ? ` except ${peer.peer.ipBlock.except.join(', ')}` : ''}` : undefined,
  ].filter((s) => s !== undefined);
  const what = `${which} (${selectors.join(' AND ')})`;
  if (peer.misses.length === 0) return `${word}: ${what} matches`;
  const closest = check.peerCount > 1 ? `none matches; closest is ${what}` : `${what} does not match`;
  return `${word}: ${closest}: ${peer.misses.map(formatPeerMiss).join('; ')}`;
}

function portsLine(check: RuleCheck, flowPort: string, destination: string): string {
  if (!check.ports) return 'ports: every port (the rule has no `ports`)';
  if (check.portMissed) return `ports: ${portClause(check, flowPort, destination)}`;
  const hit = check.ports.find((p) => !p.miss)!;
  return `ports: ${flowPort} matches ${formatPortCheck(hit, destination)}`;
}

function ruleLines(check: RuleCheck, head: string, flowPort: string, destination: string, sources: PolicySources): string[] {
  const excerpt = ruleExcerpt(check, sources);
  const lines = [head, ...(excerpt ? quoteLines(excerpt).map((l) => `  ${l}`) : [])];
  lines.push(`  ${peerLine(check, check.direction === 'ingress' ? 'from' : 'to')}`, `  ${portsLine(check, flowPort, destination)}`);
  return lines;
}

function sideLines(side: SideExplanation, flowPort: string, sources: PolicySources): string[] {
  const v = side.verdict;
  if (v.outside) return [`${side.pod} is outside the cluster: no egress side, no policy of the cluster applies there`];
  const head = `${v.direction} of ${side.pod}: `;
  const type = v.direction === 'egress' ? 'Egress' : 'Ingress';
  if (v.isolatedBy.length === 0) {
    return v.allowed ? [`${head}not isolated (no policy selects it for ${type}): allowed`] : [`${head}no DNS pod to reach: denied`];
  }
  const lines = [`${head}isolated by ${v.isolatedBy.join(', ')}: ${v.allowed ? 'allowed' : 'DENIED'}`];
  const destination = destinationOf(side);
  if (side.allowedBy) {
    const by = side.allowedBy;
    const head = by.crossDirection ? `allowed by ${formatCrossRule(by, sources)}, as ${ACROSS_TEXT} (${selectsBoth(by, side)}):` : `allowed by ${formatRule(by, sources)}:`;
    lines.push(...ruleLines(by, head, flowPort, destination, sources).map((l) => `  ${l}`));
    return lines;
  }
  if (v.allowed) {
    lines.push(`  allowed: ${SELF_TEXT}`);
    return lines;
  }
  for (const miss of side.misses ?? []) {
    const [first, ...tied] = miss.closest;
    if (!first) {
      const where = location(sources.get(miss.policy)?.policy);
      lines.push(`  ${miss.policy}${where ? ` (${where})` : ''} has no ${v.direction} rules: it allows nothing`);
      continue;
    }
    const parts = first.misses === 1 ? 'one part' : `${first.misses} parts`;
    const head2 =
      tied.length === 0
        ? `${miss.policy}: closest is ${formatRuleOfPolicy(first, sources)}, which fails on ${parts}:`
        : `${miss.policy}: closest are rules ${listWords(miss.closest.map((c) => String(c.rule + 1)))}, which fail on ${parts} each:`;
    lines.push(`  ${head2}`);
    for (const check of miss.closest) {
      const head3 = tied.length === 0 ? undefined : `${formatRuleOfPolicy(check, sources)}:`;
      const body = ruleLines(check, head3 ?? '', flowPort, destination, sources);
      lines.push(...(head3 ? body : body.slice(1)).map((l) => `  ${tied.length === 0 ? '' : '  '}${l}`));
    }
  }
  return lines;
}

function flowLines(flow: FlowExplanation, flowPort: string, target: string, sources: PolicySources): string[] {
  const lines = sideLines(flow.egress, flowPort, sources);
  if (flow.ingress) lines.push(...sideLines(flow.ingress, flowPort, sources));
  else if (flow.dnsPod === undefined && target !== DNS_NAME) lines.push(`${target} is not a pod: no ingress side`);
  return lines;
}

function verdictLine(prediction: Prediction, probe: Probe): string {
  if (prediction.allowed) return probe.fromExternal ? 'verdict: allowed (ingress allows it)' : 'verdict: allowed (egress and ingress allow it)';
  switch (prediction.blocker) {
    case 'egress':
      return `verdict: denied at the egress of ${probe.from}`;
    case 'ingress':
      return `verdict: denied at the ingress of ${targetName(probe)}`;
    case 'dns':
      return 'verdict: denied: the name does not resolve, although the connection itself would be allowed';
    case undefined:
      return 'verdict: denied';
    default:
      return assertNever(prediction.blocker, 'blocker');
  }
}

/** How the probe reaches its target, in words. */
function addressingText(probe: Probe): string {
  switch (probe.addressing) {
    case 'service-name':
      return 'by Service name';
    case 'service-ip':
      return 'by Service IP';
    case 'pod-ip':
      return 'by pod IP';
    case 'external-ip':
      return 'by IP';
    case 'dns-lookup':
      return 'a DNS lookup';
    default:
      return assertNever(probe.addressing, 'addressing');
  }
}

/**
 * Several lines for `explain` and the HTML report: the flow and its verdict, each side
 * (isolating policies; the admitting rule quoted; or per policy its closest rule quoted with
 * what fails), the DNS lookup a probe by Service name needs, and the side that decides.
 */
export function renderExplanation(explanation: ProbeExplanation, prediction: Prediction, probe: Probe, sources: PolicySources): string[] {
  const target = targetName(probe);
  const source = probe.fromExternal ? `${probe.fromExternal.name} (${probe.fromExternal.ip}, outside the cluster)` : probe.from;
  const lines = [`${source} -> ${target} ${portText(probe)} (${addressingText(probe)}): ${prediction.allowed ? 'ALLOWED' : 'DENIED'}`];
  const indent = (l: string): string => `  ${l}`;
  if (probe.to.kind === 'dns') {
    const pod = explanation.flow.dnsPod;
    const over = probe.protocol === 'TCP' ? ' over TCP' : '';
    lines.push(indent(`a lookup of a Service name${over}: ${probe.from} must reach ${pod ? `a DNS pod (${pod})` : 'a DNS pod'} on ${portText(probe)}, and that pod must admit it`));
    lines.push(...flowLines(explanation.flow, portText(probe), DNS_NAME, sources).map(indent));
  } else {
    lines.push(...flowLines(explanation.flow, portText(probe), target, sources).map(indent));
    const dns = explanation.dns;
    if (dns) {
      const pod = dns.dnsPod ? ` (${dns.dnsPod})` : '';
      lines.push(indent(`DNS: ${probe.from} reaches ${target} by its Service name, so it must first look the name up: egress to a DNS pod${pod} on 53/UDP and that pod's ingress: ${dns.allowed ? 'allowed' : 'BLOCKED'}`));
      lines.push(...flowLines(dns, '53/UDP', DNS_NAME, sources).map((l) => indent(indent(l))));
    }
  }
  lines.push(indent(verdictLine(prediction, probe)));
  return lines;
}

/** `describe` and `explain` for the reports of one step, over its compiled state. */
export interface Explainers {
  /** One line: the JSON `reason`. */
  readonly describe: (prediction: Prediction, probe: Probe) => string;
  /** Several lines: what `explain` prints and the HTML report shows on click. */
  readonly explain: (prediction: Prediction, probe: Probe) => readonly string[];
}

/**
 * The explainers of one step: `compiled` is the step's compiled `state`. A report asks for the
 * reason and then the explanation of the same probe, so the last explanation is kept.
 */
export function explainers(compiled: CompiledState, state: ClusterState): Explainers {
  const sources = policySources(state);
  let last: { prediction: Prediction; probe: Probe; explanation: ProbeExplanation } | undefined;
  const explanationOf = (prediction: Prediction, probe: Probe): ProbeExplanation => {
    if (last?.prediction !== prediction || last.probe !== probe) last = { prediction, probe, explanation: explainProbe(compiled, probe, prediction) };
    return last.explanation;
  };
  return {
    describe: (prediction, probe) => describeExplanation(explanationOf(prediction, probe), probe, sources),
    explain: (prediction, probe) => renderExplanation(explanationOf(prediction, probe), prediction, probe, sources),
  };
}
