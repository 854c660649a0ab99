/**
 * Bad input: every check throws a typed @snnts/core error whose message names the function, the
 * argument, what was expected and what was received, and a failed call changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect } from 'vitest';
import { ConfigError, ShapeError } from '@snnts/core';
import {
  Adam, AdamW, chain, CosineAnnealingLR, LambdaLR, SGD, StepLR, scaleByAdam, scaleByLearningRate, trace, trainStep,
} from '@snnts/optim';

const v = (shape: number[] = [2]) => tf.variable(tf.ones(shape));

/** Runs `f`, expects a `cls` error, and returns it for field checks. */
function thrown<E extends Error>(f: () => unknown, cls: new (...a: never[]) => E, message: RegExp): E {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toMatch(message);
  return err as E;
}

describe('learning rate', () => {
  it('negative lr in the options', () => {
    const e = thrown(() => new SGD([v()], { lr: -0.1 }), ConfigError, /^SGD: 'options.lr' expected a finite number >= 0, but got number -0.1\.$/);
    expect([e.fn, e.arg, e.expected, e.actual]).toEqual(['SGD', 'options.lr', 'a finite number >= 0', 'number -0.1']);
  });

  it('negative lr in a parameter group', () => {
    thrown(() => new Adam([{ params: [v()] }, { params: [v()], lr: -1 }]), ConfigError, /^Adam: 'params\[1\].lr' expected a finite number >= 0, but got number -1\./);
  });

  it('missing or non-numeric lr', () => {
    thrown(() => new SGD([v()], {} as { lr: number }), ConfigError, /SGD: 'options.lr' expected a finite number >= 0, but got undefined/);
    thrown(() => new AdamW([v()], { lr: NaN }), ConfigError, /AdamW: 'options.lr' expected a finite number >= 0, but got number NaN/);
  });

  it('an lr set out of range later is caught by step, which then changes nothing', () => {
    const w = v();
    const opt = new SGD([w], { lr: 0.1 });
    opt.paramGroups[0]!.lr = -0.5;
    const g = tf.ones([2]);
    thrown(() => opt.step(new Map([[w, g]])), ConfigError, /^SGD.step: 'paramGroups\[0\].lr' expected a finite number >= 0, but got number -0.5\./);
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
  });
});

describe('Adam betas, eps, weight decay', () => {
  it('betas outside [0, 1)', () => {
    thrown(() => new Adam([v()], { betas: [1, 0.999] }), ConfigError, /^Adam: 'options.betas\[0\]' expected a number in \[0, 1\), but got number 1\./);
    thrown(() => new AdamW([v()], { betas: [0.9, -0.1] }), ConfigError, /^AdamW: 'options.betas\[1\]' expected a number in \[0, 1\), but got number -0.1\./);
    thrown(() => new Adam([v()], { betas: [0.9] as unknown as [number, number] }), ConfigError, /^Adam: 'options.betas' expected a pair \[beta1, beta2\], but got an array of length 1\./);
    thrown(() => scaleByAdam({ b2: 1.5 }), ConfigError, /^scaleByAdam: 'b2' expected a number in \[0, 1\), but got number 1.5\./);
  });

  it('negative eps or weight decay, non-boolean flags', () => {
    thrown(() => new Adam([v()], { eps: -1e-8 }), ConfigError, /Adam: 'options.eps' expected a finite number >= 0/);
    thrown(() => new SGD([v()], { lr: 0.1, weightDecay: -1 }), ConfigError, /SGD: 'options.weightDecay' expected a finite number >= 0, but got number -1/);
    thrown(() => new Adam([v()], { amsgrad: 1 as unknown as boolean }), ConfigError, /Adam: 'options.amsgrad' expected a boolean, but got number 1/);
  });
});

