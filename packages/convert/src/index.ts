/**
 * @snnts/convert: ANN-to-SNN conversion of ONNX ReLU networks. `loadOnnx` / `decodeOnnx` decode
 * an `.onnx` file into a plain typed `OnnxModel` (protobufjs with the official ONNX schema);
 * `annFromOnnx` builds the equivalent snnts module through an op table (`Sequential` for a chain,
 * `OnnxGraph` otherwise); `Converter` calibrates and replaces each ReLU by IF neurons as
 * spikingjelly's `RateCodingRecipe` does; `evaluateOverTime` measures accuracy against T;
 * `saveConverted` / `loadConverted` and the `snnts convert` CLI (`runCli`) write and read the
 * result. Browser-safe: Node modules are imported lazily, only by the file and CLI functions.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './onnx/types.js';
export { decodeOnnx, decodeOnnxTensor } from './onnx/decode.js';
export { encodeOnnx, type OnnxModelSpec, type OnnxNodeSpec } from './onnx/encode.js';
export { loadOnnx } from './onnx/load.js';
export { onnxTensorToTf } from './onnx/tensor.js';
export { supportedOnnxOps } from './ops/table.js';
export * from './modules/constant_add.js';
export { annFromOnnx } from './import/ann_from_onnx.js';
export * from './modules/graph.js';
export * from './modules/merge.js';
export * from './modules/activation.js';
export * from './modules/voltage_scaler.js';
export type { AnnFromOnnxOptions } from './import/ann_from_onnx.js';
export { Converter, type ConverterOptions } from './convert/converter.js';
export type { CalibrationData } from './convert/calibration_data.js';
export type { ScaleMode } from './convert/statistics.js';
export { formatConversionReport, type ConversionReport, type LayerScale } from './convert/report.js';
export * from './evaluate/evaluate.js';
export * from './io/saved.js';
export { runCli, type CliIo } from './cli/main.js';
