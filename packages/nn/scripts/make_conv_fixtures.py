"""Writes packages/nn/test/fixtures/torch_conv.json: PyTorch nn.Conv2d references for snnts.

For each configuration: a seeded input x [N, C, H, W], the layer's weight and bias, an upstream
gradient g, and PyTorch's output y = conv(x), grad_x, grad_weight, grad_bias of sum(y * g).
Run with Debian's python3-torch (never needed at test time):

    /usr/bin/python3 packages/nn/scripts/make_conv_fixtures.py
"""
import json
import os

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

CASES = [
    dict(name="k3_pad1", cin=3, cout=4, k=3, n=2, hw=(7, 7), kw=dict(padding=1)),
    dict(name="k3_stride2_unused_rows", cin=2, cout=3, k=3, n=2, hw=(8, 8), kw=dict(stride=2)),
    dict(name="k3_dilation2_pad2", cin=2, cout=3, k=3, n=2, hw=(9, 8), kw=dict(dilation=2, padding=2)),
    dict(name="groups2_k3x2_pad1x0", cin=4, cout=6, k=(3, 2), n=2, hw=(6, 5), kw=dict(groups=2, padding=(1, 0))),
    dict(name="k1_nobias", cin=3, cout=5, k=1, n=3, hw=(4, 4), kw=dict(bias=False)),
    dict(name="k4_same", cin=2, cout=2, k=4, n=1, hw=(6, 7), kw=dict(padding="same")),
    dict(name="k3_reflect", cin=2, cout=3, k=3, n=2, hw=(5, 6), kw=dict(padding=1, padding_mode="reflect")),
    dict(name="k3x5_stride2x1_pad1x2", cin=3, cout=4, k=(3, 5), n=2, hw=(9, 10), kw=dict(stride=(2, 1), padding=(1, 2))),
    dict(name="depthwise_mult2", cin=3, cout=6, k=3, n=2, hw=(6, 6), kw=dict(groups=3, padding=1)),
]


def as_list(t):
    return t.detach().to(torch.float64).flatten().tolist()


def main():
    out = {"torch": torch.__version__, "cases": []}
    for c in CASES:
        conv = torch.nn.Conv2d(c["cin"], c["cout"], c["k"], **c["kw"])
        x = torch.randn(c["n"], c["cin"], *c["hw"], requires_grad=True)
        y = conv(x)
        g = torch.randn_like(y)
        (y * g).sum().backward()
        kw = dict(c["kw"])
        out["cases"].append({
            "name": c["name"],
            "inChannels": c["cin"],
            "outChannels": c["cout"],
            "kernelSize": c["k"] if isinstance(c["k"], int) else list(c["k"]),
            "args": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()},
            "xShape": list(x.shape),
            "yShape": list(y.shape),
            "x": as_list(x),
            "weight": as_list(conv.weight),
            "bias": as_list(conv.bias) if conv.bias is not None else None,
            "g": as_list(g),
            "y": as_list(y),
            "grad_x": as_list(x.grad),
            "grad_weight": as_list(conv.weight.grad),
            "grad_bias": as_list(conv.bias.grad) if conv.bias is not None else None,
        })
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "torch_conv.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: {len(out['cases'])} cases")


if __name__ == "__main__":
    main()
