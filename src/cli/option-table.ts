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
  /** How help and docs show the default when the stored value is in other units (ms for seconds). */
  readonly defaultText?: string;
  /** Parses the raw string (numbers); throws commander's InvalidArgumentError on bad input. */
  readonly parse?: (value: string) => unknown;
}

/** Every key of the options type must be described. */
export type OptionTable<T> = { readonly [K in keyof Required<T>]: OptionSpec };

export function addOptions<T>(command: Command, table: OptionTable<T>): Command {
  for (const spec of Object.values(table) as OptionSpec[]) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
    if (spec.parse) option.argParser(spec.parse);
    command.addOption(option);
  }
  return command;
}

/**
 * A flag taking seconds, kept as ms inside; help and docs show the default in seconds.
 * `maxSeconds` bounds it (Node's timers overflow past ~24.8 days).
 */
export function secondsOption(flags: string, description: string, defaultSeconds: number, allowZero = false): OptionSpec {
  return { flags, description, default: Math.round(defaultSeconds * 1000), defaultText: String(defaultSeconds), parse: allowZero ? parseSecondsOrZero : parseSeconds };
}

/** A flag taking a whole number from `min` up. */
export function countOption(flags: string, description: string, defaultValue: number, min = 1): OptionSpec {
  return { flags, description, default: defaultValue, parse: (value) => parseCount(value, min) };
}

/** Parses a whole number >= `min`. */
export function parseCount(value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 10_000) throw new InvalidArgumentError(`expected a whole number from ${min} to 10000, got "${value}"`);
  return n;
}

/** The longest duration a flag takes: a day (Node's timers overflow past ~24.8 days). */
export const MAX_SECONDS = 86_400;

/** Parses a number of seconds >= 0 into ms. */
export function parseSecondsOrZero(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_SECONDS) throw new InvalidArgumentError(`expected a number of seconds from 0 to ${MAX_SECONDS}, got "${value}"`);
  return Math.round(n * 1000);
}

/** Parses a positive number of seconds into ms. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new InvalidArgumentError(`expected a positive number of seconds up to ${MAX_SECONDS}, got "${value}"`);
  return Math.max(1, Math.round(n * 1000));
}
