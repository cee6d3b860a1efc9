/**
 * The resource limits of loading a scenario, in one place (docs/scenario-format.md, "Limits").
 * A scenario from a pull request must not exhaust memory or time: anything over a limit is one
 * LIMIT_EXCEEDED diagnostic (exit 2), found before the costly stage it protects. The numbers
 * leave ample room for real scenarios (thousands of workloads, generated manifests).
 */

/**
 * Largest scenario file or manifest read, in bytes (1 MiB: 5,000 workloads take about 400 KiB).
 * The YAML parser needs about a second per MiB, more on text shaped against it.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Largest total of one scenario: its file and every manifest it reads, in bytes (4 MiB). */
export const MAX_TOTAL_BYTES = 4 * 1024 * 1024;

/** Deepest nesting of maps and lists in a YAML document (a scenario needs about 15). */
export const MAX_NESTING_DEPTH = 64;

/**
 * Largest size of a YAML document once every alias is expanded: one per node plus the
 * characters of every scalar (4 Mi). Aliases may share data, not multiply it.
 */
export const MAX_EXPANDED_SIZE = 4 * 1024 * 1024;

/** Most workloads in one scenario. */
export const MAX_WORKLOADS = 5_000;

/**
 * Most probes of one scenario, summed over its steps: 5,000 workloads serving one port each
 * for one step (2,000 such workloads: 4 million per step, six steps).
 */
export const MAX_PROBES = 25_000_000;

/** Longest probe timeout, in seconds; fractions are rounded up to whole seconds. */
export const MAX_PROBE_TIMEOUT_SECONDS = 60;

/** Most characters of a value quoted in a diagnostic; a longer value is cut with `…`. */
export const MAX_QUOTED_CHARS = 40;

/** Most characters of a diagnostic message as rendered; the rest is cut with `…`. */
export const MAX_MESSAGE_CHARS = 400;

/** Most diagnostics printed for one command; a last line counts the rest. */
export const MAX_DIAGNOSTICS_SHOWN = 100;
