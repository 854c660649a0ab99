#!/usr/bin/env python3
"""Writes packages/optim/test/fixtures/torch_optim.json: PyTorch reference runs of torch.optim.

Each optimizer case starts from the same float32 parameters, feeds the same fixed float32
gradients at every step (`p.grad = g; opt.step()`), and records every parameter after every
step. Scheduler cases record `get_last_lr()` after construction and after each `step()`.
The exact Python call of each case is stored next to its numbers, with the torch version.

Run (only to regenerate; the tests never need Python):
    apt-get install -y python3-torch
    /usr/bin/python3 packages/optim/scripts/make_fixtures.py
"""
import json
import math
import os

import torch

STEPS = 5
SHAPES = [[2, 3], [3]]
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch_optim.json')

gen = torch.Generator().manual_seed(20240611)


def rounded(shape, lo, hi):
    """Uniform values in [lo, hi), rounded to 4 decimals, as float32 (exactly representable in JSON)."""
    x = torch.rand(shape, generator=gen, dtype=torch.float64) * (hi - lo) + lo
    return torch.round(x * 1e4).div(1e4).to(torch.float32)


# Parameters away from zero (so relative comparisons are meaningful), random signs.
PARAMS0 = []
for shape in SHAPES:
    mag = rounded(shape, 0.5, 1.5)
    sign = torch.where(torch.rand(shape, generator=gen) < 0.5, -1.0, 1.0).to(torch.float32)
    PARAMS0.append(mag * sign)
# Gradients per step; magnitudes vary across steps so AMSGrad's running max matters.
GRADS = [[rounded(shape, -1.0, 1.0) * (2.0 if step % 2 == 0 else 0.25) for shape in SHAPES] for step in range(STEPS)]

# (name, optimizer class, torch kwargs, (scheduler class, kwargs) or None); one group of all params.
OPT_CASES = [
    ('sgd_plain', 'SGD', dict(lr=0.1), None),
    ('sgd_momentum', 'SGD', dict(lr=0.1, momentum=0.9), None),
    ('sgd_dampening', 'SGD', dict(lr=0.1, momentum=0.9, dampening=0.5), None),
    ('sgd_nesterov', 'SGD', dict(lr=0.1, momentum=0.9, nesterov=True), None),
    ('sgd_weight_decay', 'SGD', dict(lr=0.1, momentum=0.8, weight_decay=0.05), None),
    ('sgd_maximize_wd', 'SGD', dict(lr=0.05, momentum=0.5, weight_decay=0.1, maximize=True), None),
    ('adam_default', 'Adam', dict(), None),
    ('adam_lr', 'Adam', dict(lr=0.05, betas=(0.8, 0.99)), None),
    ('adam_weight_decay', 'Adam', dict(lr=0.05, weight_decay=0.1), None),
    ('adam_amsgrad', 'Adam', dict(lr=0.05, amsgrad=True), None),
    ('adam_maximize', 'Adam', dict(lr=0.02, weight_decay=0.05, maximize=True), None),
    ('adamw_default', 'AdamW', dict(lr=0.05), None),
    ('adamw_wd_amsgrad', 'AdamW', dict(lr=0.05, weight_decay=0.3, amsgrad=True, eps=1e-6), None),
    ('sgd_steplr', 'SGD', dict(lr=0.2, momentum=0.9), ('StepLR', dict(step_size=2, gamma=0.5))),
    ('adam_cosine', 'Adam', dict(lr=0.05), ('CosineAnnealingLR', dict(T_max=3, eta_min=0.001))),
]
# Per-parameter groups (PyTorch's list-of-dicts form): group options override the defaults.
GROUP_CASES = [
    ('sgd_groups', 'SGD', [dict(params=[0], lr=0.05, momentum=0.9), dict(params=[1], weight_decay=0.1)], dict(lr=0.1)),
    ('adam_groups', 'Adam', [dict(params=[0]), dict(params=[1], lr=0.01, betas=(0.5, 0.9), amsgrad=True)], dict(lr=0.05)),
]

