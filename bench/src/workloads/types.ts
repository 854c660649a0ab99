/**
 * The contract of a benchmark workload: build the network once, then `step()` runs one timed
 * training (or inference) step synchronously, reading its result back so the work is finished.
 */

/** `default`: as a user writes it with the public API; `naive`: the same without `repeatOverTime`. */
export type Variant = 'default' | 'naive';

/** A built workload, ready to step. */
export interface Runner {
  /** One training or inference step; returns when its result has been read back. */
  step(): void;
  /** Frees every tensor the workload owns. */
  dispose(): void;
}

/** One workload of the suite. */
export interface Workload {
  /** `W1`, `W2`, ... */
  name: string;
  /** One line describing it (the same in the PyTorch baseline). */
  title: string;
  /** Samples per step (for samples/s). */
  batch: number;
  /** Builds the network and data with a fixed seed (async when it loads files). */
  build(variant: Variant): Runner | Promise<Runner>;
}
