/**
 * The training and evaluation loops of the CSNN example: AdamW with a per-step cosine schedule,
 * MSE between the output firing rate and the one-hot label (spikingjelly's CSNN example loss),
 * train accuracy from the same forward, and eval-mode test accuracy in large batches.
 */
import * as tf from '@tensorflow/tfjs';
import { repeatOverTime, resetNet } from '@snnts/functional';
import { MSELoss } from '@snnts/nn';
import type { AdamW, CosineAnnealingLR } from '@snnts/optim';
import type { ImageSet } from '@snnts/datasets';
import type { Csnn } from './model.js';

/** The running numbers of one epoch, reported after every step. */
export interface EpochProgress {
  /** Steps done in this epoch. */
  step: number;
  /** Mean loss over the epoch so far. */
  loss: number;
  /** Train accuracy over the epoch so far. */
  acc: number;
}

/** What {@link trainEpoch} needs. */
export interface TrainContext {
  snn: Csnn;
  opt: AdamW;
  scheduler?: CosineAnnealingLR;
  T: number;
  batchSize: number;
}

const mse = new MSELoss();

/** Output firing rate `[N, 10]` of a batch `[N, 1, 28, 28]` fed at every step (direct encoding). */
export function firingRate(snn: Csnn, x: tf.Tensor, T: number): tf.Tensor {
  return tf.mean(snn.net.forward(repeatOverTime(x, T)), 0);
}

/** One epoch over `train` in the order of `batches`; calls `onStep` after each step. */
export function trainEpoch(ctx: TrainContext, train: ImageSet, batches: Int32Array[], onStep: (p: EpochProgress) => void): EpochProgress {
  const { snn, opt, scheduler, T } = ctx;
  snn.net.train();
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  batches.forEach((idx, b) => {
    let hits = 0;
    const loss = tf.tidy(() => {
      const { x, y } = train.batch(idx);
      let correctT: tf.Tensor | undefined;
      const value = opt.minimize(() => {
        const rate = firingRate(snn, x, T);
        correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(rate, 1), y), 'int32')));
        return mse.forward(rate, tf.cast(tf.oneHot(y, 10), 'float32')) as tf.Scalar;
      });
      hits = correctT!.dataSync()[0]!;
      correctT!.dispose();
      return value;
    });
    resetNet(snn.net);
    scheduler?.step();
    lossSum += loss * idx.length;
    correct += hits;
    seen += idx.length;
    onStep({ step: b + 1, loss: lossSum / seen, acc: correct / seen });
  });
  return { step: batches.length, loss: lossSum / seen, acc: correct / seen };
}

/** Eval-mode accuracy (argmax of the output firing rate) over the whole set, in batches. */
export function evaluate(snn: Csnn, set: ImageSet, T: number, batchSize = 500): number {
  snn.net.eval();
  let correct = 0;
  for (const idx of set.batches(batchSize)) {
    correct += tf.tidy(() => {
      const { x, y } = set.batch(idx);
      return tf.sum(tf.cast(tf.equal(tf.argMax(firingRate(snn, x, T), 1), y), 'int32')).dataSync()[0]!;
    });
    resetNet(snn.net);
  }
  return correct / set.length;
}
