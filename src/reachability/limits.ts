/**
 * How many probe results of one step a command holds in memory at once. A result with its
 * reason takes about 1 KB with its probe and prediction, so this bounds a step to a few
 * hundred MB; larger matrices are streamed (`scan --output json`) or grouped (`scan`), and
 * `check` refuses them with exit 2 rather than running out of memory.
 */
export const MAX_PROBES_PER_STEP = 250_000;

/** Above this many workloads `scan`'s table is the grouped view (a truth table would be unreadable). */
export const GROUPED_VIEW_ABOVE_WORKLOADS = 30;
