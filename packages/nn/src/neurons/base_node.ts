/**
 * `BaseNode`: the stateful shell shared by IF, LIF and PLIF neurons. It holds the membrane
 * potential `v` (and `vSeq` when `storeVSeq`), validates inputs, and delegates the math to
 * `@snnts/functional` (`neuronStep` / `neuronMultiStep`): a subclass only provides
 * `neuronalCharge`. The equations are documented once, in {@link @snnts/functional!ifStep},
 * {@link @snnts/functional!lifStep} and {@link @snnts/functional!plifStep}.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, MemoryModule, ShapeError, assertRank, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import {
  SurrogateFunction,
  getSurrogate,
  initialPotential,
  neuronMultiStep,
  neuronStep,
  prepareState,
  resolveNeuronOptions,
  withChargeSpec,
  type ChargeSpec,
  type NeuronOptions,
  type ResolvedNeuronOptions,
} from '@snnts/functional';

/** A surrogate given as an instance or in serialized form (`{ className, config }`). */
export type SurrogateSpec = SurrogateFunction | { className: string; config?: Record<string, unknown> };

/** Options of every spiking neuron module. */
export interface BaseNodeArgs extends Omit<NeuronOptions, 'surrogateFunction'>, StepModuleArgs {
  /** Surrogate spike function (default `new Sigmoid({ alpha: 4 })`). */
  surrogateFunction?: SurrogateSpec;
  /** Keep the post-reset potential of every step in `vSeq` during multi-step runs (default `false`). */
  storeVSeq?: boolean;
}

const RESET_HINT = 'Call resetNet(net) before feeding a batch of another shape.';

function toSurrogate(spec: SurrogateSpec | undefined, fn: string): SurrogateFunction | undefined {
  if (spec === undefined || spec instanceof SurrogateFunction) return spec;
  if (typeof spec === 'object' && spec !== null && typeof spec.className === 'string') {
    return getSurrogate(spec.className, spec.config ?? {});
  }
  throw new ConfigError(fn, 'surrogateFunction', 'a SurrogateFunction or { className, config }', JSON.stringify(spec));
}

/**
 * Base class of spiking neurons: charge -> fire -> reset with state kept across calls.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lifCharge } from '@snnts/functional';
 * import { BaseNode } from '@snnts/nn';
 * class LeakyTenNode extends BaseNode {
 *   static override className = 'LeakyTenNode';
 *   neuronalCharge(x: tf.Tensor, v: tf.Tensor) { return lifCharge(x, v, 10, true, this.vReset); }
 * }
 * const node = new LeakyTenNode();
 * node.call(tf.ones([2, 3]));
 * ```
 */
export abstract class BaseNode extends MemoryModule {
  static override className = 'BaseNode';
  /** Resolved neuron options (threshold, reset, surrogate, detachReset). */
  protected readonly opts: ResolvedNeuronOptions;
  /** See {@link BaseNodeArgs.storeVSeq}. */
  storeVSeq: boolean;
  private vSeq_: tf.Tensor | null = null;

  constructor(args: BaseNodeArgs = {}) {
    super(args);
    const fn = this.className;
    this.opts = resolveNeuronOptions({ ...args, surrogateFunction: toSurrogate(args.surrogateFunction, fn) }, fn);
    this.storeVSeq = args.storeVSeq ?? false;
    this.registerMemory('v', initialPotential(this.opts.vReset));
  }

  /** Firing threshold. */
  get vThreshold(): number {
    return this.opts.vThreshold;
  }
  /** Reset potential (`null`: soft reset). */
  get vReset(): number | null {
    return this.opts.vReset;
  }
  /** The surrogate spike function. */
  get surrogateFunction(): SurrogateFunction {
    return this.opts.surrogateFunction;
  }
  /** Whether the reset ignores the spike's gradient. */
  get detachReset(): boolean {
    return this.opts.detachReset;
  }

  /** Membrane potential after the last step (a number before the first step and after reset). */
  get v(): tf.Tensor | number {
    return this.getMemory('v');
  }

  /** Post-reset potentials `[T, N, ...]` of the last multi-step run when `storeVSeq`, else `null`. */
  get vSeq(): tf.Tensor | null {
    return this.vSeq_;
  }

  /** `H = charge(X, V)`: the only neuron-specific part. */
  abstract neuronalCharge(x: tf.Tensor, v: tf.Tensor): tf.Tensor;

  private charge = (x: tf.Tensor, v: tf.Tensor): tf.Tensor => this.neuronalCharge(x, v);

  /**
   * What `neuronalCharge` computes, for the fused multi-step kernels, or `undefined` (the
   * default: the composed ops run). A subclass returns a spec only when its charge is exactly
   * the one described.
   */
  protected chargeSpec(): ChargeSpec | undefined {
    return undefined;
  }

  singleStepForward(x: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.singleStepForward`;
    assertRank(x, [1, 2, 3, 4, 5], 'x', fn);
    const v = prepareState(x, this.v, fn, RESET_HINT);
    const r = neuronStep(this.charge, x, v, this.opts, { surrogate: this.training });
    this.setMemory('v', r.v);
    return r.spike;
  }

  override multiStepForward(xSeq: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.multiStepForward`;
    assertRank(xSeq, [2, 3, 4, 5, 6], 'xSeq', fn, 'Multi-step input is [T, N, ...].');
    const v0 = this.v;
    const step = xSeq.shape.slice(1);
    if (v0 instanceof tf.Tensor && !tf.util.arraysEqual(v0.shape, step)) {
      throw new ShapeError(fn, 'v', `shape [${step.join(', ')}] (the shape of one step of 'x')`, `shape [${v0.shape.join(', ')}]`, RESET_HINT);
    }
    const spec = this.chargeSpec();
    const charge = spec ? withChargeSpec(this.charge, spec) : this.charge;
    const r = neuronMultiStep(charge, xSeq, v0, this.opts, { surrogate: this.training, storeVSeq: this.storeVSeq }, fn);
    this.setMemory('v', r.v);
    if (r.vSeq) this.setVSeq(r.vSeq);
    return r.spikeSeq;
  }

  private setVSeq(vSeq: tf.Tensor): void {
    const old = this.vSeq_;
    this.vSeq_ = tf.keep(vSeq);
    old?.dispose();
  }

  override reset(): void {
    super.reset();
    this.vSeq_?.dispose();
    this.vSeq_ = null;
  }

  override getConfig(): ConfigDict {
    const sg = this.opts.surrogateFunction;
    return {
      ...super.getConfig(),
      vThreshold: this.opts.vThreshold,
      vReset: this.opts.vReset,
      surrogateFunction: { className: sg.name, config: sg.getConfig() },
      detachReset: this.opts.detachReset,
      storeVSeq: this.storeVSeq,
    };
  }
}
