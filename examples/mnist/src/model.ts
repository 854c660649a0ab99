/**
 * The 784-256-10 LIF network of spikingjelly's MNIST example, its direct input encoding, and a
 * faster forward pass for that encoding.
 */
import * as tf from '@tensorflow/tfjs';
import { ATan, setStepMode } from '@snnts/functional';
import { Flatten, LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';

/** The network and handles on its four layers. */
export interface MnistSnn {
  net: Sequential;
  fc1: SeqToANNContainer;
  lif1: LIFNode;
  fc2: SeqToANNContainer;
  lif2: LIFNode;
}

/** Builds the network in multi-step mode: `[T, N, 1, 28, 28]` images in, `[T, N, 10]` spikes out. */
export function buildNet(hidden = 256): MnistSnn {
  const lif = () => new LIFNode({ tau: 2.0, decayInput: false, vReset: 0.0, surrogateFunction: new ATan({ alpha: 2 }) });
  const fc1 = new SeqToANNContainer(new Flatten(), new Linear(784, hidden));
  const lif1 = lif();
  const fc2 = new SeqToANNContainer(new Linear(hidden, 10));
  const lif2 = lif();
  const net = new Sequential(fc1, lif1, fc2, lif2);
  setStepMode(net, 'm');
  return { net, fc1, lif1, fc2, lif2 };
}

/** Direct encoding: the analog image repeated at every time step, `[N, ...]` -> `[T, N, ...]`. */
export function encode(x: tf.Tensor, T: number): tf.Tensor {
  return tf.tile(tf.expandDims(x, 0), [T, ...x.shape.map(() => 1)]);
}

/**
 * `net.forward(encode(x, T))` computed T times faster in the first layer: with a repeated input,
 * the first `Linear` gives the same current at every step, so we compute it once and repeat the
 * current instead of the image. Same parameters, same outputs, same gradients. Call it inside a
 * `tf.tidy` (or an optimizer's `minimize`), like `Module.forward`.
 */
export function forwardDirect(snn: MnistSnn, x: tf.Tensor, T: number): tf.Tensor {
  const current = snn.fc1.forward(tf.expandDims(x, 0)); // [1, N, hidden]
  const s1 = snn.lif1.forward(tf.tile(current, [T, 1, 1]));
  return snn.lif2.forward(snn.fc2.forward(s1));
}
