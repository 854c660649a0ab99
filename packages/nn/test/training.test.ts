// End-to-end training behaviour of the network shape: memory stays flat over 200 training
// steps with resets, the same seed gives the same losses, training reduces the loss, and weights
// survive a safetensors save/load (same outputs, PyTorch-style names, strict key checking).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateDictError, load, manualSeed, save, setBackend } from '@snnts/core';
import { ATan, resetNet, setStepMode } from '@snnts/functional';
import { AdamW } from '@snnts/optim';
import { CrossEntropyLoss, Flatten, LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, values } from '../../../test/helpers/golden.js';

const T = 4;

function makeNet(hidden = 32): Sequential {
  const net = new Sequential(
    new SeqToANNContainer(new Flatten(), new Linear(64, hidden)),
    new LIFNode({ tau: 2.0, decayInput: false, vReset: 0.0, surrogateFunction: new ATan({ alpha: 2 }) }),
    new SeqToANNContainer(new Linear(hidden, 4)),
    new LIFNode({ tau: 2.0, decayInput: false }),
  );
  setStepMode(net, 'm');
  return net;
}

/** A tiny separable task: 4 classes of 8x8 "images" with a bright quadrant. */
function batch(seed: number, n = 16): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Array.from({ length: n }, (_, i) => (i + seed) % 4), 'int32');
    const quad = tf.oneHot(labels, 4).reshape([n, 2, 2]);
    const img = tf.image.resizeNearestNeighbor(quad.reshape([n, 2, 2, 1]), [8, 8]).reshape([n, 1, 8, 8]);
    const noise = tf.randomUniform([n, 1, 8, 8], 0, 0.3, 'float32', seed);
    const x = tf.stack(Array(T).fill(tf.add(img, noise)));
    return { x: tf.keep(x), y: tf.keep(labels) };
  });
}

function train(steps: number, seed: number): { losses: number[]; net: Sequential } {
  manualSeed(seed);
  const net = makeNet();
  const opt = new AdamW(net.parameters(), { lr: 1e-2 });
  const ce = new CrossEntropyLoss();
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { x, y } = batch(i);
    losses.push(opt.minimize(() => ce.forward(tf.mul(tf.mean(net.forward(x), 0), 5), y)));
    resetNet(net);
    tf.dispose([x, y]);
  }
  opt.dispose();
  return { losses, net };
}

describe.each(NODE_BACKENDS)('training on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('keeps tf.memory().numTensors flat across 200 training steps with resets', () => {
    manualSeed(0);
    const net = makeNet();
    const opt = new AdamW(net.parameters(), { lr: 1e-3 });
    const ce = new CrossEntropyLoss();
    const { x, y } = batch(0);
    const step = () => {
      opt.minimize(() => ce.forward(tf.mean(net.forward(x), 0), y));
      resetNet(net);
    };
    step(); // optimizer state is created on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    opt.dispose();
    net.dispose();
  });

  it('gives the same losses for the same seed, different ones for another, and learns', () => {
    const a = train(30, 5);
    const b = train(30, 5);
    const c = train(30, 6);
    expect(a.losses).toEqual(b.losses);
    expect(c.losses).not.toEqual(a.losses);
    const first = a.losses.slice(0, 5).reduce((s, v) => s + v, 0) / 5;
    const last = a.losses.slice(-5).reduce((s, v) => s + v, 0) / 5;
    expect(last).toBeLessThan(first * 0.8);
    [a, b, c].forEach((r) => r.net.dispose());
  });

  it('saves and loads safetensors with PyTorch-style names and identical outputs', async () => {
    const { net } = train(5, 9);
    const path = join(mkdtempSync(join(tmpdir(), 'snnts-')), 'net.safetensors');
    await save(net, path);
    expect(Object.keys(net.stateDict())).toEqual(['0.1.weight', '0.1.bias', '2.0.weight', '2.0.bias']);
    manualSeed(123);
    const fresh = makeNet();
    await load(fresh, path);
    const { x } = batch(3);
    net.eval();
    fresh.eval();
    expect(values(fresh.call(x))).toEqual(values(net.call(x)));
    const other = new Sequential(new Linear(64, 32));
    await expect(load(other, path)).rejects.toThrowError(StateDictError);
    await expect(load(other, path)).rejects.toThrowError(/missing keys \[0\.weight, 0\.bias\].*unexpected keys \[0\.1\.bias, 0\.1\.weight, 2\.0\.bias, 2\.0\.weight\]/);
    [net, fresh, other].forEach((m) => m.dispose());
    x.dispose();
  });
});
