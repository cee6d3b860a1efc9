import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confinedReader, isInside, readRegularFile } from '../../src/scenario/read-input.js';

describe('scenario/read-input', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nph-read-'));
    mkdirSync(join(dir, 'root', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'root', 'sub', 'ok.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'outside.yaml'), 'secret: 1\n');
    symlinkSync(join(dir, 'outside.yaml'), join(dir, 'root', 'out-link.yaml'));
    symlinkSync(join(dir, 'root', 'sub', 'ok.yaml'), join(dir, 'root', 'in-link.yaml'));
    execFileSync('mkfifo', [join(dir, 'root', 'pipe.yaml')]);
    writeFileSync(join(dir, 'root', 'big.yaml'), 'x'.repeat(101));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('readRegularFile', () => {
    it('reads a regular file', () => expect(readRegularFile(join(dir, 'root', 'sub', 'ok.yaml'))).to.deep.equal({ ok: true, text: 'a: 1\n' }));

    const refused: ReadonlyArray<readonly [string, () => string, string, RegExp]> = [
      ['a missing file', () => join(dir, 'nope.yaml'), 'FILE_NOT_FOUND', /no such file/],
      ['a folder', () => dir, 'FILE_UNREADABLE', /a directory, not a regular file/],
      ['a FIFO, without blocking', () => join(dir, 'root', 'pipe.yaml'), 'FILE_UNREADABLE', /a FIFO/],
      ['/dev/zero, without reading it', () => '/dev/zero', 'FILE_UNREADABLE', /a character device/],
      ['a file over the cap', () => join(dir, 'root', 'big.yaml'), 'LIMIT_EXCEEDED', /larger than 100 bytes/],
    ];
    for (const [what, path, code, reason] of refused) {
      it(`refuses ${what}`, () => {
        const result = readRegularFile(path(), 100);
        expect(result).to.include({ ok: false, code });
        expect(result.ok ? '' : result.reason).to.match(reason);
      });
    }

    it('reads a file of /proc (stat says 0 bytes) up to the cap', () => {
      const result = readRegularFile('/proc/self/status', 1_000_000);
      expect(result.ok && result.text).to.match(/^Name:/);
      expect(readRegularFile('/proc/self/environ', 1)).to.include({ ok: false, code: 'LIMIT_EXCEEDED' });
    });
  });

  describe('confinedReader', () => {
    const rows: ReadonlyArray<readonly [string, string, string | true]> = [
      ['a file inside', 'root/sub/ok.yaml', true],
      ['a symlink inside to a file inside', 'root/in-link.yaml', true],
      ['a symlink inside to a file outside', 'root/out-link.yaml', 'FILE_OUTSIDE_ROOT'],
      ['../ out of the root', 'root/sub/../../outside.yaml', 'FILE_OUTSIDE_ROOT'],
      ['an absolute path outside', '/etc/passwd', 'FILE_OUTSIDE_ROOT'],
      ['/proc/self/environ', '/proc/self/environ', 'FILE_OUTSIDE_ROOT'],
      ['a missing file outside: outside, without looking', 'nope/../../x.yaml', 'FILE_OUTSIDE_ROOT'],
      ['a missing file inside', 'root/nope.yaml', 'FILE_NOT_FOUND'],
      ['a FIFO inside', 'root/pipe.yaml', 'FILE_UNREADABLE'],
      ['the root itself', 'root', 'FILE_OUTSIDE_ROOT'],
    ];
    for (const [what, path, want] of rows) {
      it(`${what}: ${want === true ? 'read' : want}`, () => {
        const read = confinedReader(join(dir, 'root'))(path.startsWith('/') ? path : join(dir, path));
        if (want === true) expect(read.ok).to.equal(true);
        else expect(read).to.include({ ok: false, code: want });
      });
    }

    it('a root that does not exist reads nothing', () => expect(confinedReader(join(dir, 'nope'))(join(dir, 'nope', 'a.yaml'))).to.include({ ok: false, code: 'FILE_NOT_FOUND' }));
  });

  it('isInside', () => {
    expect([isInside('/a/b', '/a/b/c'), isInside('/a/b', '/a/b'), isInside('/a/b', '/a/bc'), isInside('/a/b', '/a'), isInside('/a/b', '/a/b/../c')]).to.deep.equal([true, false, false, false, false]);
  });
});