describe('params', () => {
  it('non-Variable params', () => {
    const t = tf.zeros([2]);
    const e = thrown(() => new SGD([t as tf.Variable], { lr: 0.1 }), ConfigError, /^SGD: 'params\[0\]' expected a tf.Variable, but got a tensor of shape \[2\]\. Wrap it with tf.variable/);
    expect(e.arg).toBe('params[0]');
    thrown(() => new Adam([{ params: [v()] }, { params: [v(), t as tf.Variable] }]), ConfigError, /^Adam: 'params\[1\].params\[1\]' expected a tf.Variable, but got a tensor of shape \[2\]/);
    thrown(() => new Adam([v(), { params: [v()] }] as never), ConfigError, /^Adam: 'params\[0\]' expected a parameter group \{params: tf.Variable\[\], \.\.\.\} like the other entries, but got a tensor of shape \[2\]/);
    thrown(() => new SGD(['w'] as never, { lr: 0.1 }), ConfigError, /^SGD: 'params\[0\]' expected a tf.Variable, but got string w\./);
  });

  it('empty params', () => {
    thrown(() => new SGD([], { lr: 0.1 }), ConfigError, /^SGD: 'params' expected a non-empty array of tf.Variable or of parameter groups \{params, \.\.\.\}, but got an array of length 0\./);
    thrown(() => new Adam(undefined as never), ConfigError, /^Adam: 'params' expected a non-empty array .*, but got undefined\./);
    thrown(() => new Adam([{ params: [] }]), ConfigError, /^Adam: 'params\[0\].params' expected a non-empty array of tf.Variable, but got an array of length 0\./);
  });

  it('a variable in two groups, or a disposed one', () => {
    const w = v();
    thrown(() => new SGD([{ params: [w] }, { params: [v(), w] }], { lr: 0.1 }), ConfigError, /^SGD: 'params\[1\].params\[1\]' expected a variable in no other parameter group, but got '.+' twice\./);
    const opt = new SGD([w], { lr: 0.1 });
    thrown(() => opt.addParamGroup({ params: [w] }), ConfigError, /^SGD.addParamGroup: 'group.params\[0\]' expected a variable in no other parameter group/);
    const d = v();
    d.dispose();
    thrown(() => new SGD([d], { lr: 0.1 }), ConfigError, /^SGD: 'params\[0\]' expected a live tf.Variable, but got disposed variable/);
  });
});

describe('SGD Nesterov misuse', () => {
  it('needs momentum > 0', () => {
    const e = thrown(() => new SGD([v()], { lr: 0.1, nesterov: true }), ConfigError,
      /^SGD: 'options.nesterov' expected momentum > 0 and dampening = 0 with Nesterov momentum, but got momentum 0 and dampening 0\./);
    expect(e.arg).toBe('options.nesterov');
  });

  it('needs dampening = 0', () => {
    thrown(() => new SGD([{ params: [v()], dampening: 0.1 }], { lr: 0.1, momentum: 0.9, nesterov: true }), ConfigError,
      /^SGD: 'params\[0\].nesterov' expected momentum > 0 and dampening = 0 with Nesterov momentum, but got momentum 0.9 and dampening 0.1\./);
  });
});

