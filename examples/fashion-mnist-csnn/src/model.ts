/**
 * The convolutional SNN of this example, written the spikingjelly way (`SeqToANNContainer` around
 * the stateless layers, `LIFNode`s in multi-step mode), and a forward pass that computes the first
 * block once per image instead of once per time step (its input is the same image at every step).
 *
 *   [T, N, 1, 28, 28] -> Conv(1, c1, 3, p1) - BN - MaxPool(2) -> LIF
 *                     -> Conv(c1, c2, 3, p1) - BN - MaxPool(2) -> LIF
 *                     -> Flatten - Linear(c2·7·7, 10) -> LIF -> [T, N, 10] spikes
 *
 * Pooling comes before each LIF (pooling the membrane input, not the spikes): the neurons then run
 * on a quarter of the positions, which is what makes an epoch affordable on two CPU cores.
 */
import * as tf from '@tensorflow/tfjs';
import { setStepMode } from '@snnts/functional';
import { ATan } from '@snnts/functional';
import { BatchNorm2d, Conv2d, Flatten, LIFNode, Linear, MaxPool2d, SeqToANNContainer, Sequential } from '@snnts/nn';

/** Channel widths and neuron settings. */
export interface CsnnOptions {
  /** Channels of the first convolution (default 16). */
  c1?: number;
  /** Channels of the second convolution (default 32). */
  c2?: number;
  /** LIF membrane time constant (default 2). */
  tau?: number;
}

/** The network and handles on its blocks (indices into `net`). */
export interface Csnn {
  /** The whole network, multi-step: `[T, N, 1, 28, 28] -> [T, N, 10]`. */
  net: Sequential;
  /** `net[0]`: the first conv block (stateless; hoisted over time by {@link forwardRepeated}). */
  stem: SeqToANNContainer;
  /** The three spiking layers, in order. */
  lifs: [LIFNode, LIFNode, LIFNode];
}

/** Builds the network in `'m'` mode. */
export function buildCsnn(opts: CsnnOptions = {}): Csnn {
  const c1 = opts.c1 ?? 16;
  const c2 = opts.c2 ?? 32;
  const lif = () => new LIFNode({ tau: opts.tau ?? 2, detachReset: true, surrogateFunction: new ATan({ alpha: 2 }) });
  const stem = new SeqToANNContainer(new Conv2d(1, c1, 3, { padding: 1, bias: false }), new BatchNorm2d(c1), new MaxPool2d(2));
  const lifs: [LIFNode, LIFNode, LIFNode] = [lif(), lif(), lif()];
  const net = new Sequential(
    stem,
    lifs[0],
    new SeqToANNContainer(new Conv2d(c1, c2, 3, { padding: 1, bias: false }), new BatchNorm2d(c2), new MaxPool2d(2)),
    lifs[1],
    new SeqToANNContainer(new Flatten(), new Linear(c2 * 7 * 7, 10)),
    lifs[2],
  );
  setStepMode(net, 'm');
  return { net, stem, lifs };
}

/**
 * Repeats `x` `[N, ...]` T times along a new leading axis: `[T, N, ...]` (a concat, whose gradient
 * is a cheap split; tfjs's `tile` has no gradient beyond rank 4 and is slow on wasm).
 */
export function repeatT(x: tf.Tensor, T: number): tf.Tensor {
  const one = tf.reshape(x, [1, -1]);
  return tf.reshape(tf.concat(new Array<tf.Tensor>(T).fill(one), 0), [T, ...x.shape]);
}

/**
 * `net.forward(repeatT(x, T))`, with the stateless first block run once on `[1, N, ...]` and its
 * output repeated, instead of running it on T identical copies. Outputs and gradients are the
 * same (BatchNorm's batch mean and biased variance over T identical copies equal those over one);
 * only the unbiased variance folded into BatchNorm's running estimate uses N-1 instead of T·N-1.
 * Call it inside `tf.tidy` or an optimizer's `minimize`.
 */
export function forwardRepeated(snn: Csnn, x: tf.Tensor, T: number): tf.Tensor {
  const h = snn.stem.forward(tf.expandDims(x, 0)); // [1, N, c1, 14, 14]
  let y = repeatT(tf.squeeze(h, [0]), T);
  const layers = snn.net.children();
  for (let i = 1; i < layers.length; i++) y = layers[i]!.forward(y) as tf.Tensor;
  return y;
}
