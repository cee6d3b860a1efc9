#!/usr/bin/env node
import { readProcessStdin } from '../manifests/read-inputs.js';
import { main } from './main.js';
import { writeAllSync } from './write-fd.js';

main(process.argv.slice(2), {
  stdout: (text) => writeAllSync(1, text),
  stderr: (text) => writeAllSync(2, text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  readStdin: readProcessStdin,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not bad input: say so plainly, with the stack for the report.
    process.stderr.write(`netpol-harness: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
