/**
 * The graph builder behind `annFromOnnx`. It walks the nodes in graph (topological) order,
 * tracking run-time values (with their known shapes) and constants (initializers, `Constant`
 * outputs, shape arithmetic evaluated at import time). A node with one run-time input goes to its
 * op-table handler, which appends a layer, folds into the layer that produced its input (only
 * when it is that value's sole reader), or passes the value on; a node with several run-time
 * inputs (a residual `Add`, a `Concat`) goes to the merge table. At the end, steps that do not
 * reach the output are dropped; a chain becomes a `Sequential`, anything else an `OnnxGraph`.
 */
import { UnsupportedOpError, type Module } from '@snnts/core';
import { Sequential } from '@snnts/nn';
import { OnnxError } from '../errors.js';
import { OnnxGraph } from '../modules/graph.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../onnx/types.js';
import { MERGE_TABLE } from '../ops/merge.js';
import { ModuleSpec, PadSpec, type LayerSpec } from '../ops/specs.js';
import { IMPORT_TIME_OPS, OP_TABLE, supportedOnnxOps } from '../ops/table.js';
import type { IntList, KnownShape, OpContext } from '../ops/types.js';

/** The ONNX node each imported module came from (for reports and errors). */
const ONNX_NODES = new WeakMap<Module, string>();

/** The name of the ONNX node `module` was imported from, if any. @internal */
export function onnxNodeOf(module: Module): string | undefined {
  return ONNX_NODES.get(module);
}

/** `node 'fc1' (Gemm)`, for messages. @internal */
export function describeNode(node: OnnxNode): string {
  return `node '${node.name || node.outputs[0] || '?'}' (${node.opType})`;
}

interface Step {
  spec: LayerSpec;
  /** Value names read. */
  inputs: string[];
  /** Value name written. */
  output: string;
}

interface Value {
  shape: KnownShape | null;
  /** Index of the producing step, or -1 for the graph input. */
  step: number;
  /** Who produced it, for messages. */
  from: string;
}

/** Builds the module of an ONNX graph. @internal */
export class GraphBuilder {
  private readonly steps: Step[] = [];
  private readonly constants = new Map<string, OnnxTensor>();
  /** Integer lists computed from an activation's shape (`Shape` -> `Gather` -> ...), with symbolic entries. */
  private readonly symbolic = new Map<string, IntList>();
  private readonly values = new Map<string, Value>();
  /** Names that are another value unchanged (Identity, Dropout, a zero Pad, a folded node's output). */
  private readonly aliases = new Map<string, string>();
  /** Secondary outputs (Dropout's mask, MaxPool's indices, ...), which the importer does not compute. */
  private readonly secondary = new Map<string, string>();
  /** How many nodes (and graph outputs) read each name. */
  private readonly readers = new Map<string, OnnxNode[]>();
  private readonly outputNames: Set<string>;
  private readonly input: string;

  constructor(
    private readonly model: OnnxModel,
    private readonly fn: string,
    constants: Record<string, OnnxTensor> = {},
  ) {
    for (const [name, t] of Object.entries(model.initializers)) this.constants.set(name, t);
    for (const [name, t] of Object.entries(constants)) this.constants.set(name, t);
    const inputs = model.inputs.filter((v) => !this.constants.has(v.name));
    if (inputs.length !== 1) {
      throw new OnnxError(fn, 'model.inputs', 'exactly one graph input (the activation; weights are initializers)', `${inputs.length} inputs [${inputs.map((v) => `'${v.name}'`).join(', ')}]`, inputs.length > 1 ? 'Bind the others as constants with the `constants` option.' : undefined);
    }
    const input = inputs[0]!;
    this.input = input.name;
    this.values.set(input.name, { shape: input.shape ? input.shape.map((d) => (typeof d === 'number' ? d : null)) : null, step: -1, from: 'the graph input' });
    for (const n of model.nodes) for (const name of n.inputs) if (name) this.readers.set(name, [...(this.readers.get(name) ?? []), n]);
    this.outputNames = new Set(model.outputs.map((o) => o.name));
  }

  private resolve(name: string): string {
    let n = name;
    while (this.aliases.has(n)) n = this.aliases.get(n)!;
    return n;
  }

