/**
 * `SGD`: stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay
 * and `maximize`, exactly as torch.optim.SGD documents it, built as a chain of transforms.
 */
import type * as tf from '@tensorflow/tfjs';
import { assertNumber, ConfigError } from '@snnts/core';
import { chain, type GradientTransformation } from './base.js';
import { checkBoolean, checkNonNegative, withDefaults } from './checks.js';
import { Optimizer } from './optimizer.js';
import type { Group, Hyperparams, ParamGroup } from './types.js';
import { addDecayedWeights, scale, scaleByLearningRate, trace } from './transforms.js';

/**
 * SGD's hyperparameters, per group (`optimizer.paramGroups[i]` holds them all).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, type SGDHyperparams } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([2]))], { lr: 0.1 });
 * const h: SGDHyperparams = opt.paramGroups[0]!; // { lr: 0.1, momentum: 0, dampening: 0, ... }
 * ```
 */
export interface SGDHyperparams extends Hyperparams {
  /** Momentum factor `mu` (default 0: plain SGD). */
  momentum: number;
  /** Dampening `tau` of the gradient in the momentum buffer, from the second step (default 0). */
  dampening: number;
  /** Nesterov momentum; needs `momentum > 0` and `dampening = 0` (default false). */
  nesterov: boolean;
  /** L2 penalty `lambda`, added to the gradient as `lambda * p` (default 0). */
  weightDecay: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/**
 * Options of {@link SGD}: `lr` is required, the rest default as in PyTorch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, type SGDOptions } from '@snnts/optim';
 * const options: SGDOptions = { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 };
 * const opt = new SGD([tf.variable(tf.zeros([2]))], options);
 * ```
 */
export type SGDOptions = Partial<SGDHyperparams> & { lr: number };

/**
 * Stochastic gradient descent, following torch.optim.SGD. For each parameter `p` with gradient
 * `g`, at step `t`:
 *
 * ```text
 * g = maximize ? -g : g
 * g = g + weightDecay * p                       (if weightDecay != 0)
 * b = t == 1 ? g : momentum * b + (1 - dampening) * g   (if momentum != 0)
 * g = nesterov ? g + momentum * b : b           (if momentum != 0)
 * p = p - lr * g
 * ```
 *
 * @throws ConfigError for a negative `lr`, `momentum` or `weightDecay`, or Nesterov without
 * momentum or with dampening.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true });
 * for (let i = 0; i < 50; i++) opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export class SGD extends Optimizer<SGDHyperparams> {
  static override className = 'SGD';

  constructor(params: tf.Variable[] | ParamGroup<SGDHyperparams>[], options: SGDOptions) {
    const defaults: Omit<SGDHyperparams, 'lr'> = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    super(params, withDefaults(defaults, options) as SGDHyperparams);
  }

  protected override validate(h: SGDHyperparams, fn: string, arg: string): void {
    checkNonNegative(h.lr, `${arg}.lr`, fn);
    checkNonNegative(h.momentum, `${arg}.momentum`, fn);
    assertNumber(h.dampening, Number.isFinite, 'a finite number', `${arg}.dampening`, fn);
    checkNonNegative(h.weightDecay, `${arg}.weightDecay`, fn);
    checkBoolean(h.nesterov, `${arg}.nesterov`, fn);
    checkBoolean(h.maximize, `${arg}.maximize`, fn);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new ConfigError(fn, `${arg}.nesterov`, 'momentum > 0 and dampening = 0 with Nesterov momentum', `momentum ${h.momentum} and dampening ${h.dampening}`);
    }
  }

  protected override transform(g: Group<SGDHyperparams>): GradientTransformation {
    const steps: GradientTransformation[] = [];
    if (g.maximize) steps.push(scale(-1));
    if (g.weightDecay !== 0) steps.push(addDecayedWeights(g.weightDecay));
    if (g.momentum !== 0) steps.push(trace({ momentum: g.momentum, dampening: g.dampening, nesterov: g.nesterov }));
    steps.push(scaleByLearningRate(g.lr));
    return chain(...steps);
  }
}
