/**
 * `Converter`: ANN-to-SNN conversion of a ReLU network, equivalent to spikingjelly's
 * `ann2snn.Converter(recipe=RateCodingRecipe(...))`. It copies the ANN (or imports the ONNX
 * model), folds batch norms into the layer before them, calibrates one scale per ReLU on the
 * user's data (a per-batch statistic smoothed with momentum from the first batch), and replaces
 * each ReLU by `VoltageScaler(1/s) -> IFNode(vThreshold 1, soft reset) -> VoltageScaler(s)`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Module, ShapeError, assertNumber, fromConfig, serialize, type HookHandle } from '@snnts/core';
import { IFNode, ReLU, Sequential } from '@snnts/nn';
import { ConversionError } from '../errors.js';
import { annFromOnnx } from '../import/ann_from_onnx.js';
import { onnxNodeOf } from '../import/graph_builder.js';
import { Activation } from '../modules/activation.js';
import { VoltageScaler } from '../modules/voltage_scaler.js';
import type { OnnxModel } from '../onnx/types.js';
import { calibrationBatches, type CalibrationData } from './calibration_data.js';
import { foldBatchNorms } from './fuse.js';
import type { ConversionReport, LayerScale } from './report.js';
import { batchStatistic, parseMode, type ParsedMode, type ScaleMode } from './statistics.js';
import { buildNet, flattenNet } from './steps.js';

/** Options of {@link Converter} (spikingjelly's `RateCodingRecipe` defaults). */
export interface ConverterOptions {
  /** How each scale is taken from a batch of ReLU outputs (default `'max'`). */
  mode?: ScaleMode;
  /** Weight of each new batch statistic after the first: `s = (1 - m) s + m s_t` (default 0.1). */
  momentum?: number;
  /** Fold each batch norm into the `Conv2d` / `Linear` before it (default `true`). */
  fuseBatchNorm?: boolean;
  /** One scale per channel (axis 1 of the ReLU output) instead of one per layer (default `false`). */
  channelWise?: boolean;
}

function isOnnxModel(x: unknown): x is OnnxModel {
  return typeof x === 'object' && x !== null && Array.isArray((x as OnnxModel).nodes) && Array.isArray((x as OnnxModel).inputs);
}

/** A copy of `net` (class, config and weights), so the converter never changes the caller's ANN. */
function copyModule(net: Module, fn: string): Module {
  let copy: Module;
  try {
    copy = fromConfig(serialize(net));
  } catch (e) {
    throw new ConfigError(fn, 'ann', 'a network of registered classes (so it can be copied)', (e as Error).message, 'Register custom modules with registerClass().');
  }
  copy.loadStateDict(net.stateDict());
  return copy;
}

/**
 * Converts ReLU ANNs to rate-coded spiking networks.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Linear, ReLU, Sequential } from '@snnts/nn';
 * import { Converter } from '@snnts/convert';
 * const ann = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const converter = new Converter({ mode: '99.9%' });
 * const snn = await converter.convert(ann, [tf.randomUniform([16, 4]), tf.randomUniform([16, 4])]);
 * console.log(snn.toString()); // Linear, Sequential(VoltageScaler, IFNode, VoltageScaler), Linear
 * console.log(converter.report!.layers[0]!.scale); // the calibrated scale of ReLU '1'
 * ```
 */
export class Converter {
  /** The options in use, with defaults filled in. */
  readonly options: Required<ConverterOptions>;
  /** The report of the last {@link Converter.convert} (`null` before the first). */
  report: ConversionReport | null = null;
  private readonly mode: ParsedMode;

  constructor(options: ConverterOptions = {}) {
    const fn = 'Converter';
    if (typeof options !== 'object' || options === null) throw new ConfigError(fn, 'options', 'an options object', String(options));
    this.mode = parseMode(options.mode ?? 'max', fn);
    const momentum = options.momentum ?? 0.1;
    assertNumber(momentum, (v) => v >= 0 && v <= 1, 'a number in [0, 1]', 'momentum', fn);
    this.options = { mode: options.mode ?? 'max', momentum, fuseBatchNorm: options.fuseBatchNorm ?? true, channelWise: options.channelWise ?? false };
  }

  /**
   * Converts `ann` (an ONNX model from `loadOnnx`, or an snnts ReLU network, which is copied and
   * left unchanged) into a single-step SNN in evaluation mode, calibrating on `calibration`
   * (batches shaped like the model input: an array or (async) iterable of tensors, or one tensor).
   * The caller disposes the calibration tensors and the returned network.
   *
   * @throws ConversionError when the network has a non-ReLU activation (naming the layer).
   * @throws ShapeError when a calibration batch does not match the model input.
   */
  async convert(ann: OnnxModel | Module, calibration: CalibrationData): Promise<Module> {
    const fn = 'Converter.convert';
    let net: Module;
    let inputShape: (number | null)[] | null = null;
    if (isOnnxModel(ann)) {
      net = annFromOnnx(ann);
      const shape = ann.inputs[0]?.shape;
      inputShape = shape ? shape.map((d) => (typeof d === 'number' ? d : null)) : null;
    } else if (ann instanceof Module) {
      net = copyModule(ann, fn);
    } else {
      throw new ConfigError(fn, 'ann', 'an OnnxModel (loadOnnx) or an snnts Module', ann === null ? 'null' : typeof ann);
    }
    try {
      return await this.convertOwned(net, calibration, inputShape, fn);
    } catch (e) {
      net.dispose();
      throw e;
    }
  }

