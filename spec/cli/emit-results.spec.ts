import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { incompleteReason, openResultSink, type ReportOptions } from '../../src/cli/emit-results.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import type { CliIo } from '../../src/cli/io.js';
import { shopCheck, shopRun } from '../fixtures/report-fixture.js';

function captured(): { io: CliIo; out: string[] } {
  const out: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: () => undefined, env: {}, isTTY: false }, out };
}

function files(): Required<Pick<ReportOptions, 'junit' | 'markdown'>> {
  const dir = mkdtempSync(join(tmpdir(), 'nph-sink-'));
  return { junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md') };
}

describe('cli/emit-results: the result sink', () => {
  it('writes each scenario\'s JSON line at once, and the files only at the end', () => {
    const { io, out } = captured();
    const paths = files();
    const sink = openResultSink({ output: 'json', ...paths }, io);
    sink.scenarioDone(shopCheck);
    expect(out).to.have.length(1);
    expect(JSON.parse(out[0]!).scenario).to.equal('shop');
    expect(existsSync(paths.junit)).to.equal(false);
    sink.scenarioDone(shopRun);
    expect(out).to.have.length(2);
    expect(sink.finish()).to.equal(ExitCode.ProbeFailed);
    expect(out.join('').trim().split('\n')).to.have.length(2);
    expect(readFileSync(paths.junit, 'utf8')).to.not.include('incomplete');
  });

  it('after a failure, writes what finished and marks it incomplete; nothing more after finish', () => {
    const { io, out } = captured();
    const paths = files();
    const sink = openResultSink({ output: 'table', ...paths }, io);
    sink.scenarioDone(shopCheck);
    sink.finishIncomplete('interrupted (SIGINT)');
    expect(out.join('')).to.include('INCOMPLETE: interrupted (SIGINT); the counts cover the 1 scenario(s) that finished');
    expect(readFileSync(paths.markdown, 'utf8')).to.include('**⚠️ INCOMPLETE:** interrupted (SIGINT)');
    const junit = readFileSync(paths.junit, 'utf8');
    expect(junit).to.include('<error message="interrupted (SIGINT)" type="incomplete">').and.include('name="shop / [1/2] open"');
    sink.finishIncomplete('again');
    expect(readFileSync(paths.junit, 'utf8')).to.equal(junit);
  });

  it('guard: a body that throws still gets its reports, marked as stopped by an internal error', async () => {
    const { io } = captured();
    const paths = files();
    const sink = openResultSink({ output: 'json', ...paths }, io);
    let error: unknown;
    try {
      await sink.guard(async () => {
        sink.scenarioDone(shopCheck);
        throw new Error('boom');
      });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.equal('boom');
    expect(readFileSync(paths.markdown, 'utf8')).to.include('stopped by an internal error');
  });

  it('guard: an exit code without finish is an incomplete run; with finish, a complete one', async () => {
    const { io } = captured();
    const paths = files();
    expect(await openResultSink({ output: 'json', ...paths }, io).guard(async () => ExitCode.Terminated)).to.equal(ExitCode.Terminated);
    expect(readFileSync(paths.junit, 'utf8')).to.include('terminated (SIGTERM)');
    const sink = openResultSink({ output: 'json', ...paths }, io);
    expect(await sink.guard(async () => sink.finish())).to.equal(ExitCode.Pass);
    expect(readFileSync(paths.junit, 'utf8')).to.not.include('incomplete');
  });

  it('names the reason of every exit code a run can stop with', () => {
    expect(incompleteReason(ExitCode.Interrupted)).to.equal('interrupted (SIGINT)');
    expect(incompleteReason(ExitCode.Environment)).to.include('environment');
    expect(incompleteReason(undefined)).to.include('internal error');
  });
});
