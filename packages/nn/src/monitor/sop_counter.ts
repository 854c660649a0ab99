/**
 * `SopCounter`: counts, for every `Linear` and `Conv2d` of a network, the dense MACs of the
 * equivalent ANN and the synaptic operations (SOPs) the real input spikes trigger, and turns them
 * into an energy estimate (Horowitz, ISSCC 2014, 45 nm: 4.6 pJ per MAC, 0.9 pJ per accumulate).
 */
import { ConfigError, type Module } from '@snnts/core';
import { Monitor, selectModules, type ModuleSelector } from './monitor.js';
import { SOP_RULES, type CallCounter } from './sop_rules.js';
import { HOROWITZ_45NM_PJ, type EnergyModel, type SopLayerReport, type SopReport } from './sop_report.js';

/** Options of {@link SopCounter}. */
export interface SopCounterOptions {
  /** The layers to count (default `['Linear', 'Conv2d']`, matched by class name). */
  layers?: ModuleSelector;
  /** Energy per operation in pJ (default {@link HOROWITZ_45NM_PJ}). */
  energy?: EnergyModel;
  /**
   * Also count as spikes an input whose nonzero values all have one magnitude `s` (spikes scaled
   * by a constant, as after a converted network's `VoltageScaler(s)`): each costs one accumulate
   * with weights pre-scaled by `s`. Default `false`: only 0/1 inputs are spikes.
   */
  scaledSpikes?: boolean;
}

interface Totals {
  className: string;
  calls: number;
  rows: number;
  inputElements: number;
  nnz: number;
  nonBinaryCalls: number;
  /** Accumulates of the calls with binary input. */
  sops: number;
  /** Dense MACs of the calls with non-binary input. */
  macs: number;
  /** Dense MACs of the equivalent ANN over every call. */
  annMacs: number;
}

const fresh = (className: string): Totals => ({ className, calls: 0, rows: 0, inputElements: 0, nnz: 0, nonBinaryCalls: 0, sops: 0, macs: 0, annMacs: 0 });

/**
 * Synaptic-operation counter. A forward hook on every counted layer reads the layer's real input
 * on each call and adds:
 *
 * - **ANN MACs**: the dense multiply-accumulates of the same layer in an ANN
 *   (`Linear`: `in x out`; `Conv2d`: `out x Ho x Wo x in/groups x kH x kW`, padding taps included);
 * - **SOPs**, when the input is binary: for every nonzero input element, the number of weights
 *   it is multiplied by (`Linear`: `outFeatures`; `Conv2d`: the output positions it really feeds,
 *   exact at the borders and for stride, dilation and reflect padding, times `outChannels/groups`);
 * - **MACs**, when the input is not binary (nor, with `scaledSpikes`, spikes of one magnitude) (typically the first layer, fed the raw image): the
 *   dense MAC count, charged at the MAC price instead of the AC price.
 *
 * Bias additions are not counted. Counts are per sample per time step in the report (a row of
 * the input); each counted call reads a few numbers back from the device. `remove()` detaches
 * the hooks.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { IFNode, Linear, Sequential, SopCounter } from '@snnts/nn';
 * const net = new Sequential(new Linear(4, 3), new IFNode(), new Linear(3, 2));
 * const counter = new SopCounter(net);
 * net.call(tf.tensor([[1, 0, 1, 0]])); // binary input: 2 nonzero x 3 outputs = 6 SOPs in layer '0'
 * const report = counter.report();
 * console.log(report.layers[0]!.sopsPerSample, report.layers[0]!.annMacsPerSample); // 6 12
 * counter.dispose();
 * ```
 */
export class SopCounter extends Monitor {
  /** The energy per operation used by {@link SopCounter.report}. */
  readonly energy: EnergyModel;
  private readonly totals = new Map<string, Totals>();

  constructor(net: Module, options: SopCounterOptions = {}) {
    super();
    const fn = 'SopCounter';
    this.energy = { ...HOROWITZ_45NM_PJ, ...options.energy };
    const scaledSpikes = options.scaledSpikes ?? false;
    for (const k of ['mac', 'ac'] as const) {
      const v = this.energy[k];
      if (typeof v !== 'number' || !(v >= 0)) throw new ConfigError(fn, `energy.${k}`, 'a number of pJ >= 0', String(v));
    }
    const selector = options.layers ?? [...SOP_RULES.keys()];
    const counters = new Map<Module, CallCounter>();
    for (const [name, m] of selectModules(net, selector, fn)) {
      const rule = SOP_RULES.get(m.className);
      if (!rule) throw new ConfigError(fn, 'layers', `layers of a supported class [${[...SOP_RULES.keys()].join(', ')}]`, `${m.className} '${name}'`);
      counters.set(m, rule(m, name));
    }
    this.watch(net, selector, fn, (name, m) => {
      const count = counters.get(m)!;
      this.totals.set(name, fresh(m.className));
      return m.registerForwardHook((_m, inputs, output) => {
        if (!this.isEnabled() || !inputs[0]) return;
        const c = count(inputs[0], output);
        const t = this.totals.get(name)!;
        t.calls++;
        t.rows += c.rows;
        t.inputElements += c.inputElements;
        t.nnz += c.nnz;
        t.annMacs += c.denseMacs;
        if (c.nonBinary > 0 && !(scaledSpikes && c.nonConstant === 0)) {
          t.nonBinaryCalls++;
          t.macs += c.denseMacs;
        } else {
          t.sops += c.sops;
        }
      });
    });
  }

  /** Per-layer and total counts and energy since construction or `clear()`. */
  report(): SopReport {
    const { mac, ac } = this.energy;
    const layers: SopLayerReport[] = this.monitoredLayers.map((name) => {
      const t = this.totals.get(name)!;
      const per = (v: number) => (t.rows > 0 ? v / t.rows : 0);
      const sopsPerSample = per(t.sops);
      const macsPerSample = per(t.macs);
      const annMacsPerSample = per(t.annMacs);
      return {
        name,
        className: t.className,
        calls: t.calls,
        samples: t.rows,
        inputFiringRate: t.inputElements > 0 ? t.nnz / t.inputElements : 0,
        binaryInput: t.nonBinaryCalls === 0,
        annMacsPerSample,
        sopsPerSample,
        macsPerSample,
        energyPerSamplePj: sopsPerSample * ac + macsPerSample * mac,
        annEnergyPerSamplePj: annMacsPerSample * mac,
      };
    });
    const all = [...this.totals.values()];
    const sum = (f: (l: SopLayerReport) => number) => layers.reduce((a, l) => a + f(l), 0);
    const elements = all.reduce((a, t) => a + t.inputElements, 0);
    const total: SopReport['total'] = {
      calls: sum((l) => l.calls),
      samples: Math.max(0, ...layers.map((l) => l.samples)),
      inputFiringRate: elements > 0 ? all.reduce((a, t) => a + t.nnz, 0) / elements : 0,
      binaryInput: layers.every((l) => l.binaryInput),
      annMacsPerSample: sum((l) => l.annMacsPerSample),
      sopsPerSample: sum((l) => l.sopsPerSample),
      macsPerSample: sum((l) => l.macsPerSample),
      energyPerSamplePj: sum((l) => l.energyPerSamplePj),
      annEnergyPerSamplePj: sum((l) => l.annEnergyPerSamplePj),
    };
    return { layers, total, energy: { mac, ac } };
  }

  /** Starts counting from zero. */
  clear(): void {
    for (const [name, t] of this.totals) this.totals.set(name, fresh(t.className));
  }
}
