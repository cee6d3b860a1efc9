/** The command line: parses argv, runs one command, returns its exit code. Never exits itself. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import * as check from './check.js';
import * as cleanup from './cleanup.js';
import * as conformance from './conformance.js';
import * as diff from './diff.js';
import * as doctor from './doctor.js';
import * as explain from './explain.js';
import * as lint from './lint.js';
import * as run from './run.js';
import * as scan from './scan.js';
import { escapeTerminalLines } from '../report/escape.js';
import { ExitCode } from './exit-codes.js';
import { EnvironmentError, UsageError, type CliIo } from './io.js';

const COMMANDS = [check, run, explain, doctor, cleanup, conformance, scan, diff, lint];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The whole command line; `done` receives the exit code of the command that ran. */
export function buildProgram(io: CliIo, done: (code: ExitCode) => void): Command {
  const program = new Command('netpol-harness')
    .description('Proves, with real packets, that a Kubernetes cluster enforces the NetworkPolicies its owners believe in.')
    .version(version())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const command of COMMANDS) command.register(program, io, done);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs `netpol-harness <argv...>` (argv without the node and script paths). */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Pass;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a CommanderError too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.Pass : ExitCode.InvalidInput;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${escapeTerminalLines(error.message)}\n`);
      return ExitCode.InvalidInput;
    }
    if (error instanceof EnvironmentError) {
      io.stderr(`error: ${escapeTerminalLines(error.message)}\n`);
      return ExitCode.Environment;
    }
    throw error;
  }
}
