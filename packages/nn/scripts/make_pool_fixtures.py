#!/usr/bin/env python3
"""Writes packages/nn/test/fixtures/torch_pool.json: PyTorch reference runs of the pooling layers.

For every case (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d with a few configurations each:
stride != kernel, padding, ceil_mode, count_include_pad=False, non-divisible adaptive sizes) it
records a deterministic NCHW input, the output, a fixed upstream gradient `grad_output` and the
gradient of `sum(output * grad_output)` with respect to the input (`grad_input`).

Inputs are distinct values (a random permutation of an evenly spaced grid, rounded to 4 decimals)
so max pooling never sees a tie and its gradient is unambiguous. Upstream gradients are uniform
values rounded to 4 decimals. The reference math runs in float64; the snnts tests compare their
float32 results within 1e-4. The Python call of each case is stored next to its numbers.

Run (only to regenerate; the tests never need Python):
    apt-get install -y python3-torch
    /usr/bin/python3 packages/nn/scripts/make_pool_fixtures.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch_pool.json')

gen = torch.Generator().manual_seed(20240612)


def distinct_input(shape):
    """Distinct values in [-2, 2), evenly spaced by 4/n (> 1e-3 here), in random order, rounded to 4 decimals."""
    n = 1
    for s in shape:
        n *= s
    assert n <= 4000, 'keep inputs small enough that rounding keeps the values distinct'
    perm = torch.randperm(n, generator=gen).to(torch.float64)
    x = (perm - n / 2) * (4.0 / n)
    return torch.round(x * 1e4).div(1e4).reshape(shape)


def upstream(shape):
    """Uniform values in [-1, 1), rounded to 4 decimals."""
    g = torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1
    return torch.round(g * 1e4).div(1e4)


def flat(t):
    return [round(float(v), 6) for v in t.reshape(-1).tolist()]


# (kind, snnts args, python call, torch module, input shape)
CASES = [
    ('MaxPool2d', dict(kernelSize=2), 'nn.MaxPool2d(2)', torch.nn.MaxPool2d(2), [2, 3, 6, 6]),
    ('MaxPool2d', dict(kernelSize=3, stride=2, padding=1), 'nn.MaxPool2d(3, stride=2, padding=1)',
     torch.nn.MaxPool2d(3, stride=2, padding=1), [2, 2, 7, 7]),
    ('MaxPool2d', dict(kernelSize=3, stride=2, ceilMode=True), 'nn.MaxPool2d(3, stride=2, ceil_mode=True)',
     torch.nn.MaxPool2d(3, stride=2, ceil_mode=True), [1, 2, 8, 8]),
    ('MaxPool2d', dict(kernelSize=[2, 3], stride=[2, 1], padding=[1, 1], ceilMode=True),
     'nn.MaxPool2d((2, 3), stride=(2, 1), padding=(1, 1), ceil_mode=True)',
     torch.nn.MaxPool2d((2, 3), stride=(2, 1), padding=(1, 1), ceil_mode=True), [2, 2, 5, 7]),
    ('MaxPool2d', dict(kernelSize=3, stride=3, padding=1, ceilMode=True),
     'nn.MaxPool2d(3, stride=3, padding=1, ceil_mode=True)',
     torch.nn.MaxPool2d(3, stride=3, padding=1, ceil_mode=True), [1, 2, 7, 8]),
    ('AvgPool2d', dict(kernelSize=2), 'nn.AvgPool2d(2)', torch.nn.AvgPool2d(2), [2, 3, 6, 6]),
    ('AvgPool2d', dict(kernelSize=3, stride=2, padding=1), 'nn.AvgPool2d(3, stride=2, padding=1)',
     torch.nn.AvgPool2d(3, stride=2, padding=1), [2, 2, 7, 7]),
    ('AvgPool2d', dict(kernelSize=3, stride=2, padding=1, countIncludePad=False),
     'nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)',
     torch.nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), [2, 2, 7, 7]),
    ('AvgPool2d', dict(kernelSize=3, stride=2, padding=1, ceilMode=True),
     'nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)',
     torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), [1, 2, 8, 8]),
    ('AvgPool2d', dict(kernelSize=3, stride=2, padding=1, ceilMode=True, countIncludePad=False),
     'nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)',
     torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [1, 2, 8, 8]),
    ('AvgPool2d', dict(kernelSize=[3, 2], stride=[2, 1], padding=[1, 0], ceilMode=True),
     'nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True)',
     torch.nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True), [2, 2, 6, 5]),
    ('AvgPool2d', dict(kernelSize=4, stride=3, ceilMode=True, countIncludePad=False),
     'nn.AvgPool2d(4, stride=3, ceil_mode=True, count_include_pad=False)',
     torch.nn.AvgPool2d(4, stride=3, ceil_mode=True, count_include_pad=False), [1, 1, 9, 8]),
    ('AdaptiveAvgPool2d', dict(outputSize=3), 'nn.AdaptiveAvgPool2d(3)',
     torch.nn.AdaptiveAvgPool2d(3), [2, 3, 7, 7]),
    ('AdaptiveAvgPool2d', dict(outputSize=[2, 4]), 'nn.AdaptiveAvgPool2d((2, 4))',
     torch.nn.AdaptiveAvgPool2d((2, 4)), [1, 2, 5, 5]),
    ('AdaptiveAvgPool2d', dict(outputSize=[4, 3]), 'nn.AdaptiveAvgPool2d((4, 3))',
     torch.nn.AdaptiveAvgPool2d((4, 3)), [2, 2, 8, 6]),
    ('AdaptiveAvgPool2d', dict(outputSize=1), 'nn.AdaptiveAvgPool2d(1)',
     torch.nn.AdaptiveAvgPool2d(1), [2, 3, 5, 6]),
    ('AdaptiveAvgPool2d', dict(outputSize=[None, 3]), 'nn.AdaptiveAvgPool2d((None, 3))',
     torch.nn.AdaptiveAvgPool2d((None, 3)), [1, 2, 4, 7]),
]


def main():
    cases = []
    for kind, args, call, module, shape in CASES:
        x = distinct_input(shape).requires_grad_(True)
        y = module(x)
        g = upstream(list(y.shape))
        (gx,) = torch.autograd.grad((y * g).sum(), x)
        cases.append({
            'kind': kind,
            'args': args,
            'python': call,
            'inputShape': shape,
            'input': flat(x.detach()),
            'outputShape': list(y.shape),
            'output': flat(y.detach()),
            'gradOutput': flat(g),
            'gradInput': flat(gx),
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'generator': 'packages/nn/scripts/make_pool_fixtures.py', 'cases': cases}, f,
                  separators=(',', ':'))
        f.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
