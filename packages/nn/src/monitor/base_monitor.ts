/**
 * `BaseMonitor`: a `Monitor` that appends one record per hook call, spikingjelly's
 * `monitor.BaseMonitor` (`records`, `monitored_layers`, `monitor[i]`, `monitor['name']`,
 * `clear_recorded_data`). Tensor records are kept clones that the monitor owns and frees on
 * `clear()`; number records cost nothing to keep.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@snnts/core';
import { Monitor } from './monitor.js';

/**
 * Base class of the recording monitors ({@link OutputMonitor}, {@link AttributeMonitor}).
 * `records` holds every record in call order; `get(name)` those of one layer.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Module } from '@snnts/core';
 * import { BaseMonitor, Linear } from '@snnts/nn';
 * class ShapeMonitor extends BaseMonitor<number[]> {
 *   constructor(net: Module) {
 *     super();
 *     this.watch(net, Linear, 'ShapeMonitor', (name, m) =>
 *       m.registerForwardHook((_m, _inputs, out) => { if (this.isEnabled()) this.record(name, out.shape); }));
 *   }
 * }
 * const fc = new Linear(4, 2);
 * const mon = new ShapeMonitor(fc);
 * fc.call(tf.ones([3, 4]));
 * console.log(mon.records, mon.get('')); // [[3, 2]] [[3, 2]]
 * mon.dispose();
 * ```
 */
export abstract class BaseMonitor<R = tf.Tensor> extends Monitor {
  /** Every record, in the order the hooks ran. */
  readonly records: R[] = [];
  private readonly index = new Map<string, number[]>();

  /** The records of the layer `name` (spikingjelly's `monitor['name']`). */
  get(name: string): R[] {
    if (!this.monitoredLayers.includes(name)) {
      throw new ConfigError(`${this.constructor.name}.get`, 'name', `one of the monitored layers [${this.monitoredLayers.map((n) => `'${n}'`).join(', ')}]`, `'${name}'`);
    }
    return (this.index.get(name) ?? []).map((i) => this.records[i]!);
  }

  /** The `i`-th record (spikingjelly's `monitor[i]`); negative `i` counts from the end. */
  at(i: number): R {
    const j = i < 0 ? this.records.length + i : i;
    if (!Number.isInteger(j) || j < 0 || j >= this.records.length) {
      throw new ConfigError(`${this.constructor.name}.at`, 'i', `an index in [-${this.records.length}, ${this.records.length})`, String(i));
    }
    return this.records[j]!;
  }

  /** Appends a record of the layer `name`. */
  protected record(name: string, value: R): void {
    let idx = this.index.get(name);
    if (!idx) this.index.set(name, (idx = []));
    idx.push(this.records.length);
    this.records.push(value);
  }

  /**
   * Runs `compute` in its own `tf.tidy` and returns its result; a tensor result is replaced by a
   * kept clone, which survives the caller's scope until `clear()`. Other tensors it creates are
   * freed. Return a tensor, a number or plain data (not an object holding tensors).
   */
  protected capture(compute: () => R): R {
    let value!: R;
    tf.tidy(() => {
      const v = compute();
      value = v instanceof tf.Tensor ? (tf.keep(v.clone()) as R) : v;
    });
    return value;
  }

  /** Frees the tensor records and forgets every record (spikingjelly's `clear_recorded_data`). */
  clear(): void {
    for (const r of this.records) if (r instanceof tf.Tensor) r.dispose();
    this.records.length = 0;
    this.index.clear();
  }
}
