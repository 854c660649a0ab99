/**
 * W4: one training step of the convolutional SNN of examples/fashion-mnist-csnn (rebuilt here
 * from the public API): Conv(1,16,3,p1)-BN-MaxPool(2) -> LIF -> Conv(16,32,3,p1)-BN-MaxPool(2) ->
 * LIF -> Flatten-Linear(32·7·7, 10) -> LIF, LIF τ = 2 with detachReset and ATan; 28x28 input
 * repeated over T = 4, batch 64, MSE of the firing rate against one-hot labels, AdamW.
 */
import * as tf from '@tensorflow/tfjs';
import { manualSeed } from '@snnts/core';
import { ATan, resetNet, setStepMode } from '@snnts/functional';
import { BatchNorm2d, Conv2d, Flatten, LIFNode, Linear, MSELoss, MaxPool2d, SeqToANNContainer, Sequential } from '@snnts/nn';
import { AdamW } from '@snnts/optim';
import type { Runner, Variant, Workload } from './types.js';
import { staticInput } from './w1.js';

const T = 4;
const N = 64;

export const W4: Workload = {
  name: 'W4',
  title: 'train CSNN Conv-BN-Pool-LIF x2 + Linear-LIF on 28x28, T=4, B=64, MSE on rate, AdamW',
  batch: N,
  build(variant: Variant): Runner {
    manualSeed(0);
    const lif = () => new LIFNode({ tau: 2, detachReset: true, surrogateFunction: new ATan({ alpha: 2 }) });
    const net = new Sequential(
      new SeqToANNContainer(new Conv2d(1, 16, 3, { padding: 1, bias: false }), new BatchNorm2d(16), new MaxPool2d(2)),
      lif(),
      new SeqToANNContainer(new Conv2d(16, 32, 3, { padding: 1, bias: false }), new BatchNorm2d(32), new MaxPool2d(2)),
      lif(),
      new SeqToANNContainer(new Flatten(), new Linear(32 * 7 * 7, 10)),
      lif(),
    );
    setStepMode(net, 'm');
    const opt = new AdamW(net.parameters(), { lr: 1e-3 });
    const mse = new MSELoss();
    const x = tf.randomUniform([N, 1, 28, 28], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.randomUniform([N], 0, 10, 'int32', 2), 10);
    return {
      step: () => {
        opt.minimize(() => mse.forward(tf.mean(net.forward(staticInput(x, T, variant)), 0), y) as tf.Scalar);
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