  /** Readers of `name` that will consume it at run time, looking through pass-through nodes already imported. */
  private effectiveReaders(name: string): number {
    let n = this.outputNames.has(name) ? 1 : 0;
    for (const r of this.readers.get(name) ?? []) {
      const out = r.outputs[0] ?? '';
      n += this.aliases.get(out) === name ? this.effectiveReaders(out) : 1;
    }
    return n;
  }

  private unsupported(node: OnnxNode, detail: string): never {
    throw new UnsupportedOpError(this.fn, node.opType, supportedOnnxOps(), `${describeNode(node)}: ${detail}`);
  }

  /** The resolved names of the run-time inputs of `node`, with their input indices. */
  private dynamicInputs(node: OnnxNode): { index: number; name: string }[] {
    const out: { index: number; name: string }[] = [];
    node.inputs.forEach((raw, index) => {
      if (raw === '' || this.constants.has(raw) || this.symbolic.has(raw)) return;
      const secondary = this.secondary.get(raw);
      if (secondary) this.unsupported(node, `it reads '${raw}', ${secondary}, which the importer does not compute`);
      const name = this.resolve(raw);
      if (!this.values.has(name)) {
        throw new OnnxError(this.fn, `${describeNode(node)} input '${raw}'`, 'a graph input, an initializer or an earlier node output', 'a name nothing defines', 'Are the nodes in topological order?');
      }
      out.push({ index, name });
    });
    return out;
  }

  /** Imports one node. */
  add(node: OnnxNode): void {
    if (node.domain !== '' && node.domain !== 'ai.onnx') this.unsupported(node, `domain '${node.domain}' (only the default ONNX domain is supported)`);
    const dynamic = this.dynamicInputs(node);
    const where = describeNode(node);
    const out = node.outputs[0] ?? '';
    if (dynamic.length > 1) {
      const merge = MERGE_TABLE.get(node.opType);
      if (!merge) this.unsupported(node, `${dynamic.length} run-time inputs; only Add, Sum and Concat may join branches`);
      if (dynamic.length !== node.inputs.filter((n) => n !== '').length) this.unsupported(node, 'a mix of run-time and constant inputs');
      const { make, shape } = merge({ node, shapes: dynamic.map((d) => this.values.get(d.name)!.shape), unsupported: (detail) => this.unsupported(node, detail) });
      this.steps.push({ spec: new ModuleSpec(node.opType, node, make), inputs: dynamic.map((d) => d.name), output: out });
      this.values.set(out, { shape, step: this.steps.length - 1, from: where });
      this.recordSecondary(node, where);
      return;
    }
    const handler = OP_TABLE.get(node.opType);
    if (!handler) this.unsupported(node, 'no handler for this op type');
    if (dynamic.length === 0 && !IMPORT_TIME_OPS.has(node.opType)) this.unsupported(node, 'all its inputs are constants (constant folding is not supported)');
    const active = dynamic[0];
    const activeValue = active ? this.values.get(active.name)! : undefined;
    const producer = activeValue && activeValue.step >= 0 ? this.steps[activeValue.step] : undefined;
    const foldable = producer && this.effectiveReaders(producer.output) === 1 && !this.outputNames.has(producer.output);
    let done = false;
    const setValue = (shape: KnownShape | null) => {
      this.values.set(out, { shape, step: this.steps.length - 1, from: where });
      done = true;
    };
    const constant = (i: number, what: string, optional: boolean): OnnxTensor | null => {
      const name = node.inputs[i] ?? '';
      if (name === '') return optional ? null : this.unsupported(node, `${what} (input ${i}) is missing`);
      const t = this.constants.get(name);
      if (!t) this.unsupported(node, `${what} (input ${i}, '${name}') must be a constant (an initializer or a Constant), not computed at run time`);
      return t;
    };
    const intList = (i: number, what: string): IntList => {
      const sym = this.symbolic.get(node.inputs[i] ?? '');
      if (sym) return sym;
      const t = constant(i, what, false)!;
      if (!t.ints || t.dims.length > 1) this.unsupported(node, `${what} (input ${i}) must be an integer scalar or vector, got ${t.dataType} [${t.dims.join(', ')}]`);
      return { values: [...t.ints], rank: t.dims.length as 0 | 1 };
    };
    const ctx: OpContext = {
      fn: this.fn,
      opset: this.model.opset,
      node,
      where,
      activationIndex: active?.index ?? -1,
      shape: activeValue?.shape ?? null,
      last: foldable ? producer.spec : undefined,
      constant: (i, what) => constant(i, what, false)!,
      optionalConstant: (i, what) => constant(i, what, true),
      push: (spec, shape) => {
        this.steps.push({ spec, inputs: [active!.name], output: out });
        setValue(shape);
      },
      replaceLast: (spec, shape) => {
        if (!foldable) throw new OnnxError(this.fn, where, 'a producing layer to fold into', 'none (an importer bug)');
        producer.spec = spec;
        this.aliases.set(out, producer.output);
        this.values.get(producer.output)!.shape = shape;
        done = true;
      },
      passThrough: () => {
        this.aliases.set(out, active!.name);
        done = true;
      },
      defineConstant: (name, tensor) => {
        this.constants.set(name, tensor);
        done = true;
      },
      intList,
      defineIntList: (name, value) => {
        if (value.values.every((v) => typeof v === 'number')) {
          const ints = value.values as number[];
          this.constants.set(name, { name, dataType: 'INT64', dims: value.rank === 0 ? [] : [ints.length], data: Float32Array.from(ints), ints });
        } else {
          this.symbolic.set(name, value);
        }
        done = true;
      },
      unsupported: (detail) => this.unsupported(node, detail),
    };
    handler(ctx);
    if (!done) throw new OnnxError(this.fn, where, 'the op handler to produce an output', 'nothing (an importer bug)');
    this.recordSecondary(node, where);
  }

