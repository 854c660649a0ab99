/**
 * A network as a flat list of steps (`{ module, inputs }`, value 0 the input, value `k + 1` the
 * output of step `k`), the form the converter rewrites: nested `Sequential`s and `OnnxGraph`s are
 * inlined, and the result is rebuilt as a `Sequential` when it is a chain, else an `OnnxGraph`.
 */
import type { Module } from '@snnts/core';
import { Sequential } from '@snnts/nn';
import { OnnxGraph, type GraphStep } from '../modules/graph.js';

/** A flat step list and the value index of the output. @internal */
export interface FlatNet {
  steps: GraphStep[];
  output: number;
}

function inline(net: Module, input: number, steps: GraphStep[]): number {
  if (net instanceof Sequential) return net.children().reduce((cur, c) => inline(c, cur, steps), input);
  if (net instanceof OnnxGraph) {
    const map = [input];
    for (const s of net.steps) {
      if (s.inputs.length === 1) map.push(inline(s.module, map[s.inputs[0]!]!, steps));
      else {
        steps.push({ module: s.module, inputs: s.inputs.map((k) => map[k]!) });
        map.push(steps.length);
      }
    }
    return map[net.output]!;
  }
  steps.push({ module: net, inputs: [input] });
  return steps.length;
}

/** Inlines the containers of `net`. @internal */
export function flattenNet(net: Module): FlatNet {
  const steps: GraphStep[] = [];
  const output = inline(net, 0, steps);
  return { steps, output };
}

/** How many steps (and the output) read each value. @internal */
export function readerCounts(flat: FlatNet): number[] {
  const counts = new Array<number>(flat.steps.length + 1).fill(0);
  for (const s of flat.steps) for (const k of s.inputs) counts[k]!++;
  counts[flat.output]!++;
  return counts;
}

/** Removes step `k`, whose readers then read `replacement` instead. @internal */
export function removeStep(flat: FlatNet, k: number, replacement: number): FlatNet {
  const remap = (v: number) => (v === k + 1 ? replacement : v > k + 1 ? v - 1 : v);
  return {
    steps: flat.steps.filter((_, i) => i !== k).map((s) => ({ module: s.module, inputs: s.inputs.map(remap) })),
    output: remap(flat.output),
  };
}

/** A `Sequential` for a chain, else an `OnnxGraph`. @internal */
export function buildNet(flat: FlatNet): Module {
  const chain = flat.steps.every((s, i) => s.inputs.length === 1 && s.inputs[0] === i) && flat.output === flat.steps.length;
  return chain ? new Sequential(...flat.steps.map((s) => s.module)) : new OnnxGraph(flat.steps, flat.output);
}
