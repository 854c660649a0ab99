/**
 * Ops that read two or more run-time tensors (the joins of a non-chain graph): `Add` / `Sum`
 * become `ElementwiseAdd`, `Concat` becomes `Concat`. Their constant-operand forms are handled by
 * the single-activation table (`add.ts`, `shape_ops.ts`).
 */
import { Concat, ElementwiseAdd } from '../modules/merge.js';
import type { Module } from '@snnts/core';
import type { OnnxNode } from '../onnx/types.js';
import { broadcastShapes } from './broadcast.js';
import type { KnownShape } from './types.js';

/** What a merge handler sees: the node, its run-time input shapes, and how to reject it. @internal */
export interface MergeContext {
  readonly node: OnnxNode;
  readonly shapes: (KnownShape | null)[];
  unsupported(detail: string): never;
}

/** A merge handler: the module and its output shape. @internal */
export type MergeHandler = (ctx: MergeContext) => { make: () => Module; shape: KnownShape | null };

const add: MergeHandler = (ctx) => {
  let shape: KnownShape | null = ctx.shapes[0] ?? null;
  for (const s of ctx.shapes.slice(1)) {
    shape = shape && s ? broadcastShapes(shape, s) : null;
  }
  return { make: () => new ElementwiseAdd(), shape };
};

const concat: MergeHandler = (ctx) => {
  const a = ctx.node.attributes['axis'];
  if (!a || a.type !== 'INT') return ctx.unsupported("a Concat without an INT 'axis' attribute");
  const axis: number = a.value;
  const rank = ctx.shapes[0]?.length;
  if (rank !== undefined && (axis === 0 || axis === -rank)) ctx.unsupported('concatenation along the batch axis');
  let shape: KnownShape | null = null;
  if (ctx.shapes.every((s) => s !== null) && rank !== undefined) {
    const k = axis < 0 ? axis + rank : axis;
    shape = ctx.shapes[0]!.map((d, i) => {
      if (i !== k) return d;
      const sizes = ctx.shapes.map((s) => s![i]);
      return sizes.every((v) => v !== null) ? (sizes as number[]).reduce((x, y) => x + y, 0) : null;
    });
  }
  return { make: () => new Concat({ axis }), shape };
};

/** Handlers by ONNX op type for nodes with several run-time inputs. @internal */
export const MERGE_TABLE: ReadonlyMap<string, MergeHandler> = new Map([
  ['Add', add],
  ['Sum', add],
  ['Concat', concat],
]);
