/**
 * W3: inference with the W1 network (eval mode), batch 1024, T = 25, the same image at every
 * step; the result read back is the spike count per class.
 */
import * as tf from '@tensorflow/tfjs';
import { manualSeed } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import type { Runner, Variant, Workload } from './types.js';
import { buildW1Net, staticInput } from './w1.js';

const T = 25;
const N = 1024;

export const W3: Workload = {
  name: 'W3',
  title: 'inference W1 net (eval), B=1024, T=25, static input, spike counts',
  batch: N,
  build(variant: Variant): Runner {
    manualSeed(0);
    const { net, out } = buildW1Net();
    out.storeVSeq = false;
    net.eval();
    const x = tf.randomUniform([N, 784], 0, 1, 'float32', 1);
    return {
      step: () => {
        const counts = tf.tidy(() => tf.sum(net.forward(staticInput(x, T, variant)), 0));
        counts.dataSync();
        counts.dispose();
        resetNet(net);
      },
      dispose: () => {
        net.dispose();
        x.dispose();
      },
    };
  },
};
