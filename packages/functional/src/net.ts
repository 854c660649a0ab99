/**
 * Walkers over a network's module tree: `resetNet`, `setStepMode`, `detachNet`, with the
 * snake_case aliases spikingjelly users know (`reset_net`, `set_step_mode`, `detach_net`).
 */
import { ConfigError, MemoryModule, Module, checkStepMode, isStepModule, type StepMode } from '@snnts/core';

function checkNet(net: unknown, fn: string): Module {
  if (!(net instanceof Module)) throw new ConfigError(fn, 'net', 'a Module', String(net));
  return net;
}

/**
 * Resets the state of every stateful module in `net` (membrane potentials, dropout masks) and
 * frees the state tensors. Call it between sequences/batches.
 *
 * @example
 * ```ts
 * import { resetNet } from '@snnts/functional';
 * import { Sequential, Linear, LIFNode } from '@snnts/nn';
 * const net = new Sequential(new Linear(4, 2), new LIFNode());
 * net.call([[1, 2, 3, 4]]);
 * resetNet(net);
 * ```
 */
export function resetNet(net: Module): void {
  for (const m of checkNet(net, 'resetNet').modules()) if (m instanceof MemoryModule) m.reset();
}

/**
 * Sets the step mode (`'s'` single-step, `'m'` multi-step) of every module in `net` that has one,
 * except the children of containers that fix their children's mode (`SeqToANNContainer`,
 * `MultiStepContainer`), as spikingjelly's `set_step_mode` does.
 *
 * @example
 * ```ts
 * import { setStepMode } from '@snnts/functional';
 * import { Sequential, SeqToANNContainer, Linear, LIFNode } from '@snnts/nn';
 * const net = new Sequential(new SeqToANNContainer(new Linear(4, 2)), new LIFNode());
 * setStepMode(net, 'm'); // input [T, N, 4] -> output [T, N, 2]
 * ```
 */
export function setStepMode(net: Module, stepMode: StepMode): void {
  const mode = checkStepMode(stepMode, 'setStepMode');
  const walk = (m: Module): void => {
    if (isStepModule(m) && m.supportedStepModes.includes(mode)) m.stepMode = mode;
    // Containers such as SeqToANNContainer run their children single-step by construction.
    if ((m as { keepsChildStepMode?: boolean }).keepsChildStepMode) return;
    for (const c of m.children()) walk(c);
  };
  walk(checkNet(net, 'setStepMode'));
}

/**
 * Detaches the state of every stateful module from recorded computation (truncated BPTT).
 *
 * @example
 * ```ts
 * import { detachNet } from '@snnts/functional';
 * import { LIFNode } from '@snnts/nn';
 * detachNet(new LIFNode());
 * ```
 */
export function detachNet(net: Module): void {
  for (const m of checkNet(net, 'detachNet').modules()) if (m instanceof MemoryModule) m.detach();
}

/**
 * Alias of {@link resetNet} for code ported from spikingjelly.
 *
 * @example
 * ```ts
 * import { reset_net } from '@snnts/functional';
 * import { LIFNode } from '@snnts/nn';
 * reset_net(new LIFNode());
 * ```
 */
export const reset_net = resetNet;

/**
 * Alias of {@link setStepMode} for code ported from spikingjelly.
 *
 * @example
 * ```ts
 * import { set_step_mode } from '@snnts/functional';
 * import { LIFNode } from '@snnts/nn';
 * set_step_mode(new LIFNode(), 'm');
 * ```
 */
export const set_step_mode = setStepMode;

/**
 * Alias of {@link detachNet} for code ported from spikingjelly.
 *
 * @example
 * ```ts
 * import { detach_net } from '@snnts/functional';
 * import { LIFNode } from '@snnts/nn';
 * detach_net(new LIFNode());
 * ```
 */
export const detach_net = detachNet;
