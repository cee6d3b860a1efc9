/**
 * Reading input files safely (an I/O shell). A scenario may come from a pull request, so a
 * file is read only when it is a regular file, up to a size cap, without ever blocking (a FIFO
 * or a device is refused, not opened for reading), and a `file:` reference only inside the
 * folder it is confined to. A refusal says why and never shows the file's content.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { DiagnosticCode } from './diagnostic.js';
import { MAX_FILE_BYTES } from './limits.js';

/** Why a file was not read. `reason` completes "cannot read <file>: ". */
export interface ReadFailure {
  readonly code: Extract<DiagnosticCode, 'FILE_NOT_FOUND' | 'FILE_UNREADABLE' | 'FILE_OUTSIDE_ROOT' | 'LIMIT_EXCEEDED'>;
  readonly reason: string;
}

/** The text of a file, or why it was not read. */
export type ReadResult = { readonly ok: true; readonly text: string } | ({ readonly ok: false } & ReadFailure);

/** Reads a file by name: its text, or why not. */
export type ReadInput = (path: string) => ReadResult;

const CHUNK_BYTES = 64 * 1024;

/** What kind of thing a non-regular file is, for messages. */
export function describeFileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A failure for an error thrown by the file system. */
export function failureOf(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { code: 'FILE_NOT_FOUND', reason: 'no such file' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'FILE_UNREADABLE', reason: 'permission denied' };
    case 'ELOOP':
      return { code: 'FILE_UNREADABLE', reason: 'too many levels of symbolic links' };
    case 'ENXIO':
      return { code: 'FILE_UNREADABLE', reason: 'a socket or a device, not a regular file' };
    default:
      return { code: 'FILE_UNREADABLE', reason: `read error${code ? ` (${code})` : ''}` };
  }
}

function sizeLimit(maxBytes: number): ReadFailure {
  return { code: 'LIMIT_EXCEEDED', reason: `larger than ${maxBytes} bytes, the limit of one file` };
}

/**
 * The UTF-8 text of `path` when it is a regular file (after following symlinks) of at most
 * `maxBytes` bytes. Never blocks: the file is opened non-blocking and its type checked on the
 * open descriptor before any read; reading stops one byte past the cap (files in /proc report
 * a size of 0, so the size in `stat` alone is not trusted).
 */
export function readRegularFile(path: string, maxBytes: number = MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, ...failureOf(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, code: 'FILE_UNREADABLE', reason: `${describeFileType(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { ok: false, ...sizeLimit(maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { ok: false, ...sizeLimit(maxBytes) };
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return { ok: false, ...failureOf(error) };
  } finally {
    closeSync(fd);
  }
}

/** True when `path` lies strictly inside the folder `root` (both real, absolute paths). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The real path of `path` (symlinks resolved), or the failure. */
export function realPath(path: string): { readonly ok: true; readonly path: string } | ({ readonly ok: false } & ReadFailure) {
  try {
    return { ok: true, path: realpathSync(path) };
  } catch (error) {
    return { ok: false, ...failureOf(error) };
  }
}

/**
 * A reader confined to the folder `root`: a path whose real location (symlinks resolved) is
 * not inside `root` is FILE_OUTSIDE_ROOT, whatever it names (`../../etc/passwd`,
 * `/proc/self/environ`, a symlink out of the tree); one inside is read by `readRegularFile`.
 */
export function confinedReader(root: string, maxBytes: number = MAX_FILE_BYTES): ReadInput {
  const realRoot = realPath(root);
  return (path) => {
    if (!realRoot.ok) return { ok: false, code: 'FILE_NOT_FOUND', reason: `its folder ${root} cannot be read (${realRoot.reason})` };
    // Judged on the name first, so nothing outside is even looked up.
    const lexical = resolve(path);
    if (!isInside(resolve(root), lexical) && !isInside(realRoot.path, lexical)) return outside(root);
    const real = realPath(path);
    if (!real.ok) return real;
    if (!isInside(realRoot.path, real.path)) return outside(root);
    return readRegularFile(real.path, maxBytes);
  };
}

function outside(root: string): ReadResult {
  return { ok: false, code: 'FILE_OUTSIDE_ROOT', reason: `it is outside the folder ${root}` };
}
