import { expect } from 'chai';
import fc from 'fast-check';
import { escapeMarkdown, escapeMermaidLabel, escapeTerminal, escapeXml, escapeXmlText } from '../../src/report/escape.js';

/** What a terminal acts on, or what disguises text: none may survive escaping. */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** Any string, with the attacker's favourite characters much more likely than by chance. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u001b', '[', '2', 'J', ']', ';', '\u0007', '\n', '\r', '\t', '\u009b', '\u202e', '\u2066', '\u200b', '\ufeff', '|', '*', '_', '`', '~', '\\', '<', '>', '&', '"', "'", '#', '!', '(', ')'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
  maxLength: 40,
});

describe('report/escape', () => {
  describe('escapeTerminal', () => {
    const rows: ReadonlyArray<readonly [string, string, string]> = [
      ['clear screen', '\u001b[2J', '\\x1b[2J'],
      ['set window title', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
      ['a forged line', 'x\nPASS y', 'x\\x0aPASS y'],
      ['carriage return and tab', 'a\rb\tc', 'a\\x0db\\x09c'],
      ['a C1 CSI', '\u009b31m', '\\x9b31m'],
      ['DEL', 'a\u007fb', 'a\\x7fb'],
      ['right-to-left override', 'abc\u202edcba', 'abc\\u202edcba'],
      ['isolates and zero-width marks', '\u2066x\u2069\u200b\u200f', '\\u2066x\\u2069\\u200b\\u200f'],
      ['line and paragraph separators, BOM', '\u2028\u2029\ufeff', '\\u2028\\u2029\\ufeff'],
      ['plain text, accents and emoji stay', 'demo/web → café 🔒', 'demo/web → café 🔒'],
    ];
    for (const [what, input, want] of rows) it(what, () => expect(escapeTerminal(input)).to.equal(want));

    it('property: leaves no unsafe character, and changes safe text not at all', () => {
      fc.assert(
        fc.property(hostile, (text) => {
          const out = escapeTerminal(text);
          expect(out).to.not.match(TERMINAL_UNSAFE);
          if (!TERMINAL_UNSAFE.test(text)) expect(out).to.equal(text);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('escapeMarkdown', () => {
    const rows: ReadonlyArray<readonly [string, string]> = [
      ['a | b', 'a \\| b'],
      ['<script>&', '&lt;script&gt;&amp;'],
      ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
      ['two\nlines\r\nhere', 'two lines here'],
      ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
      ['![pixel](https://evil.example/p.png)', '!\\[pixel\\](https://evil.example/p.png)'],
      ['`code` *bold* _em_ ~~gone~~', '\\`code\\` \\*bold\\* \\_em\\_ \\~\\~gone\\~\\~'],
      ['back\\slash', 'back\\\\slash'],
      ['abc\u202edcba\u001b', 'abc\\u202edcba\\x1b'],
      ['plain', 'plain'],
    ];
    for (const [input, want] of rows) it(JSON.stringify(input), () => expect(escapeMarkdown(input)).to.equal(want));

    it('property: one line, no raw HTML, every Markdown special escaped', () => {
      fc.assert(
        fc.property(hostile, (text) => {
          const out = escapeMarkdown(text);
          expect(out).to.not.match(/[\n\r<>]/);
          expect(out).to.not.match(TERMINAL_UNSAFE);
          // Every special is preceded by an odd number of backslashes (it is escaped itself).
          for (const match of out.matchAll(/(\\*)([`*_[\]|~])/g)) expect(match[1]!.length % 2, out).to.equal(1);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('escapeMermaidLabel', () => {
    const rows: ReadonlyArray<readonly [string, string]> = [
      ['say "hi"', 'say #quot;hi#quot;'],
      ['<b>&#', '#lt;b#gt;#amp;#35;'],
      ['```\n# heading', '#96;#96;#96;\\x0a#35; heading'],
    ];
    for (const [input, want] of rows) it(JSON.stringify(input), () => expect(escapeMermaidLabel(input)).to.equal(want));
  });

  describe('escapeXml', () => {
    const rows: ReadonlyArray<readonly [string, string, string]> = [
      ['the five specials', `a & b < c > d " e ' f`, 'a &amp; b &lt; c &gt; d &quot; e &apos; f'],
      ['no double escaping of text that looks like an entity', '&amp;', '&amp;amp;'],
      ['line breaks and tabs survive attribute normalization', 'a\nb\tc\rd', 'a&#10;b&#9;c&#13;d'],
      ['forbidden control characters', 'a\u0000b\u0008c\u001fd', 'a\uFFFDb\uFFFDc\uFFFDd'],
      ['lone surrogates', 'x\uD800y\uDC00z', 'x\uFFFDy\uFFFDz'],
      ['a valid surrogate pair stays', 'ok 🔒', 'ok 🔒'],
      ['U+FFFE and U+FFFF', '\uFFFE\uFFFF', '\uFFFD\uFFFD'],
      ['directional and C1 characters written out', 'a\u202eb\u009bc', 'a\\u202eb\\x9bc'],
      ['plain text', 'demo/frontend -> demo/backend:80/TCP', 'demo/frontend -&gt; demo/backend:80/TCP'],
    ];
    for (const [desc, input, want] of rows) it(desc, () => expect(escapeXml(input)).to.equal(want));

    it('element text keeps its line breaks', () => expect(escapeXmlText('a\nb<')).to.equal('a\nb&lt;'));

    it('property: no markup, every & an entity, no character XML 1.0 forbids, nothing disguising', () => {
      fc.assert(
        fc.property(hostile, (text) => {
          for (const out of [escapeXml(text), escapeXmlText(text)]) {
            expect(out).to.not.match(/[<>"']/);
            expect(out).to.not.match(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
            expect(out).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\u007f-\u009f\u202e]/);
          }
          expect(escapeXml(text)).to.not.match(/[\t\n\r]/);
        }),
        { numRuns: 500 },
      );
    });
  });
});
