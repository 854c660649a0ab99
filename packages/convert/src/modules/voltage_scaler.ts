/**
 * `VoltageScaler`: multiplies its input by a fixed scale, spikingjelly's `ann2snn.modules.
 * VoltageScaler`. ANN-to-SNN conversion puts `VoltageScaler(1/s)` before and `VoltageScaler(s)`
 * after each IF neuron that replaces a ReLU; `s` is a scalar or one value per channel (axis 1 of
 * one step). Time-invariant (see `registerTimeInvariant`): it runs once on a repeated frame.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer, registerTimeInvariant } from '@snnts/nn';

/** Options of {@link VoltageScaler}. */
export interface VoltageScalerArgs extends StepModuleArgs {
  /** Number of channels for a channel-wise scale (default: a scalar scale). */
  channels?: number;
}

/**
 * `y = scale * x`; the scale is a buffer (state-dict key `scale`): a scalar, or `[C]` applied
 * along axis 1 of `[N, C, ...]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { VoltageScaler } from '@snnts/convert';
 * new VoltageScaler(0.5).call(tf.ones([2, 3])).print(); // all 0.5
 * new VoltageScaler([1, 2], { channels: 2 }).call(tf.ones([1, 2, 2, 2])).sum([2, 3]).print(); // [[4, 8]]
 * ```
 */
export class VoltageScaler extends StepLayer {
  static override className = 'VoltageScaler';
  /** Channels of a channel-wise scale, or `null` for a scalar one. */
  readonly channels: number | null;

  constructor(scale: number | readonly number[] = 1, args: VoltageScalerArgs = {}) {
    super(args);
    const values = typeof scale === 'number' ? [scale] : [...scale];
    this.channels = args.channels ?? (typeof scale === 'number' ? null : values.length);
    const n = this.channels ?? 1;
    if (values.length !== n || values.some((v) => !Number.isFinite(v))) {
      throw new ConfigError('VoltageScaler', 'scale', this.channels === null ? 'a finite number' : `${n} finite numbers (one per channel)`, JSON.stringify(scale));
    }
    this.registerBuffer('scale', this.channels === null ? tf.scalar(values[0]!) : tf.tensor1d(values));
  }

  /** The scale values (one, or one per channel). */
  get scale(): number[] {
    return Array.from(this.getBuffer('scale').dataSync());
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const s = this.getBuffer('scale');
    if (this.channels === null) return tf.mul(x, s);
    if (x.rank < 2 || x.shape[1] !== this.channels) {
      throw new ConfigError('VoltageScaler.forward', 'x', `[N, ${this.channels}, ...] (a channel-wise scale)`, `shape [${x.shape.join(', ')}]`);
    }
    return tf.mul(x, tf.reshape(s, [this.channels, ...new Array<number>(x.rank - 2).fill(1)]));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), channels: this.channels };
  }

  /** Rebuilds from {@link VoltageScaler.getConfig}'s output (the scale comes from the state dict). */
  static fromConfig(c: ConfigDict): VoltageScaler {
    const channels = c['channels'] as number | null;
    return new VoltageScaler(channels === null ? 1 : new Array<number>(channels).fill(1), { ...(c as StepModuleArgs), ...(channels === null ? {} : { channels }) });
  }
}
registerClass(VoltageScaler);
// Per-frame: hoisted over a repeated input, and fine to run in time chunks.
registerTimeInvariant('VoltageScaler');
