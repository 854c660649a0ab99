/**
 * @snnts/nn: spiking neuron modules (IF, LIF, PLIF), step-mode layers, containers and losses.
 * Importing it registers every class for `fromConfig`.
 *
 * @packageDocumentation
 */
export * from './neurons/base_node.js';
export * from './neurons/if_node.js';
export * from './neurons/lif_node.js';
export * from './neurons/plif_node.js';
export * from './layers/step_layer.js';
export * from './layers/linear.js';
export * from './layers/conv2d.js';
export * from './layers/flatten.js';
export * from './layers/relu.js';
export * from './containers/sequential.js';
export * from './containers/seq_to_ann.js';
export * from './containers/multi_step.js';
export * from './containers/time_invariant.js';
export * from './containers/time_chunk.js';
export * from './losses/cross_entropy.js';
export * from './losses/mse.js';
export * from './layers/batch_norm.js';
export * from './layers/threshold_dependent_bn.js';
export * from './layers/pooling.js';
export { MAX_POOL_NCHW, MAX_POOL_NCHW_GRAD } from './layers/max_pool_nchw.js';
export * from './layers/adaptive_pool.js';
export * from './layers/dropout.js';
export * from './monitor/monitor.js';
export * from './monitor/base_monitor.js';
export * from './monitor/output_monitor.js';
export * from './monitor/attribute_monitor.js';
export * from './monitor/firing_rate_monitor.js';
export * from './monitor/sop_report.js';
export * from './monitor/sop_counter.js';
