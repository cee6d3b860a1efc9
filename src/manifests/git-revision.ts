/**
 * A path as it is at a git revision, for `diff --git REF`: `git archive` of that path into a
 * temporary folder (never the working tree), removed by `remove()`. An I/O shell; git and tar
 * run without a shell, the ref is checked first so it can never read as an option.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type RevisionCheckout =
  | { readonly ok: true; readonly path: string; readonly label: string; readonly root: string; remove(): void }
  | { readonly ok: false; readonly message: string };

/** Largest archive read from git, in bytes. */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

function run(command: string, args: readonly string[], options: { cwd: string; input?: Buffer }): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync(command, args, { cwd: options.cwd, input: options.input, maxBuffer: MAX_ARCHIVE_BYTES, timeout: 120_000 });
  if (r.error) return { ok: false, stdout: Buffer.alloc(0), stderr: r.error.message };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}

/** `path` (a file or folder of the working tree) as it is at revision `ref`. */
export function checkoutRevision(ref: string, path: string): RevisionCheckout {
  if (ref === '' || ref.startsWith('-') || /[\s\u0000-\u001f]/.test(ref)) return { ok: false, message: `--git ${JSON.stringify(ref)} is not a git revision` };
  let absolute: string;
  let isDir: boolean;
  try {
    absolute = realpathSync(resolve(path));
    isDir = statSync(absolute).isDirectory();
  } catch {
    return { ok: false, message: `no such file or directory: ${JSON.stringify(path)}` };
  }
  const top = run('git', ['rev-parse', '--show-toplevel'], { cwd: isDir ? absolute : dirname(absolute) });
  if (!top.ok) return { ok: false, message: `${path} is not in a git work tree: ${top.stderr}` };
  const root = realpathSync(top.stdout.toString('utf8').trim());
  const inRepo = relative(root, absolute).split(sep).join('/') || '.';
  const archive = run('git', ['archive', '--format=tar', ref, '--', inRepo], { cwd: root });
  if (!archive.ok) return { ok: false, message: `git archive ${ref} -- ${inRepo} failed: ${archive.stderr}` };
  const dir = mkdtempSync(join(tmpdir(), 'nph-git-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const untar = run('tar', ['-x', '-f', '-', '-C', dir], { cwd: dir, input: archive.stdout });
  if (!untar.ok) {
    remove();
    return { ok: false, message: `cannot unpack ${ref}:${inRepo}: ${untar.stderr}` };
  }
  return { ok: true, path: join(dir, inRepo), label: `${ref}:${inRepo}`, root: dir, remove };
}
