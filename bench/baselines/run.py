"""PyTorch baselines of `pnpm bench --baseline`: the workloads of bench/src/workloads in plain PyTorch,
as a straightforward per-step loop (`loop`) and with the time-invariant work hoisted by hand
(`hoisted`: the layer on a static input computed once; W2 has no static input, there `hoisted` runs
the layers on all T steps at once as spikingjelly's multi-step mode does). Usage:

    OMP_WAIT_POLICY=PASSIVE python3 bench/baselines/run.py --workload W1 --variant loop --warmup 2 --iters 5
"""
import argparse
import sys

import torch
import torch.nn.functional as F
from torch import nn

from common import ATanSpike, SigmoidSpike, run, setup_threads
from w5 import w5


def w1_net():
    return nn.Linear(784, 1000), nn.Linear(1000, 10)


def w1_forward(fc1, fc2, x, T, hoisted, loss_fn=None):
    """beta = 0.95 LIF (tau 20, no input decay), soft reset with detached spike, ATan surrogate."""
    n = x.shape[0]
    v1 = torch.zeros(n, 1000)
    v2 = torch.zeros(n, 10)
    cur = fc1(x) if hoisted else None
    loss = 0.0
    counts = torch.zeros(n, 10)
    for _ in range(T):
        c1 = cur if hoisted else fc1(x)
        h1 = v1 - v1 / 20 + c1
        s1 = ATanSpike.apply(h1 - 1)
        v1 = h1 - s1.detach()
        h2 = v2 - v2 / 20 + fc2(s1)
        s2 = ATanSpike.apply(h2 - 1)
        v2 = h2 - s2.detach()
        if loss_fn is not None:
            loss = loss + loss_fn(v2)
        else:
            counts = counts + s2
    return loss if loss_fn is not None else counts


def w1(variant):
    T, N = 25, 128
    fc1, fc2 = w1_net()
    opt = torch.optim.Adam(list(fc1.parameters()) + list(fc2.parameters()), lr=5e-4)
    x = torch.rand(N, 784)
    y = torch.randint(0, 10, (N,))

    def step():
        loss = w1_forward(fc1, fc2, x, T, variant == "hoisted", lambda v: F.cross_entropy(v, y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()

    return step, N


def w3(variant):
    T, N = 25, 1024
    fc1, fc2 = w1_net()
    x = torch.rand(N, 784)

    def step():
        with torch.no_grad():
            w1_forward(fc1, fc2, x, T, variant == "hoisted").sum(0).tolist()

    return step, N


def lif_hard(v, x):
    """spikingjelly LIF, tau 2, decay_input, v_reset 0, Sigmoid(alpha 4) surrogate."""
    h = v + (x - v) / 2
    s = SigmoidSpike.apply(h - 1)
    return s, s * 0 + (1 - s) * h


def w2(variant):
    T, N = 16, 32
    fc1, fc2 = nn.Linear(784, 256), nn.Linear(256, 10)
    opt = torch.optim.Adam(list(fc1.parameters()) + list(fc2.parameters()), lr=1e-3)
    x = torch.rand(N, 784)
    y = torch.randint(0, 10, (N,))

    def step():
        xs = (torch.rand(T, N, 784) <= x).float()
        v1 = torch.zeros(N, 256)
        v2 = torch.zeros(N, 10)
        outs = []
        if variant == "hoisted":
            c1 = fc1(xs.flatten(0, 1)).view(T, N, 256)
            s1s = []
            for t in range(T):
                s1, v1 = lif_hard(v1, c1[t])
                s1s.append(s1)
            c2 = fc2(torch.stack(s1s).flatten(0, 1)).view(T, N, 10)
            for t in range(T):
                s2, v2 = lif_hard(v2, c2[t])
                outs.append(s2)
        else:
            for t in range(T):
                s1, v1 = lif_hard(v1, fc1(xs[t]))
                s2, v2 = lif_hard(v2, fc2(s1))
                outs.append(s2)
        loss = F.cross_entropy(torch.stack(outs).mean(0), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()

    return step, N


def lif_csnn(v, x):
    """tau 2, decay_input, v_reset 0, detach_reset, ATan."""
    h = v + (x - v) / 2
    s = ATanSpike.apply(h - 1)
    return s, (1 - s.detach()) * h


def w4(variant):
    T, N = 4, 64
    stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.MaxPool2d(2))
    mid = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.MaxPool2d(2))
    head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 49, 10))
    params = list(stem.parameters()) + list(mid.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-3)
    x = torch.rand(N, 1, 28, 28)
    y = F.one_hot(torch.randint(0, 10, (N,)), 10).float()

    def lif_seq(xs):
        v = torch.zeros_like(xs[0])
        out = []
        for t in range(T):
            s, v = lif_csnn(v, xs[t])
            out.append(s)
        return torch.stack(out)

    def seq(f, xs):
        return f(xs.flatten(0, 1)).unflatten(0, (T, N))

    def step():
        if variant == "hoisted":
            h = stem(x).unsqueeze(0).expand(T, -1, -1, -1, -1)
        else:
            h = seq(stem, x.unsqueeze(0).repeat(T, 1, 1, 1, 1))
        s = lif_seq(h)
        s = lif_seq(seq(mid, s))
        s = lif_seq(seq(head, s))
        loss = F.mse_loss(s.mean(0), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()

    return step, N


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    p.add_argument("--variant", default="loop", choices=["loop", "hoisted"])
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--budget-s", type=float, default=20)
    a = p.parse_args()
    setup_threads()
    step, batch = WORKLOADS[a.workload](a.variant)
    run(a.workload, a.variant, step, batch, a.warmup, a.iters, a.budget_s)


if __name__ == "__main__":
    sys.exit(main())
