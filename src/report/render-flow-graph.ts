/**
 * The graph of a step's allowed flows as inline SVG, for the HTML report: every workload,
 * external and `dns` probed is a node on a circle; an arrow per source and target that a flow
 * went through (observed under `run`, predicted under `check`); a flow observed allowed
 * although predicted denied is a red dashed arrow. Drawn here, with no library. Pure and
 * deterministic; colours come from the page's CSS classes, so dark mode applies.
 */
import { escapeHtml } from './escape-html.js';
import { compareShown, compareTargetsShown, namesIn, targetKind, type TargetKind } from './display-names.js';
import type { ProbeResult } from './result.js';

/** One arrow: a source, a target and the ports that went through. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** `80`, `53/UDP`; empty for the DNS lookup. */
  readonly ports: readonly string[];
  /** Observed allowed although the policies deny it. */
  readonly unexpected: boolean;
}

/** Whether the flow went through: the observation under `run` (inconclusive: no), else the prediction. */
export function isAllowedFlow(p: ProbeResult): boolean {
  return p.outcome !== undefined ? p.observed === 'allow' : p.predicted === 'allow';
}

/** The edges of `probes`, one per source, target and expectedness, sorted as the names read. */
export function flowEdges(probes: readonly ProbeResult[], names: ReadonlyMap<string, string>): FlowEdge[] {
  const byTarget = compareTargetsShown(names);
  const allowed = probes.filter(isAllowedFlow).sort((a, b) => compareShown(names)(a.from, b.from) || byTarget(a, b));
  const edges = new Map<string, { from: string; to: string; ports: string[]; unexpected: boolean }>();
  for (const p of allowed) {
    const unexpected = p.outcome !== undefined && p.predicted === 'deny';
    const key = `${p.from}\n${p.to}\n${unexpected}`;
    const edge = edges.get(key) ?? { from: p.from, to: p.to, ports: [], unexpected };
    // The DNS lookup is always 53/UDP: its port says nothing.
    if (targetKind(p.to) !== 'dns') edge.ports.push(p.protocol === 'TCP' ? String(p.port) : `${p.port}/${p.protocol}`);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

const FONT_PX = 12;
/** Width of one character of the label font, an estimate for sizing the node boxes. */
const CHAR_PX = 7;
const NODE_H = 24;
const PAD = 24;

interface Node {
  readonly name: string;
  readonly label: string;
  readonly kind: TargetKind;
  readonly x: number;
  readonly y: number;
  readonly w: number;
}

function layout(names: readonly string[], labels: ReadonlyMap<string, string>): { nodes: Node[]; width: number; height: number } {
  const widths = names.map((n) => Math.max(44, (labels.get(n) ?? n).length * CHAR_PX + 18));
  const maxW = Math.max(44, ...widths);
  const circumference = widths.reduce((s, w) => s + w + 28, 0);
  const r = names.length <= 1 ? 0 : Math.max(90, circumference / (2 * Math.PI));
  const width = Math.ceil(2 * r + maxW + 2 * PAD);
  const height = Math.ceil(2 * r + NODE_H + 2 * PAD + 24);
  const cx = width / 2;
  const cy = height / 2 + 6;
  const nodes = names.map((name, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / names.length;
    return { name, label: labels.get(name) ?? name, kind: targetKind(name), x: round(cx + r * Math.cos(angle)), y: round(cy + r * Math.sin(angle)), w: widths[i]! };
  });
  return { nodes, width, height };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The point where the ray from the centre of `node` towards (dx, dy) leaves its box, plus `gap`. */
function boxExit(node: Node, dx: number, dy: number, gap: number): [number, number] {
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const t = Math.min(ux === 0 ? Infinity : (node.w / 2) / Math.abs(ux), uy === 0 ? Infinity : (NODE_H / 2) / Math.abs(uy));
  return [round(node.x + ux * (t + gap)), round(node.y + uy * (t + gap))];
}

function nodeShape(n: Node): string {
  const x = round(n.x - n.w / 2);
  const y = round(n.y - NODE_H / 2);
  switch (n.kind) {
    case 'dns':
      return `<ellipse class="node dns" cx="${n.x}" cy="${n.y}" rx="${round(n.w / 2)}" ry="${NODE_H / 2}"/>`;
    case 'external':
      return `<rect class="node external" x="${x}" y="${y}" width="${n.w}" height="${NODE_H}" rx="2"/>`;
    case 'workload':
      return `<rect class="node workload" x="${x}" y="${y}" width="${n.w}" height="${NODE_H}" rx="8"/>`;
  }
}

function edgeTitle(e: FlowEdge, labels: ReadonlyMap<string, string>): string {
  const what = e.ports.length > 0 ? `: ${e.ports.join(', ')}` : '';
  return `${labels.get(e.from) ?? e.from} → ${labels.get(e.to) ?? e.to}${what}${e.unexpected ? ' (observed although the policies deny it)' : ''}`;
}

/**
 * The SVG of `probes`' allowed flows. `id` makes the arrowhead ids unique in the page;
 * `labels` are the display names. Each edge carries `data-from`/`data-to` (references as in
 * the JSON) and a `<title>` naming its ports.
 */
export function renderFlowGraph(probes: readonly ProbeResult[], labels: ReadonlyMap<string, string>, id: string): string {
  const byTarget = compareTargetsShown(labels);
  const names = [...new Set(namesIn(probes))].sort((a, b) => byTarget({ to: a, port: 0, protocol: 'TCP' }, { to: b, port: 0, protocol: 'TCP' }));
  const { nodes, width, height } = layout(names, labels);
  const at = new Map(nodes.map((n) => [n.name, n]));
  const edges = flowEdges(probes, labels);
  const pairs = new Set(edges.map((e) => `${e.from}\n${e.to}`));
  const out: string[] = [
    `<svg class="flows" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width: ${width}px" role="img" aria-label="${escapeHtml(`${edges.length} allowed flows between ${nodes.length} endpoints`)}" font-size="${FONT_PX}">`,
    '<defs>',
    `<marker id="${id}-a" class="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    `<marker id="${id}-u" class="arrow unexpected" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    '</defs>',
  ];
  for (const e of edges) {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const attrs = `class="edge${e.unexpected ? ' unexpected' : ''}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" marker-end="url(#${id}-${e.unexpected ? 'u' : 'a'})"`;
    const title = `<title>${escapeHtml(edgeTitle(e, labels))}</title>`;
    if (a === b) {
      // A pod to itself: a loop over its box.
      const top = round(a.y - NODE_H / 2);
      out.push(`<path ${attrs} fill="none" d="M${round(a.x - 8)},${top} C${round(a.x - 22)},${round(top - 26)} ${round(a.x + 22)},${round(top - 26)} ${round(a.x + 8)},${top}">${title}</path>`);
      continue;
    }
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    // Both directions drawn: each arrow moves to its own side, so they do not overlap.
    const len = Math.hypot(dx, dy) || 1;
    const shift = pairs.has(`${e.to}\n${e.from}`) ? 4 : 0;
    const ox = (-dy / len) * shift;
    const oy = (dx / len) * shift;
    const [x1, y1] = boxExit(a, dx, dy, 2);
    const [x2, y2] = boxExit(b, -dx, -dy, 3);
    out.push(`<line ${attrs} x1="${round(x1 + ox)}" y1="${round(y1 + oy)}" x2="${round(x2 + ox)}" y2="${round(y2 + oy)}">${title}</line>`);
  }
  for (const n of nodes) {
    out.push(`<g class="endpoint" data-name="${escapeHtml(n.name)}"><title>${escapeHtml(n.name)} (${n.kind})</title>${nodeShape(n)}<text x="${n.x}" y="${round(n.y + FONT_PX / 3)}" text-anchor="middle">${escapeHtml(n.label)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('');
}
