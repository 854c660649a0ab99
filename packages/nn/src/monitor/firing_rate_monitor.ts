/**
 * `FiringRateMonitor`: the mean firing rate of every watched layer (spikes per output element,
 * over every step and sample seen since the last `clear()`). It accumulates one kept scalar per
 * layer on the device, so it adds no read-back per step; `firingRates()` reads them once.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, type Module } from '@snnts/core';
import { BaseNode } from '../neurons/base_node.js';
import { Monitor, type ModuleSelector } from './monitor.js';

interface Tally {
  /** Running sum of the outputs (a kept scalar), or null before the first call. */
  sum: tf.Tensor | null;
  /** Output elements seen. */
  count: number;
}

/**
 * Per-layer mean firing rate: for each module `instance` matches (default: every spiking neuron,
 * `BaseNode`), the sum of its outputs divided by the number of output elements, over all calls
 * since construction or `clear()`. For binary spikes that is the fraction of (neuron, step,
 * sample) triples that fired.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FiringRateMonitor, IFNode, Linear, Sequential } from '@snnts/nn';
 * const net = new Sequential(new Linear(4, 3), new IFNode());
 * const mon = new FiringRateMonitor(net);
 * for (let t = 0; t < 8; t++) net.call(tf.ones([2, 4]));
 * console.log(mon.firingRates()); // { '1': <fraction of the 8 x 2 x 3 outputs that were spikes> }
 * mon.dispose();
 * ```
 */
export class FiringRateMonitor extends Monitor {
  private readonly tallies = new Map<string, Tally>();

  constructor(net: Module, instance: ModuleSelector = BaseNode) {
    super();
    this.watch(net, instance, 'FiringRateMonitor', (name, m) => {
      this.tallies.set(name, { sum: null, count: 0 });
      return m.registerForwardHook((_m, _inputs, output) => {
        if (!this.isEnabled()) return;
        const tally = this.tallies.get(name)!;
        const old = tally.sum;
        tally.sum = tf.tidy(() => {
          const s = tf.sum(tf.cast(output, 'float32'));
          return tf.keep(old ? tf.add(old, s) : s);
        });
        old?.dispose();
        tally.count += output.size;
      });
    });
  }

  /** Mean firing rate of one layer (`NaN` before its first call). */
  firingRate(name: string): number {
    const tally = this.tallies.get(name);
    if (!tally) {
      throw new ConfigError('FiringRateMonitor.firingRate', 'name', `one of the monitored layers [${this.monitoredLayers.map((n) => `'${n}'`).join(', ')}]`, `'${name}'`);
    }
    return tally.sum ? tally.sum.dataSync()[0]! / tally.count : Number.NaN;
  }

  /** Mean firing rate of every watched layer, by dotted name (reads each sum back once). */
  firingRates(): Record<string, number> {
    return Object.fromEntries(this.monitoredLayers.map((n) => [n, this.firingRate(n)]));
  }

  /** Output elements seen by each layer. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.monitoredLayers.map((n) => [n, this.tallies.get(n)!.count]));
  }

  /** Frees the running sums and starts counting from zero. */
  clear(): void {
    for (const t of this.tallies.values()) {
      t.sum?.dispose();
      t.sum = null;
      t.count = 0;
    }
  }
}
