/**
 * `OutputMonitor`: records `fn(output)` of every watched submodule after each forward,
 * spikingjelly's `monitor.OutputMonitor` (e.g. the spikes of every neuron layer, or their mean).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Module } from '@snnts/core';
import { BaseMonitor } from './base_monitor.js';
import type { ModuleSelector } from './monitor.js';

/**
 * Records `fn(output)` for every module of `net` that `instance` matches (by default the modules of
 * `net`'s own class), once per forward, under the module's dotted name. Without `fn` it records
 * the output tensor itself (a kept clone: call `clear()` or `dispose()` to free it); with an `fn`
 * returning a number (e.g. `(y) => tf.mean(y).dataSync()[0]!`) nothing is kept. Tensors `fn`
 * creates are freed after it returns. A multi-step module records once per sequence.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { IFNode, Linear, OutputMonitor, Sequential } from '@snnts/nn';
 * const net = new Sequential(new Linear(8, 4), new IFNode(), new Linear(4, 2), new IFNode());
 * const spikes = new OutputMonitor(net, IFNode); // tensors
 * const rates = new OutputMonitor(net, IFNode, (s) => tf.mean(s).dataSync()[0]!); // numbers
 * net.call(tf.ones([1, 8]));
 * console.log(spikes.monitoredLayers); // ['1', '3']
 * console.log(spikes.get('1')[0]!.shape, rates.records); // [1, 4] and two numbers
 * spikes.dispose(); // frees the recorded tensors and detaches the hooks
 * rates.remove(); // detaches the hooks; rates.records stay readable
 * ```
 */
export class OutputMonitor<R = tf.Tensor> extends BaseMonitor<R> {
  /** The function applied to each output. */
  readonly fn: (output: tf.Tensor) => R;

  constructor(net: Module, instance?: ModuleSelector, fn?: (output: tf.Tensor) => R) {
    super();
    this.fn = fn ?? ((y: tf.Tensor) => y as R);
    this.watch(net, instance, 'OutputMonitor', (name, m) =>
      m.registerForwardHook((_m, _inputs, output) => {
        if (this.isEnabled()) this.record(name, this.capture(() => this.fn(output)));
      }),
    );
  }
}
