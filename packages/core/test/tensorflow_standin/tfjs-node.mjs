// Stand-in for @tensorflow/tfjs-node (see standin.mjs).
import { registerStandin } from './standin.mjs';

registerStandin('@tensorflow/tfjs-node');
