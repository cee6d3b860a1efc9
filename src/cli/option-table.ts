/**
 * One option table per command, typed against its options interface (vitest's CLIOptions):
 * every option is listed once, and help and docs/cli.md come from the same table.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface OptionSpec {
  /** commander flags, e.g. `-o, --output <format>`. */
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly default?: string | boolean | number;
  /** Parses the raw string (numbers); throws commander's InvalidArgumentError on bad input. */
  readonly parse?: (value: string) => unknown;
}

/** Every key of the options type must be described. */
export type OptionTable<T> = { readonly [K in keyof Required<T>]: OptionSpec };

export function addOptions<T>(command: Command, table: OptionTable<T>): Command {
  for (const spec of Object.values(table) as OptionSpec[]) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.parse) option.argParser(spec.parse);
    command.addOption(option);
  }
  return command;
}

/** Parses a positive number of seconds into ms. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  return Math.round(n * 1000);
}
