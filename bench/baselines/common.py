"""Shared helpers of the PyTorch baselines: the ATan spike function (Heaviside forward, spikingjelly's
ATan surrogate backward), spikingjelly's Sigmoid surrogate, LIF charge/fire/reset written out with
plain tensor ops, and the timing loop that prints one `RESULT {json}` line like bench/src/child.ts."""
import json
import math
import os
import resource
import time

import torch


def _heaviside_spike(name, surrogate_grad, doc):
    """A spike function: Heaviside(x) forward (x >= 0 fires), `surrogate_grad(x)` times the incoming gradient backward."""

    class Spike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x >= 0).to(x.dtype)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * surrogate_grad(x)

    Spike.__name__ = Spike.__qualname__ = name
    Spike.__doc__ = doc
    return Spike


def _sigmoid_grad(x, alpha=4.0):
    s = torch.sigmoid(alpha * x)
    return alpha * s * (1 - s)


ATanSpike = _heaviside_spike("ATanSpike", lambda x: 1 / (1 + (math.pi * x).square()), "ATan surrogate, alpha = 2: (alpha/2) / (1 + (pi/2 alpha x)^2).")
SigmoidSpike = _heaviside_spike("SigmoidSpike", _sigmoid_grad, "Sigmoid surrogate, alpha = 4: alpha sigmoid(alpha x)(1 - sigmoid(alpha x)).")


def setup_threads():
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    torch.manual_seed(0)


def run(workload, variant, step, batch, warmup, iters, budget_s):
    """Warm up (at least once; a slow step cuts it short), then time up to `iters` steps, stopping
    early (after 2) once `budget_s` is spent: the same rule as bench/src/child.ts."""
    for _ in range(max(1, warmup)):
        t0 = time.perf_counter()
        step()
        if time.perf_counter() - t0 > budget_s / 8:
            break
    times = []
    start = time.perf_counter()
    for _ in range(iters):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
        if len(times) >= 2 and time.perf_counter() - start > budget_s:
            break
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps({
        "workload": workload, "backend": "torch", "variant": variant, "threads": torch.get_num_threads(),
        "stepsMs": times, "peakRssMB": rss, "torch": torch.__version__,
    }), flush=True)
