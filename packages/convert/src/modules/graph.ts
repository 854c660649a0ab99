/**
 * `OnnxGraph`: the container a non-chain ONNX graph (a residual `Add`, a `Concat` of branches)
 * is imported as. Its children run in a fixed topological order; each reads values by index
 * (0 is the graph input, `i + 1` the output of step `i`). A chain graph is a `Sequential` instead.
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, Module, fromConfig, registerClass, serialize, type ConfigDict, type SerializedModule } from '@snnts/core';

/** One step of an {@link OnnxGraph}: a module and the value indices it reads. */
export interface GraphStep {
  /** The module run at this step (its `forward` takes one tensor per input). */
  module: Module;
  /** Value indices: 0 is the graph input, `i + 1` the output of step `i` (so only earlier steps). */
  inputs: number[];
}

/**
 * A directed acyclic graph of modules with one input and one output. Children are named `0`, `1`,
 * ... in step order, as in `Sequential`, so state-dict keys look alike.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Linear, ReLU } from '@snnts/nn';
 * import { ElementwiseAdd, OnnxGraph } from '@snnts/convert';
 * // y = relu(fc(x)) + x: a residual block
 * const net = new OnnxGraph(
 *   [
 *     { module: new Linear(3, 3), inputs: [0] },
 *     { module: new ReLU(), inputs: [1] },
 *     { module: new ElementwiseAdd(), inputs: [2, 0] },
 *   ],
 *   3,
 * );
 * net.call(tf.ones([2, 3])).shape; // [2, 3]
 * ```
 */
export class OnnxGraph extends Module {
  static override className = 'OnnxGraph';
  private readonly steps_: GraphStep[];
  /** The value index returned by `forward`. */
  readonly output: number;

  constructor(steps: readonly GraphStep[], output: number = steps.length) {
    super();
    const fn = 'OnnxGraph';
    steps.forEach((s, i) => {
      if (!(s?.module instanceof Module)) throw new ConfigError(fn, `steps[${i}].module`, 'a Module', String(s?.module));
      if (!Array.isArray(s.inputs) || s.inputs.length === 0 || s.inputs.some((k) => !Number.isInteger(k) || k < 0 || k > i)) {
        throw new ConfigError(fn, `steps[${i}].inputs`, `a non-empty list of value indices in [0, ${i}] (the input or earlier steps)`, JSON.stringify(s.inputs));
      }
    });
    if (!Number.isInteger(output) || output < 0 || output > steps.length) {
      throw new ConfigError(fn, 'output', `a value index in [0, ${steps.length}]`, String(output));
    }
    this.steps_ = steps.map((s) => ({ module: s.module, inputs: [...s.inputs] }));
    this.steps_.forEach((s, i) => this.registerModule(String(i), s.module));
    this.output = output;
  }

  /** The steps, in run order (the modules are this graph's children). */
  get steps(): readonly GraphStep[] {
    return this.steps_;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const values: tf.Tensor[] = [x];
    for (const s of this.steps_) values.push(s.module.forward(...s.inputs.map((k) => values[k]!)));
    return values[this.output]!;
  }

  override getConfig(): ConfigDict {
    return { steps: this.steps_.map((s) => ({ module: serialize(s.module), inputs: s.inputs })), output: this.output };
  }

  /** Rebuilds the graph from {@link OnnxGraph.getConfig}'s output. */
  static fromConfig(c: ConfigDict): OnnxGraph {
    const steps = (c['steps'] as { module: SerializedModule; inputs: number[] }[]) ?? [];
    return new OnnxGraph(
      steps.map((s) => ({ module: fromConfig(s.module), inputs: s.inputs })),
      c['output'] as number,
    );
  }
}
registerClass(OnnxGraph);
