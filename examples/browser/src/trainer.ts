/**
 * The training loop of the page, independent of the DOM (so the browser tests drive it directly):
 * one AdamW step per call on a shuffled batch, test accuracy on a slice of the test set, a trace
 * of one test digit (hidden spike raster, output membrane potentials), and the weights as
 * safetensors bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, manualSeed, toSafetensors } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import { MSELoss } from '@snnts/nn';
import { AdamW } from '@snnts/optim';
import { batchTensors, type DigitSet } from './data.js';
import { buildSnn, forwardDirect, type DigitSnn } from './model.js';

/** Settings of a {@link Trainer}; every field has a default. */
export interface TrainerOptions {
  /** Hidden LIF neurons (default 128). */
  hidden?: number;
  /** Time steps per image (default 8). */
  T?: number;
  /** Batch size (default 32). */
  batchSize?: number;
  /** AdamW learning rate (default 2e-3). */
  lr?: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
}

/** One training step's numbers. */
export interface StepResult {
  step: number;
  loss: number;
  /** Accuracy on the step's batch. */
  accuracy: number;
}

/** A test digit seen by the network: `[T][neuron]` arrays. */
export interface DigitTrace {
  label: number;
  prediction: number;
  /** Hidden-layer spikes `[T][H]` (0/1). */
  hiddenSpikes: number[][];
  /** Output-layer post-reset membrane potentials `[T][10]`. */
  outputV: number[][];
  /** Output-layer spikes `[T][10]`. */
  outputSpikes: number[][];
  /** Threshold of the output neurons. */
  vThreshold: number;
}

const rows = (flat: ArrayLike<number>, cols: number): number[][] =>
  Array.from({ length: flat.length / cols }, (_, r) => Array.from(flat).slice(r * cols, (r + 1) * cols));

/**
 * Trains the page's network on a train set and evaluates it on a test set.
 *
 * @example
 * ```ts
 * const trainer = new Trainer(train, test, { hidden: 64 });
 * for (let i = 0; i < 100; i++) await trainer.trainStep();
 * console.log(await trainer.evaluate(500));
 * ```
 */
export class Trainer {
  readonly options: Required<TrainerOptions>;
  readonly snn: DigitSnn;
  step = 0;
  private readonly opt: AdamW;
  private readonly params: tf.Variable[];
  private readonly loss = new MSELoss();
  private readonly shuffler: Generator;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;

  constructor(
    readonly train: DigitSet,
    readonly test: DigitSet,
    options: TrainerOptions = {},
  ) {
    this.options = { hidden: 128, T: 8, batchSize: 32, lr: 2e-3, seed: 0, ...options };
    manualSeed(this.options.seed);
    this.snn = buildSnn(this.options.hidden);
    this.params = this.snn.net.parameters();
    this.opt = new AdamW(this.params, { lr: this.options.lr });
    this.shuffler = new Generator(this.options.seed + 1);
  }

  private nextBatch(): Int32Array {
    const n = this.options.batchSize;
    if (this.cursor + n > this.order.length) {
      this.order = this.shuffler.permutation(this.train.count);
      this.cursor = 0;
    }
    this.cursor += n;
    return this.order.subarray(this.cursor - n, this.cursor);
  }

  /**
   * One optimisation step on the next batch, with `Optimizer.minimizeAsync`: the loss is read
   * back asynchronously, since a synchronous read (`dataSync`, as `minimize` does) stalls the GPU
   * pipeline, and on WebGPU in headless Chromium it loses the device.
   */
  async trainStep(): Promise<StepResult> {
    const { T } = this.options;
    this.snn.net.train();
    let correct: tf.Tensor | null = null;
    const loss = await this.opt.minimizeAsync(() => {
      const { x, y } = batchTensors(this.train, this.nextBatch());
      const rate = tf.mean(forwardDirect(this.snn, x, T).out, 0);
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(rate, 1), y), 'int32')));
      return this.loss.forward(rate, tf.cast(tf.oneHot(y, 10), 'float32')) as tf.Scalar;
    });
    resetNet(this.snn.net);
    const c = await correct!.data();
    correct!.dispose();
    this.step++;
    return { step: this.step, loss, accuracy: c[0]! / this.options.batchSize };
  }

  /** Accuracy (argmax of the output firing rate) on the first `count` test digits. */
  async evaluate(count = this.test.count, batchSize = 250): Promise<number> {
    this.snn.net.eval();
    let correct = 0;
    const n = Math.min(count, this.test.count);
    for (let s = 0; s < n; s += batchSize) {
      const idx = Int32Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
      const hits = tf.tidy(() => {
        const { x, y } = batchTensors(this.test, idx);
        const rate = tf.mean(forwardDirect(this.snn, x, this.options.T).out, 0);
        return tf.sum(tf.cast(tf.equal(tf.argMax(rate, 1), y), 'int32'));
      });
      correct += (await hits.data())[0]!;
      hits.dispose();
      resetNet(this.snn.net);
    }
    return correct / n;
  }

  /** What the network does with test digit `index`. */
  async trace(index: number): Promise<DigitTrace> {
    const { snn } = this;
    snn.net.eval();
    snn.lif2.storeVSeq = true;
    const [hidden, out, v] = tf.tidy(() => {
      const { x } = batchTensors(this.test, [index]);
      const r = forwardDirect(snn, x, this.options.T);
      return [tf.squeeze(r.hidden, [1]), tf.squeeze(r.out, [1]), tf.squeeze(snn.lif2.vSeq!, [1])];
    });
    const [h, o, vv] = await Promise.all([hidden.data(), out.data(), v.data()]);
    tf.dispose([hidden, out, v]);
    snn.lif2.storeVSeq = false;
    resetNet(snn.net);
    const counts = Array.from({ length: 10 }, (_, k) => rows(o, 10).reduce((a, r) => a + r[k]!, 0));
    return {
      label: this.test.labels[index]!,
      prediction: counts.indexOf(Math.max(...counts)),
      hiddenSpikes: rows(h, this.options.hidden),
      outputV: rows(vv, 10),
      outputSpikes: rows(o, 10),
      vThreshold: 1.0,
    };
  }

  /** The trained weights as safetensors bytes (PyTorch names: `0.1.weight`, ...). */
  weights(): Promise<Uint8Array> {
    return toSafetensors(this.snn.net);
  }

  /** Frees the network and the optimizer state. */
  dispose(): void {
    this.snn.net.dispose();
    this.opt.dispose();
  }
}
