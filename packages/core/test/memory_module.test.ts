// MemoryModule (src/memory_module.ts): registered memories start at (and reset to) their reset
// value, state survives tf.tidy, tf.memory().numTensors stays flat over 200 steps and resets,
// step modes are validated, the default multiStepForward equals a loop of single steps, and
// detach keeps values.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  MemoryModule,
  Module,
  STEP_MODES,
  ShapeError,
  StepModeError,
  checkStepMode,
  isStepModule,
  setBackend,
  type StepMode,
  type StepModuleArgs,
} from '../src/index.js';

/**
 * A leaky accumulator, `v[t] = decay * v[t-1] + x[t] * w`, with a spike count memory that starts
 * at 1 (to check non-zero reset values). Output: v[t].
 */
class Leaky extends MemoryModule {
  static override className = 'Leaky';
  readonly w: tf.Variable;
  constructor(args: StepModuleArgs & { decay?: number } = {}) {
    super(args);
    this.decay = args.decay ?? 0.5;
    this.w = this.registerParameter('w', tf.scalar(2));
    this.registerMemory('v', 0);
    this.registerMemory('count', 1);
  }
  readonly decay: number;
  singleStepForward(x: tf.Tensor): tf.Tensor {
    const v = tf.add(tf.mul(this.getMemory('v'), this.decay), tf.mul(x, this.w));
    this.setMemory('v', v);
    this.setMemory('count', tf.add(this.getMemory('count'), tf.sum(tf.cast(tf.greater(v, 1), 'float32'))));
    return v;
  }
  registerAgain(name: string): void {
    this.registerMemory(name, 0);
  }
  override getConfig() {
    return { ...super.getConfig(), decay: this.decay };
  }
}

/** Supports only single-step mode. */
class SingleOnly extends Leaky {
  static override className = 'SingleOnly';
  override get supportedStepModes(): readonly StepMode[] {
    return ['s'];
  }
}

const vals = (t: tf.Tensor | number) => (typeof t === 'number' ? [t] : Array.from(t.dataSync()));

/** Reference v[t] in float64 for the sequence xs ([T][N]). */
function reference(xs: number[][], decay = 0.5, w = 2): number[][] {
  let v = xs[0]!.map(() => 0);
  return xs.map((x) => (v = v.map((vi, i) => decay * vi + w * x[i]!)));
}

