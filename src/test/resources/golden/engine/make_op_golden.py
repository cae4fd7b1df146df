#!/usr/bin/python3
"""Golden forward and gradient values of engine ops (read by OpGoldenTests).

Run from this directory (Debian python3-torch):  /usr/bin/python3 make_op_golden.py > op_golden.json
Reference: PyTorch in float64, autograd for the gradients. Every input is a float32 value (rounded before use), so
the Java side reads exactly the same numbers. For each case the objective is sum(output * weights) with fixed
weights, so every output entry weighs differently; "gradients" holds d objective / d input for each input.
Second-order cases ("second": true) also hold the gradient of sum(g * g) where g is the first-order gradient of the
first input (create_graph, like a GradientTape nested in another).
"""
import json

import numpy as np
import torch

rng = np.random.default_rng(13)


def f32(shape, low=-1.0, high=1.0):
    return np.asarray(rng.uniform(low, high, size=shape), dtype=np.float32)


def tensor(a):
    return torch.tensor(a.astype(np.float64), dtype=torch.float64, requires_grad=True)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


CASES = []


def case(name, fn, *arrays, second=False):
    inputs = [tensor(a) for a in arrays]
    out = fn(*inputs)
    weights = f32(tuple(out.shape), 0.5, 1.5)
    objective = (out * torch.tensor(weights.astype(np.float64))).sum()
    grads = torch.autograd.grad(objective, inputs, create_graph=second)
    entry = {
        "name": name,
        "inputs": [{"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]} for a in arrays],
        "weights": [float(v) for v in weights.reshape(-1)],
        "output": {"shape": list(out.shape), "values": flat(out)},
        "gradients": [flat(g) for g in grads],
    }
    if second:
        g = grads[0]
        entry["second"] = flat(torch.autograd.grad((g * g).sum(), inputs[0])[0])
    CASES.append(entry)


case("add broadcast (2,1,3)+(4,1)", lambda a, b: a + b, f32((2, 1, 3)), f32((4, 1)))
case("mul broadcast (3,1)*(1,4)", lambda a, b: a * b, f32((3, 1)), f32((1, 4)))
case("div broadcast (2,3)/(3,)", lambda a, b: a / b, f32((2, 3)), f32((3,), 0.5, 2.0))
case("sub scalar-like (2,3)-(1,1)", lambda a, b: a - b, f32((2, 3)), f32((1, 1)))
case("sum axis 1 keepDims (2,3,4)", lambda a: a.sum(dim=1, keepdim=True), f32((2, 3, 4)))
case("sum axes 0,2 (2,3,4)", lambda a: a.sum(dim=(0, 2)), f32((2, 3, 4)))
case("mean axes 0,2 keepDims (2,3,4)", lambda a: a.mean(dim=(0, 2), keepdim=True), f32((2, 3, 4)))
case("mean all (3,4)", lambda a: a.mean(), f32((3, 4)))
case("max axis 1 keepDims (2,3,4)", lambda a: a.amax(dim=1, keepdim=True), f32((2, 3, 4)))
case("matmul (3,4)@(4,5)", lambda a, b: a @ b, f32((3, 4)), f32((4, 5)))
case("matmul transposeA (4,3)T@(4,5)", lambda a, b: a.transpose(-1, -2) @ b, f32((4, 3)), f32((4, 5)))
case("matmul transposeB (3,4)@(5,4)T", lambda a, b: a @ b.transpose(-1, -2), f32((3, 4)), f32((5, 4)))
case("batched matmul (2,3,4)@(2,4,5)", lambda a, b: a @ b, f32((2, 3, 4)), f32((2, 4, 5)))
case("broadcast matmul (2,3,4)@(4,5)", lambda a, b: a @ b, f32((2, 3, 4)), f32((4, 5)))
case("broadcast matmul (2,3,4)@(1,4,5)", lambda a, b: a @ b, f32((2, 3, 4)), f32((1, 4, 5)))
case("softmax (3,4)", lambda a: torch.softmax(a, dim=-1), f32((3, 4), -3, 3))
case("logSumExp (3,4)", lambda a: torch.logsumexp(a, dim=-1, keepdim=True), f32((3, 4), -3, 3))
case("second order tanh(x)*x*x", lambda a: torch.tanh(a) * a * a, f32((2, 3)), second=True)
case("second order sigmoid(x@w)", lambda a, b: torch.sigmoid(a @ b), f32((3, 2)), f32((2, 4)), second=True)

print(json.dumps({"generator": "make_op_golden.py, PyTorch " + torch.__version__ + " float64", "cases": CASES},
                 indent=1))