  private recordSecondary(node: OnnxNode, where: string): void {
    node.outputs.slice(1).forEach((name, k) => {
      if (name) this.secondary.set(name, `output ${k + 1} of ${where}`);
    });
  }

  /** Checks the graph output and builds the module: a `Sequential` for a chain, else an `OnnxGraph`. */
  finish(): Module {
    const outputs = this.model.outputs;
    if (outputs.length !== 1) {
      throw new OnnxError(this.fn, 'model.outputs', 'exactly one graph output', `${outputs.length} outputs [${outputs.map((v) => `'${v.name}'`).join(', ')}]`);
    }
    const raw = outputs[0]!.name;
    const name = this.resolve(raw);
    if (!this.values.has(name)) {
      const what = this.constants.has(raw) ? 'a constant' : (this.secondary.get(raw) ?? 'a name nothing defines');
      throw new OnnxError(this.fn, 'model.outputs[0]', 'a run-time value computed from the graph input', `'${raw}', ${what}`);
    }
    // Keep the steps the output depends on.
    const needed = new Set<number>();
    const visit = (value: string) => {
      const k = this.values.get(value)!.step;
      if (k < 0 || needed.has(k)) return;
      needed.add(k);
      for (const i of this.steps[k]!.inputs) visit(i);
    };
    visit(name);
    const order = [...needed].sort((a, b) => a - b);
    const steps = order.map((k) => this.steps[k]!);
    const pad = steps.find((s) => s.spec instanceof PadSpec);
    if (pad) this.unsupported(pad.spec.node, 'a non-zero Pad is supported only right before an AveragePool');
    const built: Module[] = [];
    try {
      for (const s of steps) {
        const m = s.spec.build(this.fn);
        ONNX_NODES.set(m, s.spec.node.name || s.spec.node.outputs[0] || '');
        built.push(m);
      }
    } catch (e) {
      built.forEach((m) => m.dispose());
      throw e;
    }
    const index = new Map<string, number>([[this.input, 0]]);
    steps.forEach((s, i) => index.set(s.output, i + 1));
    const wiring = steps.map((s) => s.inputs.map((i) => index.get(i)!));
    const chain = wiring.every((w, i) => w.length === 1 && w[0] === i) && index.get(name) === steps.length;
    if (chain) return new Sequential(...built);
    return new OnnxGraph(
      built.map((module, i) => ({ module, inputs: wiring[i]! })),
      index.get(name)!,
    );
  }
}