describe.each(['cpu', 'wasm'])('MemoryModule on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('registerMemory / getMemory / setMemory / reset', () => {
    const m = new Leaky();
    expect(m.memoryNames()).toEqual(['v', 'count']);
    expect(m.getMemory('v')).toBe(0);
    expect(m.getMemory('count')).toBe(1);
    const x = tf.tensor([[1, 0.2]]);
    m.call(x).dispose();
    const v = m.getMemory('v') as tf.Tensor;
    expect(v).toBeInstanceOf(tf.Tensor);
    expect(vals(v)).toEqual([2, 0.4000000059604645]);
    expect(vals(m.getMemory('count'))).toEqual([2]); // 1 + one element above 1
    m.reset();
    expect(v.isDisposed).toBe(true);
    expect(m.getMemory('v')).toBe(0);
    expect(m.getMemory('count')).toBe(1);
    expect(() => m.getMemory('u')).toThrowError(ConfigError);
    expect(() => m.getMemory('u')).toThrowError("Leaky.getMemory: 'name' expected one of [v, count], but got 'u'.");
    expect(() => m.registerAgain('v')).toThrowError(ConfigError);
    expect(() => m.registerAgain('v')).toThrowError(/Leaky\.registerMemory: 'name' expected a name not yet registered, but got 'v'/);
    // Assigned from outside (spikingjelly's `node.v = ...`): kept through tidy, the previous value disposed.
    const before = tf.memory().numTensors;
    tf.tidy(() => m.setMemory('v', tf.tensor([[0.5, 0.25]])));
    const assigned = m.getMemory('v') as tf.Tensor;
    expect(vals(assigned)).toEqual([0.5, 0.25]);
    tf.tidy(() => m.setMemory('v', tf.tensor([[1, 1]])));
    expect(assigned.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(() => m.setMemory('u', tf.scalar(1))).toThrowError(ConfigError);
    x.dispose();
    m.dispose();
  });

  it('state survives tf.tidy and carries over between steps', () => {
    const m = new Leaky();
    const xs = [[1, -1], [0.5, 0], [0, 2]];
    const ref = reference(xs);
    const before = tf.memory().numTensors;
    xs.forEach((row, t) => {
      // forward (not call) returns the state tensor itself, kept out of the tidy scope.
      const y = tf.tidy(() => m.forward(tf.tensor([row])));
      const v = m.getMemory('v') as tf.Tensor;
      expect(y).toBe(v);
      expect(v.isDisposed).toBe(false);
      vals(y).forEach((got, i) => expect(got).toBeCloseTo(ref[t]![i]!, 6));
      expect(tf.memory().numTensors).toBe(before + 2); // the two memories, intermediates freed
    });
    m.dispose();
  });

  it('call() never hands out the state tensor itself: disposing its output keeps the state', () => {
    const m = new Leaky();
    const x = tf.tensor([[1, 2]]);
    const y = m.call(x);
    const v = m.getMemory('v') as tf.Tensor;
    expect(y).not.toBe(v);
    expect(vals(y)).toEqual(vals(v));
    y.dispose();
    expect(v.isDisposed).toBe(false);
    const y2 = m.call(x); // uses the state of step 1: 0.5 * 2 * x + 2 * x
    expect(vals(y2)).toEqual([3, 6]);
    y2.dispose();
    x.dispose();
    m.dispose();
  });

  it('numTensors stays flat over 200 steps and resets, and dispose frees the state', () => {
    const start = tf.memory().numTensors;
    const m = new Leaky();
    const x = tf.tensor([[0.3, -0.1, 0.7]]);
    const base = tf.memory().numTensors; // parameters + x, no state yet
    for (let i = 0; i < 200; i++) {
      m.call(x).dispose();
      expect(tf.memory().numTensors).toBe(base + 2); // the two memories
      if (i % 50 === 49) {
        m.reset();
        expect(tf.memory().numTensors).toBe(base);
      }
    }
    expect(tf.memory().numTensors).toBe(base);
    m.call(x).dispose();
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('stepMode: validated in the constructor and the setter; unsupported modes are StepModeErrors', () => {
    expect(STEP_MODES).toEqual(['s', 'm']);
    expect(new Leaky().stepMode).toBe('s');
    expect(() => new Leaky({ stepMode: 'x' as StepMode })).toThrowError(ConfigError);
    expect(() => new Leaky({ stepMode: 'x' as StepMode })).toThrowError(`Leaky: 'stepMode' expected 's' or 'm', but got "x".`);
    const m = new Leaky({ stepMode: 'm' });
    expect(m.stepMode).toBe('m');
    expect(m.getConfig()).toEqual({ stepMode: 'm', decay: 0.5 });
    expect(() => {
      m.stepMode = 'x' as StepMode;
    }).toThrowError(`Leaky.stepMode: 'stepMode' expected 's' or 'm', but got "x".`);
    expect(m.stepMode).toBe('m');
    m.stepMode = 's';
    expect(m.stepMode).toBe('s');
    const s = new SingleOnly();
    expect(s.supportedStepModes).toEqual(['s']);
    expect(() => {
      s.stepMode = 'm';
    }).toThrowError(StepModeError);
    expect(() => {
      s.stepMode = 'm';
    }).toThrowError(`SingleOnly.stepMode: 'stepMode' expected 's', but got 'm'.`);
    expect(checkStepMode('m', 'f')).toBe('m');
    expect(() => checkStepMode(undefined, 'f')).toThrowError(ConfigError);
    expect(isStepModule(m)).toBe(true);
    expect(isStepModule({ stepMode: 's', supportedStepModes: ['s'] })).toBe(false);
    m.dispose();
    s.dispose();
  });

  it('the default multiStepForward equals a manual loop of single steps', () => {
    const T = 5, N = 2, F = 3;
    const data = Array.from({ length: T * N * F }, (_, i) => Math.sin(i) * 0.8);
    const xSeq = tf.tensor(data, [T, N, F]);
    const multi = new Leaky({ stepMode: 'm', decay: 0.75 });
    const single = new Leaky({ decay: 0.75 });
    const before = tf.memory().numTensors;
    const yM = multi.call(xSeq);
    expect(yM.shape).toEqual([T, N, F]);
    expect(tf.memory().numTensors).toBe(before + 1 + 2); // output + the two memories
    const steps = tf.unstack(xSeq).map((x) => {
      const y = single.call(x);
      x.dispose();
      return y;
    });
    const yS = tf.stack(steps);
    expect(vals(yM)).toEqual(vals(yS));
    expect(vals(multi.getMemory('v'))).toEqual(vals(single.getMemory('v')));
    expect(vals(multi.getMemory('count'))).toEqual(vals(single.getMemory('count')));
    // And both equal the float64 recurrence.
    const rows: number[][] = [];
    for (let t = 0; t < T; t++) rows.push(data.slice(t * N * F, (t + 1) * N * F));
    reference(rows, 0.75).flat().forEach((r, i) => expect(vals(yM)[i]).toBeCloseTo(r, 5));
    // A single time step is not a sequence.
    expect(() => multi.call(tf.zeros([3]))).toThrowError(ShapeError);
    expect(() => multi.call([1, 2, 3])).toThrowError(/Leaky\.multiStepForward: 'xSeq' expected rank in \{2, 3, 4, 5, 6\}, but got rank 1 \(shape \[3\]\)\. Multi-step input is \[T, N, \.\.\.\]\./);
    tf.dispose([xSeq, yM, yS, ...steps]);
    multi.dispose();
    single.dispose();
  });

  it('detach() replaces the state by an equal copy and keeps memory flat', () => {
    const m = new Leaky();
    const x = tf.tensor([[0.5, 1.5]]);
    m.call(x).dispose();
    m.call(x).dispose();
    const v = m.getMemory('v') as tf.Tensor;
    const before = vals(v);
    const n = tf.memory().numTensors;
    m.detach();
    const v2 = m.getMemory('v') as tf.Tensor;
    expect(v2).not.toBe(v);
    expect(v.isDisposed).toBe(true);
    expect(vals(v2)).toEqual(before);
    expect(tf.memory().numTensors).toBe(n);
    // Detaching before the first step (number state) is a no-op.
    m.reset();
    m.detach();
    expect(m.getMemory('v')).toBe(0);
    x.dispose();
    m.dispose();
  });

  it('gradients flow through the state within one tape', () => {
    // v2 = 0.5 * (w x1) + w x2, so dv2/dw = 0.5 x1 + x2.
    const m = new Leaky();
    const x1 = tf.tensor([[1, 2]]), x2 = tf.tensor([[3, -1]]);
    const { value, grads } = tf.variableGrads(() => {
      m.forward(x1);
      return tf.sum(m.forward(x2)) as tf.Scalar;
    }, [m.w]);
    expect(vals(value)[0]).toBeCloseTo(2 * (0.5 * 3 + 2), 5);
    expect(vals(grads[m.w.name]!)[0]).toBeCloseTo(0.5 * 3 + 2, 5);
    tf.dispose([x1, x2, value, ...Object.values(grads)]);
    m.dispose();
  });

  it('is a Module: parameters and dispose include the memories', () => {
    const m = new Leaky();
    expect(m).toBeInstanceOf(Module);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['w']);
    expect(Object.keys(m.stateDict())).toEqual(['w']); // memories are not state-dict entries
    m.dispose();
  });
});
