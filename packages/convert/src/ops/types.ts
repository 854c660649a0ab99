/**
 * The contract between the chain builder (`annFromOnnx`) and the op table: an `OpHandler` reads
 * one ONNX node through an `OpContext` (its constant inputs, its attributes, the activation's
 * shape) and either appends a layer, folds into the layer that produced its input, or passes the
 * activation on.
 */
import type { OnnxNode, OnnxTensor } from '../onnx/types.js';
import type { LayerSpec } from './specs.js';

/** A shape as far as the importer knows it: a number per known axis, `null` per unknown one. */
export type KnownShape = (number | null)[];

/** One entry of a shape computed from the activation: a number, or the activation's axis `axis` (unknown until run time). */
export type SymDim = number | { axis: number };

/** A small integer tensor of rank 0 or 1 that may hold symbolic entries (what `Shape` -> `Gather` -> `Concat` compute). */
export interface IntList {
  values: SymDim[];
  /** 0 for a scalar, 1 for a vector. */
  rank: 0 | 1;
}

/** What a handler sees of the graph while the chain is being built. @internal */
export interface OpContext {
  /** The public function that is importing, for error messages. */
  readonly fn: string;
  /** The model's default-domain opset version (some attributes moved to inputs over versions). */
  readonly opset: number;
  /** The node being imported. */
  readonly node: OnnxNode;
  /** `'Gemm' (node 'fc1')`-style description of the node, for error details. */
  readonly where: string;
  /** Which input of the node is the activation (the one non-constant input). */
  readonly activationIndex: number;
  /** The activation's shape, or `null` when even its rank is unknown. */
  readonly shape: KnownShape | null;
  /**
   * The layer that produced the activation, when this node is its only reader (so the node may
   * fold into it); `undefined` otherwise.
   */
  readonly last: LayerSpec | undefined;
  /** Input `i` as a constant; throws `UnsupportedOpError` when it is missing or computed at run time. */
  constant(i: number, what: string): OnnxTensor;
  /** Input `i` as a constant, or `null` when it is omitted (`''` or absent). */
  optionalConstant(i: number, what: string): OnnxTensor | null;
  /** Input `i` as a small integer list: a constant of rank <= 1, or a value computed from the activation's shape. */
  intList(i: number, what: string): IntList;
  /** Records an integer list the node produces (a constant when every entry is known). */
  defineIntList(name: string, value: IntList): void;
  /** Appends a layer; the node's first output becomes the activation, with `shape`. */
  push(spec: LayerSpec, shape: KnownShape | null): void;
  /** Replaces the producing layer {@link OpContext.last} (folding); the node's first output becomes its output. */
  replaceLast(spec: LayerSpec, shape: KnownShape | null): void;
  /** The node's first output is the activation unchanged (Identity), with an optionally refined shape. */
  passThrough(shape?: KnownShape | null): void;
  /** Records a constant the node produces (Constant). */
  defineConstant(name: string, tensor: OnnxTensor): void;
  /** Throws `UnsupportedOpError` for this node with `detail`, listing the supported ops. */
  unsupported(detail: string): never;
}

/** Imports one ONNX op. @internal */
export type OpHandler = (ctx: OpContext) => void;
