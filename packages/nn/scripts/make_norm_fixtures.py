#!/usr/bin/env python3
"""Writes packages/nn/test/fixtures/torch_norm.json: PyTorch reference runs of batch normalisation.

Cases cover torch.nn.BatchNorm1d on [N, C] and [N, C, L] input, torch.nn.BatchNorm2d on
[N, C, H, W], custom eps/momentum, momentum=None (cumulative average), affine=False,
track_running_stats=False, and the threshold-dependent BN of spikingjelly (a BatchNorm2d whose
weight starts at alpha * v_th, run on the [T*N, C, H, W] merge of a [T, N, C, H, W] sequence).

Each case, from fresh default buffers (running_mean 0, running_var 1) and the recorded weight/bias:
  train: y1 = bn(x1); (y1 * grad_out).sum().backward() -> output, grad_input, grad_weight,
         grad_bias; then bn(x2) -> output2, and the buffers after these two forward calls;
  eval:  bn.eval(); the same forward/backward on x1 (normalised with the running statistics).
Inputs and weights are rounded to 4 decimals in float32, so JSON holds them exactly. The exact
Python constructor call of each case is stored next to its numbers, with the torch version.

Run (only to regenerate; the tests never need Python):
    apt-get install -y python3-torch
    /usr/bin/python3 packages/nn/scripts/make_norm_fixtures.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch_norm.json')

gen = torch.Generator().manual_seed(20240612)


def rounded(t):
    """Rounds to 4 decimals and returns float32 (exactly representable in JSON)."""
    return torch.round(t.to(torch.float64) * 1e4).div(1e4).to(torch.float32)


def make_input(shape, channels):
    """Per-channel offset and scale, so the batch statistics are far from (0, 1)."""
    view = [1, channels] + [1] * (len(shape) - 2)
    offset = torch.linspace(-1.5, 2.0, channels).view(view)
    scale = torch.linspace(0.5, 3.0, channels).view(view)
    return rounded(torch.randn(shape, generator=gen) * scale + offset)


def run(bn, x1, x2, grad_out):
    """The train and eval records of one case."""
    rec = {}
    for mode in ('train', 'eval'):
        bn.train(mode == 'train')
        x = x1.clone().requires_grad_(True)
        for p in bn.parameters():
            p.grad = None
        y = bn(x)
        (y * grad_out).sum().backward()
        r = {'output': y.detach().tolist(), 'grad_input': x.grad.tolist()}
        if bn.affine:
            r['grad_weight'] = bn.weight.grad.tolist()
            r['grad_bias'] = bn.bias.grad.tolist()
        if mode == 'train':
            with torch.no_grad():
                r['output2'] = bn(x2).tolist()
            if bn.track_running_stats:
                r['running_mean'] = bn.running_mean.tolist()
                r['running_var'] = bn.running_var.tolist()
                r['num_batches_tracked'] = int(bn.num_batches_tracked.item())
        rec[mode] = r
    return rec


# (name, class, shape, kwargs, extra); extra: {'tdbn': (alpha, v_th, T)} for the tdBN case.
CASES = [
    ('bn1d_2d', 'BatchNorm1d', [6, 4], dict(), {}),
    ('bn1d_3d', 'BatchNorm1d', [4, 3, 5], dict(), {}),
    ('bn1d_eps_momentum', 'BatchNorm1d', [5, 4, 3], dict(eps=1e-3, momentum=0.3), {}),
    ('bn1d_no_track', 'BatchNorm1d', [6, 3], dict(track_running_stats=False), {}),
    ('bn2d', 'BatchNorm2d', [3, 3, 4, 4], dict(), {}),
    ('bn2d_momentum_none', 'BatchNorm2d', [2, 3, 3, 3], dict(momentum=None), {}),
    ('bn2d_affine_false', 'BatchNorm2d', [2, 4, 3, 2], dict(affine=False), {}),
    ('tdbn2d', 'BatchNorm2d', [6, 3, 3, 3], dict(), {'tdbn': (0.5, 0.8, 2)}),
]


def main():
    cases = []
    for name, cls, shape, kwargs, extra in CASES:
        channels = shape[1]
        bn = getattr(torch.nn, cls)(channels, **kwargs)
        call = f'torch.nn.{cls}({channels}' + ''.join(f', {k}={v!r}' for k, v in kwargs.items()) + ')'
        case = {'name': name, 'cls': cls, 'call': call, 'kwargs': kwargs}
        if 'tdbn' in extra:
            alpha, v_th, T = extra['tdbn']
            with torch.no_grad():
                bn.weight.fill_(alpha * v_th)
            case['tdbn'] = {'alpha': alpha, 'v_th': v_th, 'T': T}
        elif bn.affine:
            with torch.no_grad():
                bn.weight.copy_(rounded(torch.rand(channels, generator=gen) + 0.5))
                bn.bias.copy_(rounded(torch.rand(channels, generator=gen) - 0.5))
        if bn.affine:
            case['weight'] = bn.weight.tolist()
            case['bias'] = bn.bias.tolist()
        x1 = make_input(shape, channels)
        x2 = make_input(shape, channels)
        grad_out = rounded(torch.randn(shape, generator=gen))
        case.update(x1=x1.tolist(), x2=x2.tolist(), grad_out=grad_out.tolist())
        case.update(run(bn, x1, x2, grad_out))
        cases.append(case)
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes, {len(cases)} cases)')


if __name__ == '__main__':
    main()
