/**
 * `AttributeMonitor`: records `fn(module[attribute])` of every watched submodule after (or before)
 * each forward, spikingjelly's `monitor.AttributeMonitor` (e.g. the membrane potential `v` of every
 * neuron layer).
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, type Module } from '@snnts/core';
import { BaseMonitor } from './base_monitor.js';
import type { ModuleSelector } from './monitor.js';

/** Options of {@link AttributeMonitor}. */
export interface AttributeMonitorOptions {
  /** Read the attribute before `forward` instead of after (spikingjelly's `pre_forward`; default `false`). */
  preForward?: boolean;
}

/**
 * Records `fn(module[attributeName])` for every module of `net` that `instance` matches, once per
 * forward. Without `fn` it records the value itself: a state tensor is recorded as a kept clone
 * (the module replaces its state at the next step; `clear()` frees the clones), a number as is
 * (a neuron's `v` is the number `vReset` before its first step). Every watched module must have
 * the attribute, or the constructor throws a `ConfigError` naming the module.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { AttributeMonitor, LIFNode, Linear, Sequential } from '@snnts/nn';
 * const net = new Sequential(new Linear(3, 2), new LIFNode());
 * const vMon = new AttributeMonitor('v', net, LIFNode);
 * for (let t = 0; t < 4; t++) net.call(tf.ones([1, 3]));
 * console.log(vMon.get('1').length); // 4 potentials, each a [1, 2] tensor
 * vMon.dispose();
 * ```
 */
export class AttributeMonitor<R = tf.Tensor | number> extends BaseMonitor<R> {
  /** The function applied to each attribute value. */
  readonly fn: (value: unknown) => R;

  constructor(
    readonly attributeName: string,
    net: Module,
    instance?: ModuleSelector,
    fn?: (value: unknown) => R,
    options: AttributeMonitorOptions = {},
  ) {
    super();
    const where = 'AttributeMonitor';
    if (typeof attributeName !== 'string' || attributeName === '') throw new ConfigError(where, 'attributeName', 'a non-empty string', String(attributeName));
    this.fn = fn ?? ((v: unknown) => v as R);
    this.watch(net, instance, where, (name, m) => {
      if (!(attributeName in m)) {
        throw new ConfigError(where, 'attributeName', `an attribute of every monitored module`, `'${attributeName}', which ${m.className} '${name}' does not have`);
      }
      const read = () => {
        if (this.isEnabled()) this.record(name, this.capture(() => this.fn((m as unknown as Record<string, unknown>)[attributeName])));
      };
      return options.preForward ? m.registerForwardPreHook(read) : m.registerForwardHook(read);
    });
  }
}
