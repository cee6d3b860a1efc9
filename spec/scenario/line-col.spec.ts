import { expect } from 'chai';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { lineIndex, toLineCol } from '../../src/scenario/line-col.js';

describe('scenario/line-col', () => {
  const rows: ReadonlyArray<readonly [string, number, string]> = [
    ['', 0, '1:1'],
    ['abc', 0, '1:1'],
    ['abc', 3, '1:4'],
    ['a\nb', 2, '2:1'],
    ['a\nb', 1, '1:2'],
    ['a\r\nb', 3, '2:1'],
    ['a\n\nb', 3, '3:1'],
    ['abc', 99, '1:4'],
    ['abc', -5, '1:1'],
  ];
  for (const [source, offset, want] of rows) {
    it(`${JSON.stringify(source)} @${offset} -> ${want}`, () => {
      const { line, col } = toLineCol(source, offset);
      expect(`${line}:${col}`).to.equal(want);
    });
  }

  it("property: agrees with yaml's LineCounter", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n', ' ') }), fc.nat(), (source, n) => {
        const offset = source.length === 0 ? 0 : n % (source.length + 1);
        const counter = new LineCounter();
        parseDocument(source, { lineCounter: counter });
        expect(toLineCol(source, offset)).to.deep.equal(counter.linePos(offset));
      }),
    );
  });

  it("property: one lineIndex answers every offset of its source as yaml's LineCounter does", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' ') }), (source) => {
        const counter = new LineCounter();
        parseDocument(source, { lineCounter: counter });
        const position = lineIndex(source);
        for (let offset = 0; offset <= source.length; offset += 1) expect(position(offset)).to.deep.equal(counter.linePos(offset));
      }),
    );
  });
});
