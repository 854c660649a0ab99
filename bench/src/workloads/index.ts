/** The workloads of the suite, by name. */
import type { Workload } from './types.js';
import { W1 } from './w1.js';
import { W2 } from './w2.js';
import { W3 } from './w3.js';
import { W4 } from './w4.js';
import { W5 } from './w5.js';

/** Every workload, in order. */
export const WORKLOADS: ReadonlyMap<string, Workload> = new Map([W1, W2, W3, W4, W5].map((w) => [w.name, w]));
