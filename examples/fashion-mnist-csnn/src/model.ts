/**
 * The convolutional SNN of this example, written the spikingjelly way (`SeqToANNContainer` around
 * the stateless layers, `LIFNode`s in multi-step mode).
 *
 *   [T, N, 1, 28, 28] -> Conv(1, c1, 3, p1) - BN - MaxPool(2) -> LIF
 *                     -> Conv(c1, c2, 3, p1) - BN - MaxPool(2) -> LIF
 *                     -> Flatten - Linear(c2·7·7, 10) -> LIF -> [T, N, 10] spikes
 *
 * Feed it `repeatOverTime(x, T)` (direct encoding): `SeqToANNContainer` then runs the stateless
 * first block once per image instead of once per time step, and the fused LIF kernels read the
 * repeated input once.
 *
 * Pooling comes before each LIF (pooling the membrane input, not the spikes): the neurons then run
 * on a quarter of the positions, which is what makes an epoch affordable on two CPU cores.
 */
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
  /** `net[0]`: the first conv block (stateless; run once per image on a `repeatOverTime` input). */
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
