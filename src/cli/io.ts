/** What a command may touch of the outside world; injected so commands run in-process in tests. */
export interface CliIo {
  /** Results. */
  stdout(text: string): void;
  /** Progress and diagnostics. */
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour only then, and never with NO_COLOR). */
  readonly isTTY: boolean;
  /** Standard input, at most `limit` bytes (undefined when larger); for `-` among the paths. */
  readonly readStdin?: (limit: number) => string | undefined;
}

/** Colour only on a TTY without NO_COLOR, or when FORCE_COLOR asks for it. */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

/** A usage or input problem that maps to exit 2. */
export class UsageError extends Error {}

/** The environment cannot run what was asked (not root, no cluster, CNI not enforcing): exit 3. */
export class EnvironmentError extends Error {}