describe('step and minimize arguments', () => {
  it('gradients of the wrong shape or type', () => {
    const w = v([2, 3]);
    const opt = new Adam([w]);
    thrown(() => opt.step(new Map([[w, tf.ones([3, 2])]])), ShapeError, new RegExp(`^Adam.step: 'grads\\['${w.name}'\\]' expected shape \\[2,3\\] \\(the parameter's\\), but got shape \\[3,2\\]\\.`));
    thrown(() => opt.step({ [w.name]: [1, 2] as never }), ShapeError, /Adam.step: 'grads\[.+\]' expected a tf.Tensor, but got an array of length 2/);
    thrown(() => opt.step([tf.ones([2, 3])] as never), ConfigError, /^Adam.step: 'grads' expected a Map<tf.Variable, tf.Tensor> or a Record<variable.name, tf.Tensor> \(what tf.variableGrads returns\), but got an array of length 1\./);
    expect(Array.from(w.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a non-scalar loss, no trainable parameters, a bad clip norm', () => {
    const w = v([2]);
    const opt = new SGD([w], { lr: 0.1 });
    thrown(() => opt.minimize(() => tf.square(w) as tf.Scalar), ShapeError, /^SGD.minimize: 'lossFn\(\)' expected a scalar tf.Tensor \(rank 0\), but got a tensor of shape \[2\]\. Reduce it with tf.mean or tf.sum\./);
    thrown(() => opt.minimize(() => tf.sum(w), { clipGradNorm: 0 }), ConfigError, /SGD.minimize: 'options.clipGradNorm' expected a number > 0, but got number 0/);
    thrown(() => trainStep({} as never, () => tf.sum(w)), ConfigError, /^trainStep: 'optimizer' expected an Optimizer \(SGD, Adam, AdamW, \.\.\.\), but got an object \(Object\)\./);
    thrown(() => opt.minimize(() => tf.scalar(1)), ConfigError, /^SGD.minimize: 'lossFn' expected a loss computed from at least one of the optimizer's 1 trainable parameters, but got a loss that uses none of them\./);
    const frozen = new SGD([tf.variable(tf.ones([1]), false)], { lr: 0.1 });
    thrown(() => frozen.minimize(() => tf.sum(w)), ConfigError, /^SGD.minimize: 'params' expected at least one trainable tf.Variable, but got none trainable\./);
  });
});

describe('loadStateDict', () => {
  it('the wrong number of params', () => {
    const a = new SGD([v(), v()], { lr: 0.1, momentum: 0.9 });
    const b = new SGD([v()], { lr: 0.1, momentum: 0.9 });
    const e = thrown(() => b.loadStateDict(a.stateDict()), ConfigError,
      /^SGD.loadStateDict: 'stateDict.paramGroups\[0\].params' expected 1 parameter \(as in this optimizer's group 0\), but got 2 parameters\./);
    expect([e.fn, e.arg]).toEqual(['SGD.loadStateDict', 'stateDict.paramGroups[0].params']);
  });

  it('the wrong number of groups, state shapes or state indices', () => {
    const w = v([2]);
    const a = new Adam([{ params: [w] }, { params: [v()] }]);
    const b = new Adam([v([2]), v()]);
    thrown(() => b.loadStateDict(a.stateDict()), ConfigError, /^Adam.loadStateDict: 'stateDict.paramGroups' expected 1 group \(as in this optimizer\), but got 2 groups\./);

    const c = new Adam([v([3])]);
    const x = new Adam([w]);
    x.minimize(() => tf.sum(w));
    const sd = x.stateDict();
    thrown(() => c.loadStateDict(sd), ShapeError, /^Adam.loadStateDict: 'stateDict.state\[0\].expAvg' expected shape \[3\] \(parameter '.+'\), but got shape \[2\]\./);
    thrown(() => x.loadStateDict({ ...sd, state: { 5: sd.state[0]! } }), ConfigError, /^Adam.loadStateDict: 'stateDict.state\['5'\]' expected a parameter index in \[0, 1\), but got '5'\./);
    thrown(() => x.loadStateDict({ ...sd, paramGroups: [{ ...sd.paramGroups[0]!, lr: -1 }] }), ConfigError, /^Adam.loadStateDict: 'stateDict.paramGroups\[0\].lr' expected a finite number >= 0/);
    tf.dispose(sd.state);
  });
});

describe('transforms and schedulers', () => {
  it('transform arguments', () => {
    thrown(() => scaleByLearningRate(-1), ConfigError, /^scaleByLearningRate: 'lr' expected a finite number >= 0, but got number -1\./);
    thrown(() => trace({ momentum: -0.5 }), ConfigError, /^trace: 'momentum' expected a finite number >= 0, but got number -0.5\./);
    thrown(() => chain(trace({ momentum: 0.9 }), trace({ momentum: 0.5 })), ConfigError, /^chain: 'transforms\[1\]' expected state keys distinct from transforms\[0\], but got a second 'momentumBuffer'\./);
    thrown(() => chain(scaleByLearningRate(1), {} as never), ConfigError, /^chain: 'transforms\[1\]' expected a GradientTransformation/);
  });

  it('scheduler arguments', () => {
    const opt = new SGD([v()], { lr: 0.1 });
    thrown(() => new StepLR(opt, { stepSize: 0 }), ConfigError, /^StepLR: 'options.stepSize' expected a positive integer, but got number 0\./);
    thrown(() => new StepLR(opt, { stepSize: 2, gamma: -0.1 }), ConfigError, /^StepLR: 'options.gamma' expected a finite number >= 0, but got number -0.1\./);
    thrown(() => new CosineAnnealingLR(opt, { TMax: 0 }), ConfigError, /^CosineAnnealingLR: 'options.TMax' expected a finite number > 0, but got number 0\./);
    thrown(() => new CosineAnnealingLR(opt, { TMax: 10, etaMin: -1 }), ConfigError, /^CosineAnnealingLR: 'options.etaMin' expected a finite number >= 0/);
    thrown(() => new StepLR({} as never, { stepSize: 1 }), ConfigError, /^StepLR: 'optimizer' expected an Optimizer \(SGD, Adam, AdamW, \.\.\.\), but got an object \(Object\)\./);
    thrown(() => new LambdaLR(opt, [(e) => e, (e) => e]), ConfigError, /^LambdaLR: 'lrLambda' expected a function, or an array of one function per parameter group \(1\), but got an array of length 2\./);
  });
});
