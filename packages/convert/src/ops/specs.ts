/**
 * Layer specs: what the op handlers append while the chain is being read. A spec holds the
 * plain weights and builds its snnts module only at the end, so that a later node can still fold
 * into it (a constant `Add` into the bias of the `MatMul`/`Conv` before it, a zero-`Pad` into the
 * `AveragePool` after it).
 */
import * as tf from '@tensorflow/tfjs';
import type { Module } from '@snnts/core';
import { OnnxError } from '../errors.js';
import type { OnnxNode } from '../onnx/types.js';

/** A weight to load: row-major values and their dims. @internal */
export interface Weight {
  data: Float32Array;
  dims: number[];
}

/** One layer of the chain before it is built. @internal */
export interface LayerSpec {
  /** The snnts class (or marker) it becomes, e.g. `'Linear'`. */
  readonly kind: string;
  /** The node it came from. */
  readonly node: OnnxNode;
  /** Builds the module with its weights. */
  build(fn: string): Module;
}

/**
 * Loads `weights` into `module` by state-dict name, checking that each name exists (so a layer
 * whose parameter names differ fails loudly instead of keeping its random initialisation).
 *
 * @internal
 */
export function loadWeights<M extends Module>(module: M, weights: Record<string, Weight>, fn: string, node: OnnxNode): M {
  const own = module.stateDict();
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [k, w] of Object.entries(weights)) {
      if (!(k in own)) {
        throw new OnnxError(fn, `node '${node.name}' (${node.opType})`, `${module.className} to have a '${k}' parameter or buffer`, `keys [${Object.keys(own).join(', ')}]`);
      }
      tensors[k] = tf.tensor(w.data, w.dims, 'float32');
    }
    module.loadStateDict(tensors, { strict: false });
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return module;
}

/** A layer with nothing to fold into: built by `make`, loaded with `weights`. @internal */
export class ModuleSpec implements LayerSpec {
  constructor(
    readonly kind: string,
    readonly node: OnnxNode,
    private readonly make: () => Module,
    private readonly weights: Record<string, Weight> = {},
  ) {}

  build(fn: string): Module {
    return loadWeights(this.make(), this.weights, fn, this.node);
  }
}

/**
 * A layer `y = f(x) + bias` whose bias runs along one axis (the last for Linear, axis 1 for
 * Conv2d): a following constant `Add` of that layout folds into `bias`.
 *
 * @internal
 */
export class BiasedSpec implements LayerSpec {
  constructor(
    readonly kind: 'Linear' | 'Conv2d',
    readonly node: OnnxNode,
    /** The bias length (output features or channels). */
    readonly channels: number,
    /** The axis of the output the bias runs along, counted from the end (-1 for Linear, -3 for Conv2d). */
    readonly axisFromEnd: number,
    readonly weight: Weight,
    public bias: Float32Array | null,
    private readonly make: (bias: boolean) => Module,
  ) {}

  build(fn: string): Module {
    const weights: Record<string, Weight> = { weight: this.weight };
    if (this.bias) weights['bias'] = { data: this.bias, dims: [this.channels] };
    return loadWeights(this.make(this.bias !== null), weights, fn, this.node);
  }
}

/**
 * A constant zero `Pad` waiting for the `AveragePool` that follows it (PyTorch exports
 * `AvgPool2d(padding=p)` as `Pad` + `AveragePool`); building it means nothing consumed it.
 *
 * @internal
 */
export class PadSpec implements LayerSpec {
  readonly kind = 'Pad';
  constructor(
    readonly node: OnnxNode,
    /** Symmetric spatial padding `[ph, pw]`. */
    readonly padding: [number, number],
  ) {}

  build(fn: string): Module {
    throw new OnnxError(fn, `node '${this.node.name}' (Pad)`, 'an AveragePool right after a non-zero Pad', 'a Pad that no AveragePool absorbs');
  }
}
