/**
 * In-page runs of the PyTorch layer fixtures of packages/nn/test/fixtures (torch_conv, torch_pool,
 * torch_norm) on the active backend: outputs and gradients of `sum(layer(x) * g)`, keyed by the
 * fixture's own field names so the Node side can compare each with PyTorch and with cpu.
 */
import * as tf from '@tensorflow/tfjs';
import type { Module } from '@snnts/core';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  MaxPool2d,
  ThresholdDependentBatchNorm2d,
  type BatchNormArgs,
  type BatchNormBase,
  type Conv2dArgs,
} from '@snnts/nn';
import type { ConvCase, Nested, NormCase, PoolCase } from '../../test/helpers/fixture_types.js';

/** Named flat arrays produced by one case on one backend. */
export interface LayerRun {
  name: string;
  backend: string;
  values: Record<string, number[]>;
}

const flat = async (t: tf.Tensor): Promise<number[]> => Array.from(await t.data());

/** Output and gradients (w.r.t. the input and every parameter) of `sum(layer(x) * g)`. */
async function forwardBackward(layer: Module, x: tf.Tensor, g: tf.Tensor) {
  const xv = tf.variable(x, true);
  const params = layer.parameters();
  let out: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const y = layer.forward(xv);
    out = tf.keep(y);
    return tf.sum(tf.mul(y, g)) as tf.Scalar;
  }, [xv, ...params]);
  const res = {
    output: await flat(out!),
    gradInput: await flat(grads[xv.name]!),
    params: await Promise.all(params.map((p) => flat(grads[p.name]!))),
  };
  tf.dispose([xv, out!, value, ...Object.values(grads)]);
  return res;
}

/** Conv2d: `y`, `grad_x`, `grad_weight`, `grad_bias`. */
export async function runConv(c: ConvCase): Promise<LayerRun> {
  const a = c.args;
  const args: Conv2dArgs = {
    stride: a['stride'] as Conv2dArgs['stride'],
    padding: a['padding'] as Conv2dArgs['padding'],
    dilation: a['dilation'] as Conv2dArgs['dilation'],
    groups: a['groups'] as number | undefined,
    bias: a['bias'] as boolean | undefined,
    paddingMode: a['padding_mode'] as Conv2dArgs['paddingMode'],
  };
  const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize, args);
  conv.loadStateDict({ weight: tf.tensor(c.weight, conv.weight.shape), ...(c.bias ? { bias: tf.tensor(c.bias) } : {}) });
  const x = tf.tensor(c.x, c.xShape);
  const g = tf.tensor(c.g, c.yShape);
  const r = await forwardBackward(conv, x, g);
  const values: Record<string, number[]> = { y: r.output, grad_x: r.gradInput, grad_weight: r.params[0]! };
  if (c.bias) values['grad_bias'] = r.params[1]!;
  tf.dispose([x, g]);
  conv.dispose();
  return { name: c.name, backend: tf.getBackend(), values };
}

/** Pooling: `output`, `gradInput`. */
export async function runPool(c: PoolCase): Promise<LayerRun> {
  const { kernelSize, outputSize, ...rest } = c.args;
  const layer: Module =
    c.kind === 'MaxPool2d'
      ? new MaxPool2d(kernelSize as number, rest)
      : c.kind === 'AvgPool2d'
        ? new AvgPool2d(kernelSize as number, rest)
        : new AdaptiveAvgPool2d(outputSize as number);
  const x = tf.tensor(c.input, c.inputShape);
  const g = tf.tensor(c.gradOutput, c.outputShape);
  const r = await forwardBackward(layer, x, g);
  tf.dispose([x, g]);
  layer.dispose();
  return { name: c.python, backend: tf.getBackend(), values: { output: r.output, gradInput: r.gradInput } };
}

function buildNorm(c: NormCase): BatchNormBase {
  const k = c.kwargs;
  const channels = (c.x1 as Nested[][])[0]!.length;
  if (c.tdbn) return new ThresholdDependentBatchNorm2d(channels, { alpha: c.tdbn.alpha, vTh: c.tdbn.v_th });
  const args: BatchNormArgs = { eps: k.eps, affine: k.affine, trackRunningStats: k.track_running_stats };
  if ('momentum' in k) args.momentum = k.momentum;
  const bn = c.cls === 'BatchNorm1d' ? new BatchNorm1d(channels, args) : new BatchNorm2d(channels, args);
  if (c.weight) bn.weight!.assign(tf.tensor1d(c.weight));
  if (c.bias) bn.bias!.assign(tf.tensor1d(c.bias));
  return bn;
}

function normInput(c: NormCase, x: Nested): tf.Tensor {
  const t = tf.tensor(x as number[]);
  if (!c.tdbn) return t;
  const [TN, ...rest] = t.shape;
  return tf.reshape(t, [c.tdbn.T, TN! / c.tdbn.T, ...rest]);
}

/**
 * Batch norm: training forward/backward on x1, a second training batch x2, the running
 * statistics, then eval forward/backward on x1; keys `train.output`, `eval.grad_input`, ...
 */
export async function runNorm(c: NormCase): Promise<LayerRun> {
  const bn = buildNorm(c);
  const x1 = normInput(c, c.x1);
  const x2 = normInput(c, c.x2);
  const g = tf.reshape(tf.tensor(c.grad_out as number[]), x1.shape);
  const values: Record<string, number[]> = {};
  const record = (mode: 'train' | 'eval', r: Awaited<ReturnType<typeof forwardBackward>>) => {
    values[`${mode}.output`] = r.output;
    values[`${mode}.grad_input`] = r.gradInput;
    if (bn.weight) values[`${mode}.grad_weight`] = r.params[0]!;
    if (bn.bias) values[`${mode}.grad_bias`] = r.params[1]!;
  };
  record('train', await forwardBackward(bn, x1, g));
  const y2 = bn.call(x2);
  values['train.output2'] = await flat(y2);
  if (bn.runningMean) {
    values['train.running_mean'] = await flat(bn.runningMean);
    values['train.running_var'] = await flat(bn.runningVar!);
  }
  bn.eval();
  record('eval', await forwardBackward(bn, x1, g));
  tf.dispose([x1, x2, g, y2]);
  bn.dispose();
  return { name: c.name, backend: tf.getBackend(), values };
}
