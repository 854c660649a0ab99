/**
 * W2: train 784-256-10 LIF (τ = 2, hard reset, spikingjelly defaults), T = 16, batch 32, fresh
 * Poisson spikes every step, CE on the mean firing rate, Adam.
 */
import * as tf from '@tensorflow/tfjs';
import { manualSeed } from '@snnts/core';
import { poissonEncode, resetNet, setStepMode } from '@snnts/functional';
import { CrossEntropyLoss, LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';
import { Adam } from '@snnts/optim';
import type { Runner, Workload } from './types.js';

const T = 16;
const N = 32;

export const W2: Workload = {
  name: 'W2',
  title: 'train 784-256-10 LIF(tau 2, hard reset), T=16, B=32, Poisson input, CE on mean rate, Adam',
  batch: N,
  build(): Runner {
    manualSeed(0);
    const net = new Sequential(new SeqToANNContainer(new Linear(784, 256)), new LIFNode({ tau: 2 }), new SeqToANNContainer(new Linear(256, 10)), new LIFNode({ tau: 2 }));
    setStepMode(net, 'm');
    const opt = new Adam(net.parameters(), { lr: 1e-3 });
    const ce = new CrossEntropyLoss();
    const x = tf.randomUniform([N, 784], 0, 1, 'float32', 1);
    const y = tf.randomUniform([N], 0, 10, 'int32', 2);
    return {
      step: () => {
        opt.minimize(() => ce.forward(tf.mean(net.forward(poissonEncode(x, { T })), 0), y) as tf.Scalar);
        resetNet(net);
      },
      dispose: () => {
        net.dispose();
        opt.dispose();
        tf.dispose([x, y]);
      },
    };
  },
};
