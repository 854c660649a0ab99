/**
 * `AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW: the
 * parameter shrinks by `lr * weightDecay` before the Adam step instead of the decay entering
 * the gradient.
 */
import type * as tf from '@tensorflow/tfjs';
import { Adam, type AdamHyperparams, type AdamOptions } from './adam.js';
import { chain, type GradientTransformation } from './base.js';
import { withDefaults } from './checks.js';
import type { Group, ParamGroup } from './types.js';
import { scaleByAdam } from './scale_by_adam.js';
import { addDecayedWeights, scale, scaleByLearningRate } from './transforms.js';

/**
 * AdamW, following torch.optim.AdamW (`weightDecay` defaults to 1e-2). Per step:
 *
 * ```text
 * g = maximize ? -g : g
 * p = p * (1 - lr * weightDecay)
 * p = p - lr * adamStep(g)      (adamStep as in Adam, without L2 decay)
 * ```
 *
 * As a transform chain this is `scaleByAdam`, then `addDecayedWeights(weightDecay)`, then
 * `scaleByLearningRate(lr)`: `p + (-lr) * (adamStep + wd * p)`, the same update.
 *
 * @throws ConfigError as {@link Adam}.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { AdamW } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const opt = new AdamW([w], { lr: 0.01, weightDecay: 0.05 });
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export class AdamW extends Adam {
  static override className = 'AdamW';

  constructor(params: tf.Variable[] | ParamGroup<AdamHyperparams>[], options: AdamOptions = {}) {
    super(params, withDefaults({ weightDecay: 1e-2 }, options));
  }

  protected override transform(g: Group<AdamHyperparams>): GradientTransformation {
    const [b1, b2] = g.betas;
    return chain(
      ...(g.maximize ? [scale(-1)] : []),
      scaleByAdam({ b1, b2, eps: g.eps, amsgrad: g.amsgrad }),
      addDecayedWeights(g.weightDecay),
      scaleByLearningRate(g.lr),
    );
  }
}
