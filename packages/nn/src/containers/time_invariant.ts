/**
 * Which stateless layers are time-invariant: given the same frame at every time step they give the
 * same output at every step, so `SeqToANNContainer` may run them once on a repeated frame (see
 * `repeatOverTime`) instead of T times. A registry by class name, so a new layer opts in with one
 * call; anything unregistered is run on the whole `[T*N, ...]` batch, which is always exact.
 *
 * BatchNorm in training mode is hoisted: its normalisation (batch mean and biased variance) over T
 * identical copies equals that over one copy. Its running-variance update uses the Bessel factor of
 * all `T·N` frames: a hoisted run says how many copies it stands for ({@link runHoisted}), and
 * BatchNorm reads it ({@link hoistedRepeats}).
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

const hoist = (): { repeats: number } => getGlobal('hoistedRepeats', () => ({ repeats: 1 }));

/**
 * Runs `f` as the hoisted computation of a frame repeated `T` times (layers that count samples,
 * such as BatchNorm's running variance, read {@link hoistedRepeats}). Nested runs multiply.
 *
 * @internal
 * @example
 * ```ts
 * import { hoistedRepeats, runHoisted } from '@snnts/nn';
 * console.log(runHoisted(4, () => hoistedRepeats())); // 4
 * ```
 */
export function runHoisted<R>(T: number, f: () => R): R {
  const h = hoist();
  const was = h.repeats;
  h.repeats = was * T;
  try {
    return f();
  } finally {
    h.repeats = was;
  }
}

/**
 * How many time steps the frame being processed stands for (1 outside {@link runHoisted}).
 *
 * @internal
 * @example
 * ```ts
 * import { hoistedRepeats } from '@snnts/nn';
 * console.log(hoistedRepeats()); // 1
 * ```
 */
export function hoistedRepeats(): number {
  return hoist().repeats;
}
