/**
 * The HTML report's script, inlined in the page (no network): a click or Enter on a cell shows
 * that probe's explanation below its step; arrow keys move between cells; Escape closes the
 * explanation; a disagreement in the list jumps to its cell. It builds the explanation with DOM
 * text nodes only (never innerHTML), from the JSON in `#nph-data`.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('nph-data').textContent);
  var SYMBOL = { allow: '\\u2713', deny: '\\u2717' };
  var selected = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function verdictCell(verdict, extra) {
    var td = el('td');
    if (verdict === null || verdict === undefined) {
      td.appendChild(el('span', 'v-none', extra || '\\u2013 none'));
      return td;
    }
    td.appendChild(el('span', 'v-' + verdict, SYMBOL[verdict] + ' ' + verdict + (extra ? ' ' + extra : '')));
    return td;
  }

  function show(button) {
    var p = data.probes[Number(button.getAttribute('data-p'))];
    var step = button.closest('.step');
    var panel = step.querySelector('.detail');
    if (selected) selected.setAttribute('aria-pressed', 'false');
    selected = button;
    button.setAttribute('aria-pressed', 'true');
    panel.textContent = '';
    var close = el('button', 'close', 'close \\u2715');
    close.type = 'button';
    close.setAttribute('aria-label', 'close the explanation');
    panel.appendChild(close);
    panel.appendChild(el('h4', null, p.title));
    var table = el('table', 'sides');
    var head = el('tr');
    ['expected', 'predicted', 'observed', 'status'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    var row = el('tr');
    row.appendChild(verdictCell(p.expected, p.expected === null ? '\\u2013 not asserted' : undefined));
    row.appendChild(verdictCell(p.predicted));
    if (p.outcome === null) row.appendChild(verdictCell(null, '\\u2013 not observed (check)'));
    else if (p.observed === null) row.appendChild(el('td', 'v-inconclusive', '? inconclusive (' + p.outcome + ')'));
    else row.appendChild(verdictCell(p.observed, '(' + p.outcome + ')'));
    row.appendChild(el('td', 's-' + p.status, p.statusText));
    table.appendChild(row);
    panel.appendChild(table);
    if (p.expectation) {
      var exp = el('p');
      exp.appendChild(document.createTextNode('expectation: '));
      exp.appendChild(el('code', null, p.expectation));
      panel.appendChild(exp);
    }
    panel.appendChild(el('p', null, 'reason: ' + p.reason));
    if (p.explanation) panel.appendChild(el('pre', null, p.explanation.map(function (i) { return data.lines[i]; }).join('\\n')));
    panel.hidden = false;
  }

  function hide(panel) {
    panel.hidden = true;
    if (selected) {
      selected.setAttribute('aria-pressed', 'false');
      selected.focus();
      selected = null;
    }
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var cell = target.closest('button.cell');
    if (cell) { show(cell); return; }
    var jump = target.closest('[data-jump]');
    if (jump) {
      var goal = document.getElementById(jump.getAttribute('data-jump'));
      if (goal) { goal.scrollIntoView({ block: 'center' }); goal.focus(); show(goal); }
      return;
    }
    var close = target.closest('.detail .close');
    if (close) hide(close.closest('.detail'));
  });

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.key === 'Escape') {
      var open = target instanceof Element ? target.closest('.step') : null;
      var panel = open ? open.querySelector('.detail') : null;
      if (panel && !panel.hidden) { hide(panel); event.preventDefault(); }
      return;
    }
    if (!(target instanceof Element) || !target.matches('button.cell')) return;
    var moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    var move = moves[event.key];
    if (!move) return;
    var td = target.closest('td');
    var tr = td.parentElement;
    var rows = Array.prototype.slice.call(tr.parentElement.children);
    var r = rows.indexOf(tr);
    var c = Array.prototype.indexOf.call(tr.children, td);
    for (var i = 1; i < 64; i++) {
      var nr = r + move[0] * i;
      var nc = c + move[1] * i;
      if (nr < 0 || nr >= rows.length || nc < 1 || nc >= rows[nr].children.length) break;
      var next = rows[nr].children[nc].querySelector('button.cell');
      if (next) { next.focus(); event.preventDefault(); return; }
    }
  });
})();
`;
