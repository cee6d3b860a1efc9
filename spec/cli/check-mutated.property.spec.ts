/**
 * Property: whatever a pull request does to the scenarios in the repo (random text, edits with
 * hostile tokens, any value replaced by anything) `check` ends with exit 0 or 2 (1 only for a
 * valid scenario whose expectations fail), every diagnostic has a position and is reported
 * once, nothing prints a stack trace, and each run stays within a time and memory bound.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { HINTS } from '../../src/scenario/diagnostic.js';
import { runCli } from './run-cli.js';

/** Generous bounds: a run of `check` on a tutorial takes milliseconds. */
const MAX_RUN_MS = 10_000;
const MAX_HEAP_GROWTH_BYTES = 300 * 1024 * 1024;

const HOSTILE_TOKENS = [
  '\n', ' ', ':', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '<<: ', '? ', '!!binary ', '!!str ', '---\n', '#', '~', '\t',
  '__proto__', 'constructor', 'toString', '${ip:', '${cidr:', '->', '/', '1e300', '.inf', '.nan', '-1', '0', '3000000', '0.0001',
  'kube-system', 'netpol-harness/run-id', 'app.kubernetes.io/managed-by', '127.0.0.1', '1abc', 'udp-80', '8080',
  'file: /proc/self/environ', 'file: ../../etc/passwd', 'file: /dev/zero', '\u001b[2J', '\u202e', '\u0000', '[[[[[[[[', '- - - - - ',
];

const HOSTILE_VALUES = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('__proto__', 'constructor', '\u001b]0;t\u0007', 'x\ny', '/proc/self/environ', '../../etc/passwd', '1abc', 'kube-system', '::1', 1e300, -1, 0, 0.0001, 3_000_000, Number.NaN),
  fc.string({ maxLength: 30 }),
  fc.nat(70).map((n) => Array.from({ length: n }).reduce<unknown>((inner) => [inner], 'deep')),
);

interface Case {
  readonly scenario: string;
  readonly text: string;
}

describe('cli check: random and mutated scenarios (property)', function () {
  // Hundreds of check runs: generous for a loaded CI machine; each run is bounded below.
  this.timeout(10 * 60_000);
  let dir: string;
  let scenarios: ReadonlyArray<readonly [string, string]>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nph-mutated-'));
    cpSync('scenarios', dir, { recursive: true });
    scenarios = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Text edits: a few random spots cut and filled with hostile tokens. */
  function edited(text: string): fc.Arbitrary<string> {
    const edit = fc.tuple(fc.nat(text.length), fc.nat(30), fc.array(fc.constantFrom(...HOSTILE_TOKENS), { maxLength: 4 }));
    return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => edits.reduce((t, [at, cut, inserted]) => t.slice(0, at % (t.length + 1)) + inserted.join('') + t.slice((at % (t.length + 1)) + cut), text));
  }

  /** Structural edits: one node of the document replaced by a hostile value. */
  function replaced(text: string): fc.Arbitrary<string> {
    const doc = parseDocument(text);
    const nodes: Node[] = [];
    visit(doc, { Node: (_key, node) => void (isScalar(node) || isMap(node) || isSeq(node) ? nodes.push(node) : undefined) });
    return fc.tuple(fc.nat(nodes.length - 1), HOSTILE_VALUES).map(([i, value]) => {
      const copy = parseDocument(text);
      const targets: Node[] = [];
      visit(copy, { Node: (_key, node) => void (isScalar(node) || isMap(node) || isSeq(node) ? targets.push(node) : undefined) });
      const target = targets[i];
      let replacement: Node;
      try {
        replacement = copy.createNode(value) as Node;
      } catch {
        return text;
      }
      visit(copy, { Node: (_key, node) => (node === target ? replacement : undefined) });
      try {
        return copy.toString();
      } catch {
        return text;
      }
    });
  }

  function cases(): fc.Arbitrary<Case> {
    return fc.constantFrom(...scenarios).chain(([scenario, text]) =>
      fc.oneof({ arbitrary: edited(text), weight: 3 }, { arbitrary: replaced(text), weight: 3 }, { arbitrary: fc.string({ maxLength: 300 }), weight: 1 }).map((mutated) => ({ scenario, text: mutated })),
    );
  }

  it('exit 0, 1 (a valid scenario that fails) or 2 with positioned diagnostics, no stack trace, bounded time and memory', async () => {
    await fc.assert(
      fc.asyncProperty(cases(), async ({ scenario, text }) => {
        const file = join(dir, `mutated-${scenario}`);
        writeFileSync(file, text);
        const heapBefore = process.memoryUsage().heapUsed;
        const started = Date.now();
        const run = await runCli(['check', file, '--output', 'json']);
        const table = await runCli(['check', file]);
        expect(Date.now() - started, 'time of two runs').to.be.below(2 * MAX_RUN_MS);
        expect(process.memoryUsage().heapUsed - heapBefore, 'heap growth').to.be.below(MAX_HEAP_GROWTH_BYTES);
        for (const out of [run.stdout, run.stderr, table.stdout, table.stderr]) {
          expect(out).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
          expect(out).to.not.match(/internal error|Maximum call stack/);
        }
        expect([0, 1, 2]).to.include(run.code);
        expect(table.code).to.equal(run.code);
        const lines = run.stdout.trim().split('\n').filter((l) => l !== '');
        if (run.code === 2) {
          expect(lines.length).to.be.greaterThan(0);
          const seen = new Set<string>();
          for (const line of lines) {
            const d = JSON.parse(line) as { file: string; line: number | null; col: number | null; code: string; message: string };
            expect(Object.keys(HINTS)).to.include(d.code);
            expect(d.message.length).to.be.greaterThan(0);
            // Positioned: every file read has a line and column (1-based).
            expect(d.line, line).to.be.a('number').and.at.least(1);
            expect(d.col, line).to.be.a('number').and.at.least(1);
            expect(seen.has(line), `reported twice: ${line}`).to.equal(false);
            seen.add(line);
          }
        } else {
          const result = JSON.parse(lines[0]!) as { pass: boolean };
          expect(result.pass).to.equal(run.code === 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
