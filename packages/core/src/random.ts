/**
 * Reproducible randomness: one global seed (`manualSeed`, like `torch.manual_seed`) drives
 * parameter initialisation, Poisson encoding and dropout masks, so two runs with the same seed give
 * the same numbers. tfjs's random ops take an explicit seed; we derive each one from a small PRNG.
 */
import * as tf from '@tensorflow/tfjs';
import { getGlobal } from './global.js';

/**
 * A small, fast, seedable PRNG (mulberry32) for data shuffling and seed derivation.
 *
 * @example
 * ```ts
 * import { Generator } from '@snnts/core';
 * const g = new Generator(42);
 * console.log(g.next(), g.int(10));
 * ```
 */
export class Generator {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Fisher-Yates shuffle of `0..n-1`. */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }
}

const state = () => getGlobal('random', () => ({ gen: new Generator(0x5eed) }));

/**
 * Seeds every snnts random draw (initialisation, encoders, dropout).
 *
 * @example
 * ```ts
 * import { manualSeed } from '@snnts/core';
 * manualSeed(0);
 * ```
 */
export function manualSeed(seed: number): void {
  state().gen = new Generator(seed);
}

/**
 * The next derived seed for a tfjs random op (an integer in [0, 2^31)).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { nextSeed } from '@snnts/core';
 * const noise = tf.randomNormal([2, 2], 0, 1, 'float32', nextSeed());
 * ```
 */
export function nextSeed(): number {
  return state().gen.int(2 ** 31);
}

/**
 * Uniform samples in [lo, hi), seeded from the global generator.
 *
 * @example
 * ```ts
 * import { randomUniform } from '@snnts/core';
 * const w = randomUniform([256, 784], -0.0357, 0.0357);
 * ```
 */
export function randomUniform(shape: number[], lo: number, hi: number): tf.Tensor {
  return tf.randomUniform(shape, lo, hi, 'float32', nextSeed());
}
