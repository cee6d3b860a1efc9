/**
 * The HTML report's style sheet, inlined in the page (no network). Colours are variables with
 * a dark set under `prefers-color-scheme: dark`; every status also has a symbol, so nothing is
 * told by colour alone.
 */
export const HTML_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --accent: #0b62d6;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --none-bg: #ffffff; --edge: #57606a; --focus: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #161b22; --accent: #4493f8;
    --ok: #3fb950; --ok-bg: #12261e; --bad: #ff7b72; --bad-bg: #3c1618; --warn: #d29922; --warn-bg: #342a0e;
    --none-bg: #0d1117; --edge: #9198a1; --focus: #4493f8;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header.top, footer { max-width: 1480px; margin: 0 auto; padding: 0 24px; }
.layout { max-width: 1480px; margin: 0 auto; padding: 0 24px; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 28px; }
@media (min-width: 1100px) {
  .layout { grid-template-columns: 240px minmax(0, 1fr); }
  nav.toc { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; font-size: 12.5px; padding-bottom: 16px; }
}
header.top { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 28px 0 6px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 4px; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.facts { color: var(--muted); margin: 2px 0 8px; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 10px; border: 1px solid currentColor; vertical-align: 1px; margin-left: 6px; }
.s-passed { color: var(--ok); } .s-failed { color: var(--bad); } .s-inconclusive { color: var(--warn); } .s-unasserted { color: var(--muted); }
.overall { font-size: 18px; font-weight: 700; margin: 4px 0; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; background: var(--panel); }
.count b { font-size: 16px; }
.incomplete { border: 2px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; border-radius: 6px; font-weight: 600; }
details.legend { margin: 8px 0 4px; }
details.legend summary { cursor: pointer; color: var(--muted); }
.legend-grid { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 6px; align-items: center; }
nav.toc ol { margin: 4px 0; padding-left: 20px; }
nav.toc > ol > li { margin: 2px 0; }
nav.toc ol ol { padding-left: 18px; color: var(--muted); }
nav.toc ol ol li { display: flex; gap: 6px; white-space: nowrap; }
nav.toc ol ol a { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
nav.toc .settled { flex: none; color: var(--muted); }
.disagreements li { margin: 6px 0; }
.disagreements .reason { display: block; color: var(--muted); font-size: 13px; margin-left: 2px; }
button.jump { font: inherit; color: var(--accent); background: none; border: 0; padding: 0; cursor: pointer; text-align: left; text-decoration: underline; }
.step-body { display: flex; flex-wrap: wrap; gap: 16px 28px; align-items: flex-start; }
.grid-wrap { overflow-x: auto; max-width: 100%; }
table.grid { border-collapse: separate; border-spacing: 3px; }
table.grid th { font-weight: 600; font-size: 12px; white-space: nowrap; padding: 2px 6px; }
table.grid thead th { vertical-align: bottom; text-align: center; white-space: normal; max-width: 110px; }
table.grid tbody th { text-align: right; }
table.grid td { padding: 0; text-align: center; }
.cell { font: 13px/1 ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; min-width: 56px; height: 34px; padding: 2px 4px; border-radius: 5px; border: 1px solid var(--line); background: var(--none-bg); color: var(--fg); cursor: pointer; display: inline-flex; gap: 4px; align-items: center; justify-content: center; position: relative; }
.cell:hover { border-color: var(--accent); }
.cell:focus-visible, button.jump:focus-visible, .detail .close:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
.cell[aria-pressed="true"] { box-shadow: 0 0 0 2px var(--accent); }
.cell.st-passed { background: var(--ok-bg); border-color: var(--ok); }
.cell.st-failed { background: var(--bad-bg); border: 2px solid var(--bad); font-weight: 700; }
.cell.st-inconclusive { background: var(--warn-bg); border: 2px dashed var(--warn); }
.cell.st-unasserted { border-style: dashed; }
.cell .flag { position: absolute; top: -7px; right: -6px; font: 700 11px/14px system-ui, sans-serif; width: 15px; height: 15px; border-radius: 8px; background: var(--bad); color: var(--bg); }
.cell.st-inconclusive .flag { background: var(--warn); }
.mk { display: inline-flex; flex-direction: column; align-items: center; min-width: 14px; }
.mk i { font: 9px/1 system-ui, sans-serif; color: var(--muted); font-style: normal; }
.v-allow { color: var(--ok); } .v-deny { color: var(--bad); } .v-none { color: var(--muted); } .v-inconclusive { color: var(--warn); }
.not-probed { color: var(--muted); text-align: center; display: inline-block; min-width: 56px; }
.scenario { scroll-margin-top: 8px; } .step { scroll-margin-top: 8px; border-top: 1px dashed var(--line); }
figure.graph { margin: 0; flex: 1 1 280px; min-width: 240px; }
figure.graph figcaption { color: var(--muted); font-size: 12px; }
svg.flows { width: 100%; height: auto; }
svg.flows .node { fill: var(--panel); stroke: var(--edge); stroke-width: 1.2; }
svg.flows .node.external { stroke-dasharray: 4 3; }
svg.flows .node.dns { fill: var(--bg); }
svg.flows text { fill: var(--fg); font-family: system-ui, sans-serif; }
svg.flows .edge { stroke: var(--edge); stroke-width: 1.3; opacity: 0.8; }
svg.flows .edge.unexpected { stroke: var(--bad); stroke-width: 2.4; stroke-dasharray: 6 3; opacity: 1; }
svg.flows .arrow path { fill: var(--edge); }
svg.flows .arrow.unexpected path { fill: var(--bad); }
.detail { border: 1px solid var(--line); border-radius: 8px; background: var(--panel); padding: 10px 14px; margin: 12px 0; }
.detail h4 { margin: 0 0 8px; font-size: 14px; }
.detail .close { float: right; font: inherit; cursor: pointer; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 5px; }
.detail table.sides { border-collapse: collapse; margin: 4px 0 8px; }
.detail table.sides th, .detail table.sides td { border: 1px solid var(--line); padding: 4px 12px; text-align: left; }
.detail pre { white-space: pre-wrap; margin: 6px 0 0; font-size: 12.5px; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; }
table.plain { border-collapse: collapse; margin: 6px 0; }
table.plain th, table.plain td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
pre.diff { font-size: 12.5px; border: 1px solid var(--line); border-radius: 6px; padding: 6px 0; overflow-x: auto; }
pre.diff span { display: block; padding: 0 10px; }
pre.diff .add { background: var(--ok-bg); } pre.diff .remove { background: var(--bad-bg); }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { color: var(--muted); font-size: 12px; padding-top: 24px; padding-bottom: 24px; }
`;
