/**
 * Writes text to a file descriptor synchronously, all of it, waiting while a pipe is full.
 * process.stdout queues what a full pipe does not take, and a long synchronous run (a
 * streamed matrix of a million lines) never lets that queue drain: memory grows without
 * bound. Writing through here keeps memory flat and the order of output exact.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes `text` (UTF-8) to `fd`, retrying on EAGAIN until every byte is out. */
export function writeAllSync(fd: number, text: string): void {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      // The reader is behind: wait a little for it (a blocking sleep; nothing else runs meanwhile).
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
