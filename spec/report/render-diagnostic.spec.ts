import { expect } from 'chai';
import { HINTS, type Diagnostic, type DiagnosticCode } from '../../src/scenario/diagnostic.js';
import { FRAME_WIDTH, codeFrame, renderDiagnostics, renderDiagnosticsJson } from '../../src/report/render-diagnostic.js';
import { MAX_DIAGNOSTICS_SHOWN } from '../../src/scenario/limits.js';

const FILE = 'scenarios/demo.yaml';
const SOURCE = ['apiVersion: netpol-harness/v1alpha1', 'kind: Scenario', 'spec:', '  workloads:', '    - {name: Frontend, labels: {app: web}}', ''].join('\n');
const at = (needle: string, length = needle.length): [number, number] => {
  const start = SOURCE.indexOf(needle);
  return [start, start + length];
};
const diag = (code: DiagnosticCode, range: readonly [number, number], message = 'bad value', file = FILE): Diagnostic => ({ code, file, range, message });
const sources = new Map([[FILE, SOURCE]]);

describe('report/render-diagnostic', () => {
  it('file:line:col, the source line, carets under the range, the hint', () => {
    const out = renderDiagnostics([diag('INVALID_NAME', at('Frontend'), 'workload name "Frontend" is not DNS-1123')], sources, { color: false });
    expect(out).to.equal(
      [
        'scenarios/demo.yaml:5:14: workload name "Frontend" is not DNS-1123',
        '      - {name: Frontend, labels: {app: web}}',
        '               ^^^^^^^^',
        `hint: ${HINTS.INVALID_NAME}`,
        '',
      ].join('\n'),
    );
  });

  describe('positions (1-based line and column)', () => {
    const rows: Array<[string, readonly [number, number], string]> = [
      ['first character', [0, 10], 'scenarios/demo.yaml:1:1:'],
      ['start of line 2', at('kind'), 'scenarios/demo.yaml:2:1:'],
      ['inside line 4', at('workloads'), 'scenarios/demo.yaml:4:3:'],
      ['unknown position [0, 0]', [0, 0], 'scenarios/demo.yaml:1:1:'],
    ];
    for (const [desc, range, want] of rows) {
      it(desc, () => expect(renderDiagnostics([diag('UNKNOWN_KEY', range)], sources, { color: false }).split('\n')[0]).to.equal(`${want} bad value`));
    }
  });

  describe('codeFrame', () => {
    const rows: Array<[string, string, readonly [number, number], { line: string; carets: string }]> = [
      ['an empty range gets one caret', 'a: b\nc: d\n', [6, 6], { line: 'c: d', carets: ' ^' }],
      ['a range past the line end stops there', 'key: value\nnext: 1\n', [5, 15], { line: 'key: value', carets: '     ^^^^^' }],
      ['CRLF: the CR is not shown', 'a: 1\r\nbb: 2\r\n', [6, 8], { line: 'bb: 2', carets: '^^' }],
      ['tabs show as one space', 'a:\tx\n', [3, 4], { line: 'a: x', carets: '   ^' }],
      ['an offset past the end clamps', 'a: 1', [99, 100], { line: 'a: 1', carets: '    ^' }],
      ['the last line without a newline', 'a: 1\nb: 2', [8, 9], { line: 'b: 2', carets: '   ^' }],
      ['control characters written out, carets under what they mark', 'a: "\u001b[2J" x', [13, 14], { line: 'a: "\\x1b[2J" x', carets: '              ^' }],
      ['a range over a control character covers its written-out form', 'n: \u202eabc', [3, 5], { line: 'n: \\u202eabc', carets: '   ^^^^^^^' }],
    ];
    for (const [desc, source, range, want] of rows) it(desc, () => expect(codeFrame(source, range)).to.deep.equal(want));

    const long = `${'x'.repeat(100)}TARGET${'y'.repeat(100)}`;
    const cases: Array<[string, number]> = [
      ['near the start', 5],
      ['in the middle', 100],
      ['at the end', long.length - 3],
    ];
    for (const [desc, start] of cases) {
      it(`cuts a long line to ${FRAME_WIDTH} columns, range ${desc}`, () => {
        const frame = codeFrame(long, [start, start + 6]);
        expect(frame.line.length).to.be.at.most(FRAME_WIDTH);
        const caretAt = frame.carets.indexOf('^');
        const shownFrom = frame.line.startsWith('…') ? caretAt - 1 : caretAt;
        expect(shownFrom).to.be.at.least(0);
        // The character above the first caret is the range's first character.
        expect(frame.line[caretAt]).to.equal(long[start]);
        expect(frame.carets.length).to.be.at.most(FRAME_WIDTH);
      });
    }
  });

  it('a range deep in a line of a million characters: a cut window, quickly', () => {
    const line = `${'x'.repeat(1_000_000)}TARGET${'y'.repeat(1_000_000)}`;
    const frame = codeFrame(line, [1_000_000, 1_000_006]);
    expect(frame.line.length).to.be.at.most(FRAME_WIDTH);
    expect(frame.line.startsWith('…') && frame.line.endsWith('…')).to.equal(true);
    expect(frame.line.slice(frame.carets.indexOf('^'), frame.carets.lastIndexOf('^') + 1)).to.equal('TARGET');
  });

  it('frames only the files `options.frame` allows (the CLI: files named as scenarios)', () => {
    const manifest = 'secret: hunter2\n';
    const both = new Map([...sources, ['m.yaml', manifest]]);
    const out = renderDiagnostics([diag('YAML_SYNTAX', [0, 6], 'bad', 'm.yaml'), diag('INVALID_NAME', at('Frontend'))], both, { color: false, frame: (f) => f === FILE });
    expect(out).to.contain('m.yaml:1:1: bad').and.contain('{name: Frontend').and.not.contain('hunter2');
  });

  it('escapes file names and messages, cuts long messages', () => {
    const out = renderDiagnostics([diag('UNKNOWN_KEY', [0, 0], `bad \u001b[2J ${'m'.repeat(1000)}`, 'evil\u001b]0;t\u0007.yaml')], new Map(), { color: false });
    expect(out).to.not.match(/[\u0000-\u0009\u000b-\u001f]/);
    expect(out.split('\n')[0]!.length).to.be.below(500);
  });

  it(`shows at most ${MAX_DIAGNOSTICS_SHOWN} diagnostics and counts the rest, in the table and in JSON`, () => {
    const many = Array.from({ length: MAX_DIAGNOSTICS_SHOWN + 5 }, () => diag('UNKNOWN_KEY', at('kind')));
    expect(renderDiagnostics(many, sources, { color: false })).to.contain('5 more problems not shown');
    const json = renderDiagnosticsJson(many, sources).trim().split('\n');
    expect(json).to.have.length(MAX_DIAGNOSTICS_SHOWN + 1);
    expect(JSON.parse(json[MAX_DIAGNOSTICS_SHOWN]!)).to.include({ code: 'LIMIT_EXCEEDED', message: `5 more problems not shown (at most ${MAX_DIAGNOSTICS_SHOWN} are)` });
  });

  it('a file whose text is unknown (missing file): `file: message`, no frame', () => {
    const out = renderDiagnostics([diag('FILE_NOT_FOUND', [0, 0], 'no such file', 'missing.yaml')], sources, { color: false });
    expect(out).to.equal(`missing.yaml: no such file\nhint: ${HINTS.FILE_NOT_FOUND}\n`);
  });

  it('several diagnostics are separated by a blank line; none renders nothing', () => {
    const out = renderDiagnostics([diag('UNKNOWN_KEY', at('kind')), diag('INVALID_NAME', at('Frontend'))], sources, { color: false });
    expect(out.split('\n\n')).to.have.length(2);
    expect(renderDiagnostics([], sources, { color: false })).to.equal('');
  });

  it('colour only when asked', () => {
    const d = [diag('INVALID_NAME', at('Frontend'))];
    expect(renderDiagnostics(d, sources, { color: false })).to.not.include('\u001b[');
    expect(renderDiagnostics(d, sources, { color: true })).to.include('\u001b[31m^^^^^^^^');
  });

  describe('every code renders with its hint', () => {
    for (const code of Object.keys(HINTS) as DiagnosticCode[]) {
      it(code, () => {
        const out = renderDiagnostics([diag(code, at('Frontend'))], sources, { color: false });
        expect(out).to.include(`\nhint: ${HINTS[code]}\n`);
        expect(JSON.parse(renderDiagnosticsJson([diag(code, at('Frontend'))], sources))).to.include({ code, hint: HINTS[code] });
      });
    }
  });

  it('JSON Lines: file, line, col, code, message, hint; null position without the text', () => {
    const out = renderDiagnosticsJson([diag('INVALID_NAME', at('Frontend'), 'm'), diag('FILE_NOT_FOUND', [0, 0], 'gone', 'missing.yaml')], sources);
    const lines = out.split('\n');
    expect(lines).to.have.length(3);
    expect(lines[0]).to.equal(JSON.stringify({ file: FILE, line: 5, col: 14, code: 'INVALID_NAME', message: 'm', hint: HINTS.INVALID_NAME }));
    expect(JSON.parse(lines[1]!)).to.deep.equal({ file: 'missing.yaml', line: null, col: null, code: 'FILE_NOT_FOUND', message: 'gone', hint: HINTS.FILE_NOT_FOUND });
  });
});
