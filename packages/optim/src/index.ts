/**
 * @snnts/optim: optimizers and learning-rate schedulers with PyTorch's semantics (`SGD`, `Adam`,
 * `AdamW`, `StepLR`, `CosineAnnealingLR`, `LambdaLR`), built on a small composable core of pure
 * gradient transformations (`chain`, `scaleByAdam`, `trace`, ...) in the style of optax.
 *
 * @packageDocumentation
 */
export { applyUpdates, chain } from './base.js';
export type { GradientTransformation, OptState, ParamState, StateValue, UpdateResult } from './base.js';
export { addDecayedWeights, scale, scaleByLearningRate, trace } from './transforms.js';
export type { TraceOptions } from './transforms.js';
export { scaleByAdam } from './scale_by_adam.js';
export type { ScaleByAdamOptions } from './scale_by_adam.js';
export { Optimizer } from './optimizer.js';
export { trainStep } from './train_step.js';
export type { Grads, Group, GroupState, Hyperparams, MinimizeOptions, OptimizerStateDict, ParamGroup } from './types.js';
export { SGD } from './sgd.js';
export type { SGDHyperparams, SGDOptions } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamHyperparams, AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { LRScheduler } from './lr_scheduler.js';
export type { LRSchedulerStateDict } from './lr_scheduler.js';
export { CosineAnnealingLR, LambdaLR, StepLR } from './schedulers.js';
export type { CosineAnnealingLROptions, LambdaLROptions, LrLambda, StepLROptions } from './schedulers.js';