SCHED_CASES = [
    ('steplr', 'StepLR', dict(step_size=3, gamma=0.1), 0.1, 10),
    ('steplr_default_gamma', 'StepLR', dict(step_size=2), 1.0, 7),
    ('cosine', 'CosineAnnealingLR', dict(T_max=5), 0.1, 12),
    ('cosine_eta_min', 'CosineAnnealingLR', dict(T_max=4, eta_min=0.01), 0.5, 10),
]

CAMEL = {'weight_decay': 'weightDecay', 'step_size': 'stepSize', 'T_max': 'TMax', 'eta_min': 'etaMin'}


def camel(d):
    out = {}
    for k, v in d.items():
        if k == 'params':
            continue
        out[CAMEL.get(k, k)] = list(v) if isinstance(v, tuple) else v
    return out


def fmt_kwargs(d):
    return ', '.join(f'{k}={v!r}' for k, v in d.items())


def flat(t):
    return t.detach().reshape(-1).tolist()


def run_optimizer(cls, groups, defaults, sched):
    params = [p.clone().requires_grad_(True) for p in PARAMS0]
    torch_groups = [dict(g, params=[params[i] for i in g['params']]) for g in groups]
    opt = getattr(torch.optim, cls)(torch_groups, **defaults, foreach=False)
    scheduler = getattr(torch.optim.lr_scheduler, sched[0])(opt, **sched[1]) if sched else None
    trajectory = []
    for step in range(STEPS):
        for p, g in zip(params, GRADS[step]):
            p.grad = g.clone()
        opt.step()
        if scheduler:
            scheduler.step()
        trajectory.append([flat(p) for p in params])
    return trajectory


def opt_case(name, cls, groups, defaults, sched):
    group_src = '[' + ', '.join(
        '{' + ', '.join([f"'params': [{', '.join(f'p{i}' for i in g['params'])}]"] + [f'{k!r}: {v!r}' for k, v in g.items() if k != 'params']) + '}'
        for g in groups) + ']'
    call = f'torch.optim.{cls}({group_src}, {fmt_kwargs(dict(defaults, foreach=False))})'
    if sched:
        call += f'; torch.optim.lr_scheduler.{sched[0]}(opt, {fmt_kwargs(sched[1])}); per step: opt.step(); sched.step()'
    else:
        call += '; per step: p.grad = g; opt.step()'
    return {
        'name': name,
        'optimizer': cls,
        'call': call,
        'options': camel(defaults),
        'groups': [dict(params=g['params'], **camel(g)) for g in groups],
        'scheduler': {'name': sched[0], 'options': camel(sched[1])} if sched else None,
        'params': run_optimizer(cls, groups, defaults, sched),
    }


def sched_case(name, cls, kwargs, lr, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kwargs)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return {
        'name': name,
        'scheduler': cls,
        'call': f'torch.optim.lr_scheduler.{cls}(torch.optim.SGD([p], lr={lr!r}), {fmt_kwargs(kwargs)}); '
                f'lrs = [get_last_lr()[0]] + [step(); get_last_lr()[0]] x {steps}',
        'lr': lr,
        'options': camel(kwargs),
        'lrs': lrs,
    }


def main():
    all_params = list(range(len(SHAPES)))
    cases = [opt_case(n, c, [dict(params=all_params)], d, s) for n, c, d, s in OPT_CASES]
    cases += [opt_case(n, c, g, d, None) for n, c, g, d in GROUP_CASES]
    fixture = {
        'generator': 'packages/optim/scripts/make_fixtures.py',
        'torch': torch.__version__,
        'dtype': 'float32',
        'note': 'params[k][i] = flattened parameter i after step k+1; grads[k][i] = gradient of parameter i at step k+1',
        'shapes': SHAPES,
        'params0': [flat(p) for p in PARAMS0],
        'grads': [[flat(g) for g in step] for step in GRADS],
        'optimizers': cases,
        'schedulers': [sched_case(*c) for c in SCHED_CASES],
    }
    for c in fixture['schedulers']:
        assert all(math.isfinite(v) for v in c['lrs'])
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)} ({len(cases)} optimizer cases, {len(SCHED_CASES)} scheduler cases)')


if __name__ == '__main__':
    main()
