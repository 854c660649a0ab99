/**
 * Batch-norm folding (in evaluation mode): a `BatchNorm2d` right after a `Conv2d`, or a
 * `BatchNorm1d` right after a `Linear`, whose output nothing else reads, is folded into that
 * layer: `W' = W * g`, `b' = (b - mean) * g + beta` with `g = gamma / sqrt(var + eps)` per output
 * channel, computed in float64. spikingjelly folds only Conv + BN; the Linear case is the same
 * algebra.
 */
import * as tf from '@tensorflow/tfjs';
import { fromConfig, serialize, type Module } from '@snnts/core';
import { BatchNorm1d, BatchNorm2d, BatchNormBase, Conv2d, Linear } from '@snnts/nn';
import { readerCounts, removeStep, type FlatNet } from './steps.js';

/** A fold that happened: the batch norm and the layer it went into (their indices in the flat net). @internal */
export interface Fold {
  batchNorm: Module;
  into: Module;
  /** The layer that replaced `into` (a copy with a bias). */
  folded: Module;
}

function values(t: tf.Tensor | null, n: number, fill: number): Float64Array {
  return t ? Float64Array.from(t.dataSync()) : new Float64Array(n).fill(fill);
}

/** `layer` with `bn` folded in: a new module of the same class with a bias. */
function foldInto(layer: Conv2d | Linear, bn: BatchNormBase): Module {
  const C = bn.numFeatures;
  const gamma = values(bn.weight, C, 1);
  const beta = values(bn.bias, C, 0);
  const mean = values(bn.runningMean, C, 0);
  const variance = values(bn.runningVar, C, 1);
  const g = gamma.map((v, c) => v / Math.sqrt(variance[c]! + bn.eps));
  const w = layer.weight.dataSync();
  const per = w.length / C;
  const w2 = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) w2[i] = w[i]! * g[Math.floor(i / per)]!;
  const b = values(layer.bias, C, 0);
  const b2 = Float32Array.from(b, (v, c) => (v - mean[c]!) * g[c]! + beta[c]!);
  const { className, config } = serialize(layer);
  const out = fromConfig({ className, config: { ...config, bias: true } });
  const dict = { weight: tf.tensor(w2, layer.weight.shape), bias: tf.tensor1d(b2) };
  try {
    out.loadStateDict(dict);
  } finally {
    tf.dispose(Object.values(dict));
  }
  out.train(layer.training);
  return out;
}

/** Whether `bn` folds into `layer` (matching kinds and channel counts, running statistics in use). */
function foldable(layer: Module, bn: Module): bn is BatchNormBase {
  if (!(bn instanceof BatchNormBase) || !bn.trackRunningStats) return false;
  if (layer instanceof Conv2d) return bn instanceof BatchNorm2d && bn.numFeatures === layer.outChannels;
  if (layer instanceof Linear) return bn instanceof BatchNorm1d && bn.numFeatures === layer.outFeatures;
  return false;
}

/**
 * Folds every foldable batch norm of `flat`; the replaced layers and the batch norms are disposed.
 *
 * @internal
 */
export function foldBatchNorms(flat: FlatNet): { flat: FlatNet; folds: Fold[] } {
  const folds: Fold[] = [];
  let net = flat;
  for (let k = 0; k < net.steps.length; k++) {
    const bnStep = net.steps[k]!;
    if (bnStep.inputs.length !== 1) continue;
    const src = bnStep.inputs[0]! - 1;
    if (src < 0) continue;
    const layerStep = net.steps[src]!;
    if (!foldable(layerStep.module, bnStep.module) || readerCounts(net)[src + 1] !== 1) continue;
    const folded = foldInto(layerStep.module as Conv2d | Linear, bnStep.module);
    folds.push({ batchNorm: bnStep.module, into: layerStep.module, folded });
    net.steps[src] = { module: folded, inputs: layerStep.inputs };
    net = removeStep(net, k, src + 1);
    k--;
  }
  return { flat: net, folds };
}
