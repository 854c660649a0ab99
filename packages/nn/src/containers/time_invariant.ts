/**
 * Which stateless layers are time-invariant: given the same frame at every time step they give the
 * same output at every step, so `SeqToANNContainer` may run them once on a repeated frame (see
 * `repeatOverTime`) instead of T times. A registry by class name, so a new layer opts in with one
 * call; anything unregistered is run on the whole `[T*N, ...]` batch, which is always exact.
 *
 * BatchNorm in training mode is hoisted: its normalisation (batch mean and biased variance) over T
 * identical copies equals that over one copy. Only the running-variance update differs, by the
 * Bessel factor `N/(N-1)` instead of `T·N/(T·N-1)` (a relative difference below `1/N`).
 */
import { Module, getGlobal } from '@snnts/core';

/** Decides for one module instance (e.g. depending on `training`); `() => true` for plain layers. */
export type TimeInvariancePredicate = (m: Module) => boolean;

const registry = (): Map<string, TimeInvariancePredicate> =>
  getGlobal('timeInvariantLayers', () => {
    const always = () => true;
    const names = ['Linear', 'Conv2d', 'Flatten', 'ReLU', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d'];
    return new Map<string, TimeInvariancePredicate>(names.map((n) => [n, always]));
  });

/**
 * Declares the layer class named `className` time-invariant (optionally only when `predicate`
 * holds for the instance), so `SeqToANNContainer` hoists it over repeated input.
 *
 * @example
 * ```ts
 * import { registerTimeInvariant } from '@snnts/nn';
 * registerTimeInvariant('MyScale');
 * ```
 */
export function registerTimeInvariant(className: string, predicate: TimeInvariancePredicate = () => true): void {
  registry().set(className, predicate);
}

/**
 * Whether `m` may run once on a repeated frame: registered (with its predicate true), or a
 * `Sequential` / container of such modules.
 *
 * @example
 * ```ts
 * import { isTimeInvariant, Linear, LIFNode } from '@snnts/nn';
 * isTimeInvariant(new Linear(4, 2)); // true
 * isTimeInvariant(new LIFNode());    // false
 * ```
 */
export function isTimeInvariant(m: Module): boolean {
  const p = registry().get(m.className);
  if (p) return p(m);
  if (m.className === 'Sequential' || m.className === 'SeqToANNContainer') return m.children().every(isTimeInvariant);
  return false;
}