  private async convertOwned(net: Module, calibration: CalibrationData, inputShape: (number | null)[] | null, fn: string): Promise<Module> {
    net.eval();
    const names = new Map(net.namedModules().map(([n, m]) => [m, n]));
    for (const [name, m] of net.namedModules()) {
      if (m instanceof Activation) {
        const node = onnxNodeOf(m);
        throw new ConversionError(fn, `layer '${name}'${node ? ` (ONNX node '${node}')` : ''}`, 'ReLU activations only (rate coding has no equivalent of other activations)', `${m.kind}`);
      }
    }
    let flat = flattenNet(net);
    const folded: ConversionReport['folded'] = [];
    if (this.options.fuseBatchNorm) {
      const r = foldBatchNorms(flat);
      flat = r.flat;
      for (const f of r.folds) {
        folded.push({ batchNorm: names.get(f.batchNorm) ?? '?', into: names.get(f.into) ?? '?' });
        names.set(f.folded, names.get(f.into) ?? '?');
        f.batchNorm.dispose();
        f.into.dispose();
      }
    }
    const relus = flat.steps.map((s, k) => [k, s.module] as const).filter(([, m]) => m instanceof ReLU);
    // Calibration: one forward hook per ReLU updates its smoothed scale.
    const scales = relus.map(() => ({ value: null as number[] | null, perBatch: [] as number[][] }));
    const { momentum, channelWise } = this.options;
    const handles: HookHandle[] = relus.map(([, m], i) =>
      m.registerForwardHook((_m, _in, y) => {
        const s = batchStatistic(y, this.mode, channelWise);
        const acc = scales[i]!;
        acc.perBatch.push(s);
        acc.value = acc.value === null ? s : acc.value.map((v, c) => (1 - momentum) * v + momentum * s[c]!);
      }),
    );
    const calibrated = buildNet(flat);
    let batches = 0;
    let samples = 0;
    try {
      for await (const x of calibrationBatches(calibration, fn)) {
        checkBatch(x, inputShape, batches, fn);
        calibrated.call(x).dispose();
        batches++;
        samples += x.shape[0] ?? 0;
      }
    } finally {
      handles.forEach((h) => h.remove());
    }
    if (batches === 0 && relus.length > 0) throw new ShapeError(fn, 'calibration', 'at least one batch', 'none');
    // Replacement.
    const layers: LayerScale[] = [];
    relus.forEach(([k, relu], i) => {
      const s = scales[i]!.value!;
      const safe = s.map((v) => (v > 0 ? v : 1));
      const scalar = !channelWise;
      const channels = scalar ? {} : { channels: s.length };
      const block = new Sequential(
        new VoltageScaler(scalar ? 1 / safe[0]! : safe.map((v) => 1 / v), channels),
        new IFNode({ vThreshold: 1, vReset: null }),
        new VoltageScaler(scalar ? safe[0]! : safe, channels),
      );
      const onnxNode = onnxNodeOf(relu);
      layers.push({ name: names.get(relu) ?? String(k), ...(onnxNode ? { onnxNode } : {}), scale: scalar ? s[0]! : s, perBatch: scalar ? scales[i]!.perBatch.map((b) => b[0]!) : scales[i]!.perBatch, dead: s.some((v) => !(v > 0)) });
      flat.steps[k] = { module: block, inputs: flat.steps[k]!.inputs };
      relu.dispose();
    });
    const snn = buildNet(flat);
    snn.eval();
    this.report = {
      mode: this.options.mode,
      momentum,
      channelWise,
      fuseBatchNorm: this.options.fuseBatchNorm,
      calibration: { batches, samples },
      layers,
      folded,
      structure: snn.toString(),
    };
    return snn;
  }
}

/** Throws a ShapeError when `x` does not match the model's input shape (batch axis free). */
function checkBatch(x: tf.Tensor, inputShape: (number | null)[] | null, i: number, fn: string): void {
  if (!inputShape) return;
  const ok = x.rank === inputShape.length && inputShape.every((d, a) => a === 0 || d === null || d === x.shape[a]);
  if (!ok) {
    const expected = `[${inputShape.map((d, a) => (a === 0 ? 'N' : d ?? '?')).join(', ')}] (the model input)`;
    throw new ShapeError(fn, `calibration batch ${i}`, expected, `shape [${x.shape.join(', ')}]`);
  }
}
