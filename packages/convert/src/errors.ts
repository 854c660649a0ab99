/**
 * `OnnxError`: the typed error of the ONNX importer for bytes that are not a usable ONNX model
 * (not protobuf, truncated, no graph, an unsupported tensor encoding, a graph with several inputs
 * or outputs), and `ConversionError` for networks ANN-to-SNN conversion cannot handle. Unsupported
 * operators throw `UnsupportedOpError` from `@snnts/core`.
 */
import { ArgError } from '@snnts/core';

/**
 * An ONNX model could not be decoded or imported. Like every snnts error, the message names the
 * function, the argument, what was expected and what was found.
 *
 * @example
 * ```ts
 * import { OnnxError, decodeOnnx } from '@snnts/convert';
 * try {
 *   decodeOnnx(new Uint8Array([1, 2, 3]));
 * } catch (e) {
 *   console.log(e instanceof OnnxError, (e as OnnxError).arg, (e as Error).message);
 * }
 * ```
 */
export class OnnxError extends ArgError {}

/**
 * ANN-to-SNN conversion cannot handle the network: a non-ReLU activation (only ReLU has a
 * rate-coded equivalent), named with the layer where it sits.
 *
 * @example
 * ```ts
 * import { ConversionError } from '@snnts/convert';
 * const e = new ConversionError('Converter.convert', "layer '3'", 'ReLU activations only', 'Sigmoid');
 * console.log(e.arg, e.actual, e.message);
 * ```
 */
export class ConversionError extends ArgError {}
