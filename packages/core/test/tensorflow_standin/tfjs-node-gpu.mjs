// Stand-in for @tensorflow/tfjs-node-gpu (see standin.mjs).
import { registerStandin } from './standin.mjs';

registerStandin('@tensorflow/tfjs-node-gpu');
