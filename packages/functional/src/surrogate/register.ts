/**
 * Side effect: registers every built-in surrogate under its class name, so that
 * `getSurrogate('ATan', { alpha: 2 })` works. One call per class, nothing else.
 */
import { registerSurrogate } from './registry.js';
import { ATan } from './atan.js';
import { Sigmoid } from './sigmoid.js';
import { PiecewiseQuadratic } from './piecewise_quadratic.js';
import { PiecewiseExp } from './piecewise_exp.js';
import { SoftSign } from './soft_sign.js';
import { SuperSpike } from './super_spike.js';
import { Erf } from './erf.js';
import { NonzeroSignLogAbs } from './nonzero_sign_log_abs.js';
import { PiecewiseLeakyReLU } from './piecewise_leaky_relu.js';
import { SquarewaveFourierSeries } from './squarewave_fourier_series.js';
import { S2NN } from './s2nn.js';
import { QPseudoSpike } from './q_pseudo_spike.js';
import { LeakyKReLU } from './leaky_k_relu.js';
import { FakeNumericalGradient } from './fake_numerical_gradient.js';
import { LogTailedReLU } from './log_tailed_relu.js';
import { Rect } from './rect.js';
import { DeterministicPass } from './deterministic_pass.js';
import { FastSigmoid } from './fast_sigmoid.js';

registerSurrogate(ATan);
registerSurrogate(Sigmoid);
registerSurrogate(PiecewiseQuadratic);
registerSurrogate(PiecewiseExp);
registerSurrogate(SoftSign);
registerSurrogate(SuperSpike);
registerSurrogate(Erf);
registerSurrogate(NonzeroSignLogAbs);
registerSurrogate(PiecewiseLeakyReLU);
registerSurrogate(SquarewaveFourierSeries);
registerSurrogate(S2NN);
registerSurrogate(QPseudoSpike);
registerSurrogate(LeakyKReLU);
registerSurrogate(FakeNumericalGradient);
registerSurrogate(LogTailedReLU);
registerSurrogate(Rect);
registerSurrogate(DeterministicPass);
registerSurrogate(FastSigmoid);
