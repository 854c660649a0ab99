/**
 * The types shared by every optimizer: hyperparameters, parameter groups (as passed and as held),
 * the PyTorch-shaped state dict, and the options of `minimize`.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamState } from './base.js';

/**
 * The gradients `Optimizer.step` accepts: by variable, or by `variable.name` (what
 * `tf.variableGrads` returns).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, type Grads } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1]));
 * const byVariable: Grads = new Map([[w, tf.tensor1d([0.5])]]);
 * const byName: Grads = { [w.name]: tf.tensor1d([0.5]) };
 * const opt = new SGD([w], { lr: 1 });
 * opt.step(byVariable);
 * opt.step(byName); // w = 0
 * ```
 */
export type Grads = Map<tf.Variable, tf.Tensor> | Record<string, tf.Tensor>;

/**
 * Hyperparameters every optimizer has; each optimizer's own interface extends it.
 *
 * @example
 * ```ts
 * import type { Hyperparams } from '@snnts/optim';
 * interface MyHyperparams extends Hyperparams { decay: number }
 * const h: MyHyperparams = { lr: 0.1, decay: 0.5 };
 * ```
 */
export interface Hyperparams {
  /** Learning rate. Schedulers overwrite it on each group. */
  lr: number;
}

/**
 * A parameter group as passed to a constructor: variables plus any hyperparameters that override
 * the optimizer's defaults for them (PyTorch's `[{'params': ..., 'lr': ...}, ...]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Adam, type AdamHyperparams, type ParamGroup } from '@snnts/optim';
 * const backbone = [tf.variable(tf.zeros([4, 4]))];
 * const head = [tf.variable(tf.zeros([4]))];
 * const groups: ParamGroup<AdamHyperparams>[] = [{ params: backbone, lr: 1e-4 }, { params: head }];
 * const opt = new Adam(groups, { lr: 1e-3 }); // head uses the default lr 1e-3
 * ```
 */
export type ParamGroup<H extends Hyperparams = Hyperparams> = Partial<H> & { params: tf.Variable[] };

/**
 * A parameter group as the optimizer holds it (`optimizer.paramGroups[i]`): every hyperparameter
 * resolved, and mutable between steps.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([2]))], { lr: 0.1, momentum: 0.9 });
 * for (const group of opt.paramGroups) group.lr *= 0.5; // a hand-made decay
 * ```
 */
export type Group<H extends Hyperparams = Hyperparams> = H & {
  params: tf.Variable[];
  /** The lr a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
};

/**
 * A group in a state dict: the hyperparameters, with `params` as global parameter indices.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([2])), tf.variable(tf.zeros([1]))], { lr: 0.1 });
 * console.log(opt.stateDict().paramGroups[0]!.params); // [0, 1]
 * ```
 */
export type GroupState<H extends Hyperparams = Hyperparams> = H & { params: number[]; initialLr?: number };

/**
 * PyTorch-shaped optimizer state: `state[i]` holds parameter `i`'s state (indices count through the
 * groups in order; parameters that never had a step are absent) and `paramGroups` the
 * hyperparameters. Tensors are clones owned by the holder.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Adam, type AdamHyperparams, type OptimizerStateDict } from '@snnts/optim';
 * const w = tf.variable(tf.zeros([2]));
 * const opt = new Adam([w]);
 * opt.minimize(() => tf.sum(w));
 * const sd: OptimizerStateDict<AdamHyperparams> = opt.stateDict();
 * console.log(sd.state[0]!['step'], sd.paramGroups[0]!.betas); // 1 [0.9, 0.999]
 * tf.dispose(sd.state);
 * ```
 */
export interface OptimizerStateDict<H extends Hyperparams = Hyperparams> {
  state: Record<number, ParamState>;
  paramGroups: GroupState<H>[];
}

/**
 * Options of `Optimizer.minimize`, `Optimizer.minimizeAsync` and `trainStep`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, type MinimizeOptions } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([10]));
 * const options: MinimizeOptions = { clipGradNorm: 1 };
 * new SGD([w], { lr: 0.1 }).minimize(() => tf.sum(tf.square(w)), options); // w = 9.9
 * ```
 */
export interface MinimizeOptions {
  /**
   * Clip the gradients' global L2 norm to this value before the step, like
   * `torch.nn.utils.clip_grad_norm_` (scale = max / (norm + 1e-6) when below 1).
   */
  clipGradNorm?: number;
}
