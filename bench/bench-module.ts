/** The shape every benchmark module exports, so bench/index.ts runs them all the same way. */

export interface BenchOptions {
  /** Smallest workload only (a smoke run). */
  readonly quick: boolean;
  /** Progress lines go here (stderr), never to stdout. */
  progress(line: string): void;
}

/** One table: rows of named cells, plus notes printed under it (method, caveats). */
export interface BenchResult {
  readonly bench: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string | number>>[];
  readonly notes: readonly string[];
}

export interface BenchModule {
  readonly name: string;
  readonly description: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
