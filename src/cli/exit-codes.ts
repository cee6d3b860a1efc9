/** The process exit statuses (SCENARIO-FORMAT.md). Only `cli/` maps results to these. */
export const ExitCode = {
  /** Every asserted probe passed. */
  Pass: 0,
  /** A probe failed. */
  ProbeFailed: 1,
  /** Invalid input or usage. */
  InvalidInput: 2,
  /** Environment: no cluster, not enough privileges, a CNI that does not enforce policies. */
  Environment: 3,
  /** Interrupted by SIGINT (128 + 2). */
  Interrupted: 130,
  /** Terminated by SIGTERM (128 + 15). */
  Terminated: 143,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
