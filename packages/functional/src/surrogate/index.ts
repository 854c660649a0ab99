/**
 * Surrogate spike functions: the base class and Heaviside step, the name registry, and every
 * surrogate of spikingjelly's `activation_based/surrogate.py` (except the stochastic PoissonPass
 * and the multi-level MultiLevelSpikeCount) plus snnTorch's FastSigmoid, one file each.
 * Importing this module registers nothing; `./register.js` does.
 */
export * from './base.js';
export * from './registry.js';
export * from './atan.js';
export * from './sigmoid.js';
export * from './piecewise_quadratic.js';
export * from './piecewise_exp.js';
export * from './soft_sign.js';
export * from './super_spike.js';
export * from './erf.js';
export * from './nonzero_sign_log_abs.js';
export * from './piecewise_leaky_relu.js';
export * from './squarewave_fourier_series.js';
export * from './s2nn.js';
export * from './q_pseudo_spike.js';
export * from './leaky_k_relu.js';
export * from './fake_numerical_gradient.js';
export * from './log_tailed_relu.js';
export * from './rect.js';
export * from './deterministic_pass.js';
export * from './fast_sigmoid.js';
