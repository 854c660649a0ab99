/**
 * The fast path of `neuronMultiStep`: when the charge function carries a spec, the input is
 * float32, the active backend's fused kernel supports the surrogate's gradient, and it has a
 * `SnntsNeuronMultiStep` kernel in the fused-kernel registry, the whole recurrence runs as one
 * kernel (and its gradient as one more) instead of about ten tfjs ops per time step. A sequence
 * made by `repeatOverTime` is passed as its single frame. Otherwise it returns `null` and the
 * caller composes tfjs ops. PLIF runs `SnntsPLIFMultiStep` with `k = sigmoid(w)` as an input, so the
 * gradient of `w` flows through tfjs's own sigmoid gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { hasFusedKernel, isRecordingGradients, runFusedKernel } from '@snnts/core';
import { repeatedFrame } from '../../ops/repeat.js';
import type { ResolvedNeuronOptions } from '../common.js';
import type { ChargeFn, MultiStepExecOptions, MultiStepResult } from '../dynamics.js';
import { chargeSpecOf } from './charge_spec.js';
import { NEURON_MULTI_STEP, PLIF_MULTI_STEP, type NeuronMultiStepAttrs } from './kernel_contract.js';
import { fusedSurrogateSupported } from './surrogate_support.js';

/**
 * Runs `neuronMultiStep` as one fused kernel when possible (see the file header), else returns
 * `null`. `v0` must already be validated against `xSeq`.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fusedNeuronMultiStep, resolveNeuronOptions, withChargeSpec } from '@snnts/functional';
 * const charge = withChargeSpec((x, v) => tf.add(v, x), { kind: 'if' });
 * const r = fusedNeuronMultiStep(charge, tf.ones([4, 2, 3]), 0, resolveNeuronOptions({}, 'example'), {}); // null when no fused kernel
 * ```
 */
export function fusedNeuronMultiStep(
  charge: ChargeFn,
  xSeq: tf.Tensor,
  v0: tf.Tensor | number,
  o: ResolvedNeuronOptions,
  exec: MultiStepExecOptions,
): MultiStepResult | null {
  const spec = chargeSpecOf(charge);
  if (!spec || xSeq.dtype !== 'float32' || !o.surrogateFunction.spiking) return null;
  if (typeof v0 !== 'number' && v0.dtype !== 'float32') return null;
  const plif = spec.kind === 'plif';
  const kernelName = plif ? PLIF_MULTI_STEP : NEURON_MULTI_STEP;
  if (!hasFusedKernel(kernelName)) return null;
  const sg = o.surrogateFunction;
  const withGrad = exec.surrogate ?? true;
  if (withGrad && !fusedSurrogateSupported(tf.getBackend(), sg.name, sg.params())) return null;
  const rep = repeatedFrame(xSeq);
  const attrs: NeuronMultiStepAttrs = {
    T: xSeq.shape[0]!,
    charge: spec.kind,
    tau: spec.kind === 'lif' ? spec.tau : 1,
    decayInput: spec.kind === 'if' ? false : spec.decayInput,
    vRest: spec.kind === 'if' ? 0 : spec.vRest,
    vThreshold: o.vThreshold,
    softReset: o.vReset === null,
    vReset: o.vReset ?? 0,
    detachReset: o.detachReset,
    surrogate: withGrad ? sg.name : '',
    surrogateParams: withGrad ? JSON.stringify(sg.params()) : '{}',
    repeated: rep !== null,
    v0Value: typeof v0 === 'number' ? v0 : 0,
    saveH: isRecordingGradients(),
    storeVSeq: exec.storeVSeq ?? false,
  };
  const inputs: tf.NamedTensorMap = { x: rep ? rep.frame : xSeq };
  if (typeof v0 !== 'number') inputs['v0'] = v0;
  else if (plif) inputs['v0'] = tf.fill(xSeq.shape.slice(1), v0, 'float32');
  if (spec.kind === 'plif') inputs['k'] = tf.sigmoid(spec.w);
  const outs = runFusedKernel(kernelName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const result: MultiStepResult = { spikeSeq: outs[0]!, v: outs[1]! };
  if (attrs.storeVSeq) result.vSeq = outs[attrs.saveH ? 3 : 2]!;
  return result;
}
