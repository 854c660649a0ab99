/**
 * `Adam`: torch.optim.Adam's algorithm (bias-corrected moments, eps after the square root, L2
 * weight decay added to the gradient, optional AMSGrad and `maximize`) as a chain of transforms.
 */
import type * as tf from '@tensorflow/tfjs';
import { chain, type GradientTransformation } from './base.js';
import { checkBetas, checkBoolean, checkNonNegative, withDefaults } from './checks.js';
import { Optimizer } from './optimizer.js';
import type { Group, Hyperparams, ParamGroup } from './types.js';
import { scaleByAdam } from './scale_by_adam.js';
import { addDecayedWeights, scale, scaleByLearningRate } from './transforms.js';

/**
 * Adam's (and AdamW's) hyperparameters, per group (`optimizer.paramGroups[i]` holds them all).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Adam, type AdamHyperparams } from '@snnts/optim';
 * const opt = new Adam([tf.variable(tf.zeros([2]))]);
 * const h: AdamHyperparams = opt.paramGroups[0]!; // { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, ... }
 * ```
 */
export interface AdamHyperparams extends Hyperparams {
  /** Decay rates `[beta1, beta2]` of the first and second moments, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator after the square root (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/**
 * Options of {@link Adam} and {@link AdamW}; all optional (`lr` defaults to 1e-3).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { AdamW, type AdamOptions } from '@snnts/optim';
 * const options: AdamOptions = { lr: 3e-4, betas: [0.9, 0.95], weightDecay: 0.1 };
 * const opt = new AdamW([tf.variable(tf.zeros([2]))], options);
 * ```
 */
export type AdamOptions = Partial<AdamHyperparams>;

/** PyTorch's defaults for Adam. */
const ADAM_DEFAULTS: Readonly<AdamHyperparams> = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

/**
 * Adam, following torch.optim.Adam. For each parameter `p` with gradient `g`, at step `t`:
 *
 * ```text
 * g = maximize ? -g : g
 * g = g + weightDecay * p                          (if weightDecay != 0)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * vMax = max(vMax, v)                              (AMSGrad; then v below means vMax)
 * p = p - lr * (m / (1 - beta1^t)) / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * ```
 *
 * @throws ConfigError for a negative `lr`, `eps` or `weightDecay`, or betas outside [0, 1).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Adam } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const opt = new Adam([w], { lr: 0.05, amsgrad: true });
 * for (let i = 0; i < 100; i++) opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export class Adam extends Optimizer<AdamHyperparams> {
  static override className = 'Adam';

  constructor(params: tf.Variable[] | ParamGroup<AdamHyperparams>[], options: AdamOptions = {}) {
    super(params, withDefaults({ ...ADAM_DEFAULTS, betas: [...ADAM_DEFAULTS.betas] }, options));
  }

  protected override validate(h: AdamHyperparams, fn: string, arg: string): void {
    checkNonNegative(h.lr, `${arg}.lr`, fn);
    checkBetas(h.betas, `${arg}.betas`, fn);
    checkNonNegative(h.eps, `${arg}.eps`, fn);
    checkNonNegative(h.weightDecay, `${arg}.weightDecay`, fn);
    checkBoolean(h.amsgrad, `${arg}.amsgrad`, fn);
    checkBoolean(h.maximize, `${arg}.maximize`, fn);
  }

  protected override transform(g: Group<AdamHyperparams>): GradientTransformation {
    const [b1, b2] = g.betas;
    return chain(
      ...(g.maximize ? [scale(-1)] : []),
      addDecayedWeights(g.weightDecay),
      scaleByAdam({ b1, b2, eps: g.eps, amsgrad: g.amsgrad }),
      scaleByLearningRate(g.lr),
    );
  }
}
