/**
 * @snnts/datasets: IDX (MNIST-format) parsing, an in-memory image set with seeded batching, and
 * Node loaders for Fashion-MNIST / MNIST files.
 *
 * @packageDocumentation
 */
export * from './idx.js';
export * from './image_set.js';
export * from './files.js';
