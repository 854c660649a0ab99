/**
 * Typed reads of node attributes with ONNX's defaults: `intAttr(ctx, 'transB', 0)`. A present
 * attribute of the wrong kind throws `OnnxError` naming the node, the attribute and both kinds.
 */
import { OnnxError } from '../errors.js';
import type { OnnxAttribute } from '../onnx/types.js';
import type { OpContext } from './types.js';

function read<T extends OnnxAttribute['type']>(ctx: OpContext, name: string, type: T): Extract<OnnxAttribute, { type: T }> | undefined {
  const a = ctx.node.attributes[name];
  if (a === undefined) return undefined;
  if (a.type !== type) throw new OnnxError(ctx.fn, `${ctx.where} attribute '${name}'`, `an ${type} attribute`, `an ${a.type} attribute`);
  return a as Extract<OnnxAttribute, { type: T }>;
}

/** An INT attribute, or `dflt`. @internal */
export function intAttr(ctx: OpContext, name: string, dflt: number): number {
  return read(ctx, name, 'INT')?.value ?? dflt;
}

/** A FLOAT attribute, or `dflt`. @internal */
export function floatAttr(ctx: OpContext, name: string, dflt: number): number {
  return read(ctx, name, 'FLOAT')?.value ?? dflt;
}

/** A STRING attribute, or `dflt`. @internal */
export function stringAttr(ctx: OpContext, name: string, dflt: string): string {
  return read(ctx, name, 'STRING')?.value ?? dflt;
}

/** An INTS attribute, or `dflt`. @internal */
export function intsAttr<D extends number[] | null>(ctx: OpContext, name: string, dflt: D): number[] | D {
  return read(ctx, name, 'INTS')?.value ?? dflt;
}

/** The names of the node's attributes outside `known`, for rejecting options we do not map. @internal */
export function unknownAttrs(ctx: OpContext, known: readonly string[]): string[] {
  return Object.keys(ctx.node.attributes).filter((k) => !known.includes(k));
}
