// The resolve hook registered by hooks.mjs: maps each listed tfjs-node package to its stand-in.
const FILES = {
  '@tensorflow/tfjs-node-gpu': 'tfjs-node-gpu.mjs',
  '@tensorflow/tfjs-node': 'tfjs-node.mjs',
};
let packages = [];

export function initialize(data) {
  packages = data.packages;
}

export async function resolve(specifier, context, nextResolve) {
  if (packages.includes(specifier)) {
    return { url: new URL(FILES[specifier], import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
