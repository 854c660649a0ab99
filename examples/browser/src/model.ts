/**
 * The network the page trains: 784-H-10 with LIF neurons (spikingjelly's MNIST example, smaller),
 * direct encoding (the image at every step), and the firing rate of the 10 output neurons as the
 * class score.
 */
import * as tf from '@tensorflow/tfjs';
import { ATan, setStepMode } from '@snnts/functional';
import { Flatten, LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';

/** The network and handles on its layers. */
export interface DigitSnn {
  net: Sequential;
  fc1: SeqToANNContainer;
  lif1: LIFNode;
  fc2: SeqToANNContainer;
  lif2: LIFNode;
}

/** Builds the network in multi-step mode (`[T, N, 1, 28, 28]` in, `[T, N, 10]` spikes out). */
export function buildSnn(hidden: number): DigitSnn {
  const lif = () => new LIFNode({ tau: 2.0, decayInput: false, vReset: 0.0, surrogateFunction: new ATan({ alpha: 2 }) });
  const fc1 = new SeqToANNContainer(new Flatten(), new Linear(784, hidden));
  const lif1 = lif();
  const fc2 = new SeqToANNContainer(new Linear(hidden, 10));
  const lif2 = lif();
  const net = new Sequential(fc1, lif1, fc2, lif2);
  setStepMode(net, 'm');
  return { net, fc1, lif1, fc2, lif2 };
}

/**
 * `net.forward` of the image repeated over `T` steps, computing the first `Linear` once (its
 * current is the same at every step): same outputs and gradients, T times less work there.
 * Returns the output spikes `[T, N, 10]` and the hidden spikes `[T, N, H]`.
 */
export function forwardDirect(snn: DigitSnn, x: tf.Tensor, T: number): { out: tf.Tensor; hidden: tf.Tensor } {
  const current = snn.fc1.forward(tf.expandDims(x, 0));
  const hidden = snn.lif1.forward(tf.tile(current, [T, 1, 1]));
  return { out: snn.lif2.forward(snn.fc2.forward(hidden)), hidden };
}
