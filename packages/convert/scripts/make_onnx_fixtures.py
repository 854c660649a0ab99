#!/usr/bin/python3
"""Writes the small ONNX models of packages/convert/test/fixtures/small/ (each well under 50 KB).

Run with Debian's Python (python3-torch 1.13, python3-onnx 1.12):

    /usr/bin/python3 packages/convert/scripts/make_onnx_fixtures.py

Models that PyTorch emits naturally come from torch.onnx.export (opset 13); the ops PyTorch's
exporter removes or folds in eval mode (Identity, Dropout, Constant feeding MatMul) are built with
onnx.helper. Every weight comes from a fixed seed, so reruns give the same files. The tests compare
the imported snnts modules against onnxruntime-node on these files, so no expected outputs are
stored here.
"""
import io
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'small')
OPSET = 13


def export(name, model, shape, dynamic_batch=True, **kwargs):
    """torch.onnx.export of `model` in eval mode on a [shape] input named 'input'."""
    torch.manual_seed(0)
    model.eval()
    x = torch.rand(*shape)
    f = io.BytesIO()
    axes = {'input': {0: 'batch'}, 'output': {0: 'batch'}} if dynamic_batch else None
    torch.onnx.export(model, x, f, opset_version=OPSET, input_names=['input'], output_names=['output'],
                      dynamic_axes=axes, do_constant_folding=True, **kwargs)
    save(name, onnx.load_from_string(f.getvalue()))


def save(name, model):
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name)
    data = model.SerializeToString()
    assert len(data) < 50_000, (name, len(data))
    with open(path, 'wb') as fh:
        fh.write(data)
    print(f'{name}: {len(data)} bytes, ops {[n.op_type for n in model.graph.node]}')


def seeded(module, seed):
    torch.manual_seed(seed)
    for p in module.parameters():
        nn.init.uniform_(p, -0.5, 0.5)
    for name, b in module.named_buffers():
        if name.endswith('running_mean'):
            b.copy_(torch.rand_like(b) - 0.5)
        elif name.endswith('running_var'):
            b.copy_(torch.rand_like(b) + 0.5)
    return module


class Addmm(nn.Module):
    """Gemm with transB=0, alpha and beta: y = beta * b + alpha * x @ W."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(1)
        self.W = nn.Parameter(torch.rand(6, 4) - 0.5)
        self.b = nn.Parameter(torch.rand(4) - 0.5)

    def forward(self, x):
        return torch.relu(torch.addmm(self.b, x, self.W, beta=0.5, alpha=2.0))


class ViewFlatten(nn.Module):
    """x.view(x.size(0), -1) between a conv and a linear layer, as older spikingjelly examples do."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, padding=1)
        self.fc = nn.Linear(3 * 4 * 4, 5)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.fc(x.view(x.size(0), -1))


class Residual(nn.Module):
    """A residual connection: not a chain."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)

    def forward(self, x):
        return torch.relu(self.fc(x)) + x


class Concat(nn.Module):
    """A Concat of two branches: not a chain."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(6, 3)
        self.b = nn.Linear(6, 3)

    def forward(self, x):
        return torch.cat([self.a(x), torch.relu(self.b(x))], dim=1)


def helper_model(name, nodes, inits, in_shape, out_shape):
    """A one-input, one-output float graph built with onnx.helper."""
    graph = helper.make_graph(
        nodes, name.replace('.onnx', ''),
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info('output', TensorProto.FLOAT, out_shape)],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, producer_name='snnts-fixtures', opset_imports=[helper.make_opsetid('', OPSET)])
    model.ir_version = 7
    save(name, model)


def main():
    os.makedirs(OUT, exist_ok=True)
    with torch.no_grad():
        export('gemm_transb.onnx', seeded(nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3)), 1), (2, 6))
        export('gemm_alpha_beta.onnx', Addmm(), (2, 6))
        export('matmul_add.onnx', seeded(nn.Sequential(nn.Linear(6, 4), nn.ReLU()), 2), (2, 3, 6))
        export('flatten.onnx', seeded(nn.Sequential(nn.Flatten(), nn.Linear(24, 3)), 3), (2, 2, 3, 4))
        export('view_static.onnx', seeded(ViewFlatten(), 4), (2, 2, 4, 4), dynamic_batch=False)
        export('view_dynamic.onnx', seeded(ViewFlatten(), 4), (2, 2, 4, 4))
        export('cnn_bn_pool.onnx', seeded(nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(4), nn.MaxPool2d(2),
            nn.Conv2d(4, 4, 3, stride=1, padding=1, groups=2), nn.ReLU(), nn.AvgPool2d(3, stride=2, padding=1),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3)), 5), (2, 2, 8, 8))
        export('sigmoid.onnx', seeded(nn.Sequential(nn.Linear(6, 4), nn.Sigmoid()), 6), (2, 6))
        export('tanh.onnx', seeded(nn.Sequential(nn.Linear(6, 4), nn.Tanh()), 6), (2, 6))
        export('residual.onnx', seeded(Residual(), 7), (2, 6))
        export('concat.onnx', seeded(Concat(), 8), (2, 6))

    rng = np.random.default_rng(0)
    w = (rng.random((6, 4), dtype=np.float32) - 0.5)
    b = (rng.random(4, dtype=np.float32) - 0.5)
    helper_model('identity_dropout.onnx', [
        helper.make_node('Identity', ['input'], ['x1'], name='identity_in'),
        helper.make_node('Gemm', ['x1', 'W', 'b'], ['h'], name='fc', transB=1),
        helper.make_node('Dropout', ['h'], ['d'], name='dropout'),
        helper.make_node('Relu', ['d'], ['r'], name='relu'),
        helper.make_node('Identity', ['r'], ['output'], name='identity_out'),
    ], {'W': w.T.copy(), 'b': b}, ['N', 6], ['N', 4])
    helper_model('constant_matmul.onnx', [
        helper.make_node('Constant', [], ['W'], name='weight', value=numpy_helper.from_array(w, 'W')),
        helper.make_node('Constant', [], ['b'], name='bias', value=numpy_helper.from_array(b, 'b')),
        helper.make_node('MatMul', ['input', 'W'], ['h'], name='matmul'),
        helper.make_node('Add', ['h', 'b'], ['output'], name='add'),
    ], {}, ['N', 6], ['N', 4])
    helper_model('float16_weights.onnx', [
        helper.make_node('Cast', ['W16'], ['W'], name='cast', to=TensorProto.FLOAT),
        helper.make_node('MatMul', ['input', 'W'], ['output'], name='matmul'),
    ], {'W16': w.astype(np.float16)}, ['N', 6], ['N', 4])
    dtypes()


