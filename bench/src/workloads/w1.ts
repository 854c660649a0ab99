/**
 * W1 (snnTorch tutorial 5 shaped): train 784-1000-10 LIF (β = 0.95, i.e. τ = 20 without input
 * decay, soft reset with the reset detached, ATan surrogate), T = 25, batch 128, the same image at
 * every step, loss = Σ_t CE(V_out[t], y), Adam. W3 reuses the network for inference.
 */
import * as tf from '@tensorflow/tfjs';
import { manualSeed } from '@snnts/core';
import { ATan, repeatOverTime, resetNet, setStepMode } from '@snnts/functional';
import { CrossEntropyLoss, LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';
import { Adam } from '@snnts/optim';
import type { Runner, Variant, Workload } from './types.js';

/** The W1/W3 network: Linear(784, 1000) -> LIF -> Linear(1000, 10) -> LIF (storing V). */
export function buildW1Net(): { net: Sequential; out: LIFNode } {
  const lif = (storeVSeq = false) =>
    new LIFNode({ tau: 20, decayInput: false, vReset: null, detachReset: true, surrogateFunction: new ATan({ alpha: 2 }), storeVSeq });
  const out = lif(true);
  const net = new Sequential(new SeqToANNContainer(new Linear(784, 1000)), lif(), new SeqToANNContainer(new Linear(1000, 10)), out);
  setStepMode(net, 'm');
  return { net, out };
}

/** `x` repeated over T: marked with `repeatOverTime` (default) or a plain stack (naive). */
export function staticInput(x: tf.Tensor, T: number, variant: Variant): tf.Tensor {
  return variant === 'naive' ? tf.stack(new Array<tf.Tensor>(T).fill(x)) : repeatOverTime(x, T);
}

const T = 25;
const N = 128;

export const W1: Workload = {
  name: 'W1',
  title: 'train 784-1000-10 LIF, T=25, B=128, static input, sum_t CE(V_out[t]), Adam',
  batch: N,
  build(variant: Variant): Runner {
    manualSeed(0);
    const { net, out } = buildW1Net();
    const opt = new Adam(net.parameters(), { lr: 5e-4 });
    const ce = new CrossEntropyLoss({ reduction: 'sum' });
    const x = tf.randomUniform([N, 784], 0, 1, 'float32', 1);
    const y = tf.randomUniform([N], 0, 10, 'int32', 2);
    const yT = tf.tile(y, [T]);
    return {
      step: () => {
        opt.minimize(() => {
          net.forward(staticInput(x, T, variant));
          const v = out.vSeq!; // [T, N, 10]
          return tf.div(ce.forward(tf.reshape(v, [T * N, 10]), yT), N) as tf.Scalar;
        });
        resetNet(net);
      },
      dispose: () => {
        net.dispose();
        opt.dispose();
        tf.dispose([x, y, yT]);
      },
    };
  },
};
