"""W5 baseline: the ONNX CNN of examples/convert-onnx/models/cnn.onnx converted to an IF SNN
(spikingjelly RateCodingRecipe: each ReLU -> VoltageScaler(1/s) -> IF(v_th 1, soft reset) ->
VoltageScaler(s)) written with plain torch ops. The weights are read from the ONNX file with the
`onnx` package; the two scales are the 99.9% ones spikingjelly and snnts calibrate on 512 training
images (examples/convert-onnx/README.md; the timing does not depend on them). Input: the first
256 Fashion-MNIST test images, pixel/255, fed at every one of T = 32 steps.

`loop`: every layer at every step (spikingjelly's single-step evaluation). `hoisted`: the first
conv once per batch, each IF layer looped over T, the stateless layers between them on all T*N
frames at once (spikingjelly's multi-step mode)."""
import gzip
import os

import numpy as np
import torch
import torch.nn.functional as F

MODEL = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "convert-onnx", "models", "cnn.onnx")
IMAGES = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
SCALES = (5.5795, 9.0232)


def load_weights():
    import onnx
    from onnx import numpy_helper

    m = onnx.load(MODEL)
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
    layers = [n for n in m.graph.node if n.op_type in ("Conv", "Gemm")]
    return [(init[n.input[1]], init[n.input[2]]) for n in layers]


def load_images(n):
    with gzip.open(IMAGES) as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return torch.from_numpy(data[: n * 784].astype(np.float32) / 255).view(n, 1, 28, 28)


def if_soft(v, x, s):
    """VoltageScaler(1/s) -> IF(v_th 1, soft reset) -> VoltageScaler(s)."""
    h = v + x / s
    spike = (h >= 1).to(h.dtype)
    return spike * s, h - spike


def w5(variant):
    T, N = 32, 256
    (w1, b1), (w2, b2), (w3, b3) = load_weights()
    s1, s2 = SCALES
    x = load_images(N)

    def step():
        with torch.no_grad():
            out = torch.zeros(N, 10)
            if variant == "hoisted":
                c1 = F.conv2d(x, w1, b1)
                v, o1 = torch.zeros_like(c1), []
                for _ in range(T):
                    y, v = if_soft(v, c1, s1)
                    o1.append(y)
                c2 = F.conv2d(F.max_pool2d(torch.stack(o1).flatten(0, 1), 2), w2, b2).unflatten(0, (T, N))
                v, o2 = torch.zeros_like(c2[0]), []
                for t in range(T):
                    y, v = if_soft(v, c2[t], s2)
                    o2.append(y)
                out = F.linear(F.avg_pool2d(torch.stack(o2).flatten(0, 1), 2).flatten(1), w3, b3).unflatten(0, (T, N)).sum(0)
            else:
                v1 = v2 = 0.0
                for _ in range(T):
                    y, v1 = if_soft(v1, F.conv2d(x, w1, b1), s1)
                    y, v2 = if_soft(v2, F.conv2d(F.max_pool2d(y, 2), w2, b2), s2)
                    out = out + F.linear(F.avg_pool2d(y, 2).flatten(1), w3, b3)
            out.tolist()

    return step, N