def typed(name, data_type, dims, field, values):
    """A TensorProto with `values` in the typed repeated field `field` (e.g. int32_data for FLOAT16 bits)."""
    t = TensorProto()
    t.name = name
    t.data_type = data_type
    t.dims.extend(dims)
    getattr(t, field).extend(values)
    return t


def dtypes():
    """dtypes.onnx: initializers of every element type the decoder converts, in raw_data and in the
    typed fields, and dtypes.json with their expected values (as float32, and exact for integers)."""
    vals = np.array([0.0, 1.5, -2.25, 3.0e-3, 65504.0, -1.0e-5], dtype=np.float64)
    bf16_bits = (vals.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)  # truncation
    bf16_vals = (bf16_bits.astype(np.uint32) << 16).view(np.float32)
    ints = np.array([0, 1, -2, 300, -40000, 2 ** 40], dtype=np.int64)
    inits, expected = [], {}

    def add(name, tensor, values, is_int=False):
        inits.append(tensor)
        expected[name] = {'dims': list(tensor.dims), 'dataType': TensorProto.DataType.Name(tensor.data_type),
                          'values': [float(v) for v in np.asarray(values, dtype=np.float32).ravel()],
                          **({'ints': [int(v) for v in np.asarray(values).ravel()]} if is_int else {})}

    shape = [2, 3]
    add('f32_raw', numpy_helper.from_array(vals.astype(np.float32).reshape(shape), 'f32_raw'), vals.astype(np.float32))
    add('f32_typed', helper.make_tensor('f32_typed', TensorProto.FLOAT, shape, vals.astype(np.float32).tolist()), vals.astype(np.float32))
    add('f64_raw', numpy_helper.from_array(vals.reshape(shape), 'f64_raw'), vals)
    add('f64_typed', helper.make_tensor('f64_typed', TensorProto.DOUBLE, shape, vals.tolist()), vals)
    add('f16_raw', numpy_helper.from_array(vals.astype(np.float16).reshape(shape), 'f16_raw'), vals.astype(np.float16))
    f16_bits = vals.astype(np.float16).view(np.uint16).astype(np.int32).tolist()
    add('f16_typed', typed('f16_typed', TensorProto.FLOAT16, shape, 'int32_data', f16_bits), vals.astype(np.float16))
    bf16_raw = helper.make_tensor('bf16_raw', TensorProto.BFLOAT16, shape, bf16_bits.tobytes(), raw=True)
    add('bf16_raw', bf16_raw, bf16_vals)
    add('bf16_typed', typed('bf16_typed', TensorProto.BFLOAT16, shape, 'int32_data', bf16_bits.astype(np.int32).tolist()), bf16_vals)
    add('i64_raw', numpy_helper.from_array(ints.reshape(shape), 'i64_raw'), ints, True)
    add('i64_typed', helper.make_tensor('i64_typed', TensorProto.INT64, shape, ints.tolist()), ints, True)
    add('i32_raw', numpy_helper.from_array(ints[:5].astype(np.int32), 'i32_raw'), ints[:5].astype(np.int32), True)
    add('i32_typed', helper.make_tensor('i32_typed', TensorProto.INT32, [5], ints[:5].tolist()), ints[:5], True)
    add('i8_raw', numpy_helper.from_array(np.array([-128, -1, 0, 127], dtype=np.int8), 'i8_raw'), [-128, -1, 0, 127], True)
    add('u8_typed', helper.make_tensor('u8_typed', TensorProto.UINT8, [3], [0, 128, 255]), [0, 128, 255], True)
    add('bool_raw', numpy_helper.from_array(np.array([True, False, True]), 'bool_raw'), [1, 0, 1], True)
    add('scalar', numpy_helper.from_array(np.array(2.5, dtype=np.float32), 'scalar'), [2.5])
    add('empty', numpy_helper.from_array(np.zeros((0, 3), dtype=np.float32), 'empty'), [])
    graph = helper.make_graph([helper.make_node('Identity', ['input'], ['output'], name='id')], 'dtypes',
                              [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 3])],
                              [helper.make_tensor_value_info('output', TensorProto.FLOAT, ['N', 3])], inits)
    model = helper.make_model(graph, producer_name='snnts-fixtures', opset_imports=[helper.make_opsetid('', OPSET)])
    model.ir_version = 7
    save('dtypes.onnx', model)
    with open(os.path.join(OUT, 'dtypes.json'), 'w') as fh:
        json.dump(expected, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
