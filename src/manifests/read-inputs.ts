/**
 * Command-line paths to manifest texts (an I/O shell). A file named on the command line is
 * read whatever its name; a folder contributes its `*.yaml`, `*.yml` and `*.json` files,
 * recursively, in sorted order, skipping hidden entries (`.git`); `-` is standard input.
 * Reads are bounded: only regular files (never a FIFO or a device, which could block for
 * ever), each at most `maxFileBytes`, all together at most `maxTotalBytes`.
 */
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../scenario/diagnostic.js';

/** One manifest text and the name diagnostics use for it (`<stdin>` for `-`). */
export interface InputFile {
  readonly name: string;
  readonly text: string;
}

export interface ReadInputsResult {
  /** In argument order; a folder's files sorted. */
  readonly files: readonly InputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReadLimits {
  /** Largest file read, in bytes (default 16 MiB). */
  readonly maxFileBytes: number;
  /** Most bytes read over all files (default 256 MiB). */
  readonly maxTotalBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileBytes: 16 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

/** The name of standard input in diagnostics and reports. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Reads at most `limit` bytes from `fd`; undefined when there is more. */
export function readBounded(fd: number, limit: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking stdin with nothing yet: wait by retrying (EAGAIN), else give up.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((error as NodeJS.ErrnoException).code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) return undefined;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

function problem(file: string, message: string, code: Diagnostic['code'] = 'INVALID_VALUE'): Diagnostic {
  return { code, file, range: [0, 0], message };
}

/**
 * Reads every manifest under `paths`. `readStdin` returns standard input (at most the limit,
 * undefined when larger); it is called at most once.
 */
export function readInputs(paths: readonly string[], readStdin: (limit: number) => string | undefined, limits: ReadLimits = DEFAULT_READ_LIMITS): ReadInputsResult {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let total = 0;
  let stdinRead = false;
  const seen = new Set<string>();

  const readRegular = (name: string, stats: Stats): void => {
    if (stats.size > limits.maxFileBytes) {
      diagnostics.push(problem(name, `${name} is ${stats.size} bytes; manifests of at most ${limits.maxFileBytes} bytes are read`));
      return;
    }
    if (total + stats.size > limits.maxTotalBytes) {
      diagnostics.push(problem(name, `the inputs exceed ${limits.maxTotalBytes} bytes together; name fewer files`));
      return;
    }
    let fd: number | undefined;
    try {
      fd = openSync(name, 'r');
      const data = readBounded(fd, limits.maxFileBytes);
      if (data === undefined) diagnostics.push(problem(name, `${name} grew past ${limits.maxFileBytes} bytes while being read`));
      else {
        total += data.length;
        files.push({ name, text: data.toString('utf8') });
      }
    } catch (error) {
      diagnostics.push(problem(name, `cannot read ${name}: ${(error as Error).message}`, 'FILE_NOT_FOUND'));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  const walk = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    // A symlink loop would otherwise never end.
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      diagnostics.push(problem(dir, `cannot list ${dir}: ${(error as Error).message}`, 'FILE_NOT_FOUND'));
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile() && MANIFEST_FILE.test(entry)) readRegular(path, stats);
    }
  };

  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const text = readStdin(limits.maxFileBytes);
      if (text === undefined) diagnostics.push(problem(STDIN_NAME, `standard input holds more than ${limits.maxFileBytes} bytes`));
      else files.push({ name: STDIN_NAME, text });
      continue;
    }
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      diagnostics.push(problem(path, `no such file or directory: ${JSON.stringify(path)}`, 'FILE_NOT_FOUND'));
      continue;
    }
    if (stats.isDirectory()) walk(path);
    else if (stats.isFile()) readRegular(path, stats);
    else diagnostics.push(problem(path, `${path} is not a regular file or a folder (a FIFO or a device is never read); pipe it to \`-\` instead`));
  }
  if (files.length === 0 && diagnostics.length === 0) {
    diagnostics.push(problem(paths.join(' ') || '.', `no manifest files (*.yaml, *.yml, *.json) in ${paths.map((p) => JSON.stringify(p)).join(', ')}`, 'FILE_NOT_FOUND'));
  }
  return { files, diagnostics };
}

/** Standard input of this process, bounded (for the CLI). */
export function readProcessStdin(limit: number): string | undefined {
  const data = readBounded(0, limit);
  return data?.toString('utf8');
}
