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
# Every elementwise kind, on values inside its domain.
case("neg (2,3)", lambda a: -a, f32((2, 3)))
case("square (2,3)", lambda a: a * a, f32((2, 3)))
case("sqrt (2,3)", lambda a: torch.sqrt(a), f32((2, 3), 0.1, 2.0))
case("exp (2,3)", lambda a: torch.exp(a), f32((2, 3), -3, 3))
case("log (2,3)", lambda a: torch.log(a), f32((2, 3), 0.1, 3.0))
case("abs (2,3)", lambda a: torch.abs(a), f32((2, 3)))
case("sign (2,3)", lambda a: torch.sign(a), f32((2, 3)))
case("relu (2,3)", lambda a: torch.relu(a), f32((2, 3)))
case("sigmoid (2,3)", lambda a: torch.sigmoid(a), f32((2, 3), -4, 4))
case("tanh (2,3)", lambda a: torch.tanh(a), f32((2, 3), -2, 2))
case("softplus (2,3)", lambda a: torch.nn.functional.softplus(a), f32((2, 3), -4, 4))
case("sin (2,3)", lambda a: torch.sin(a), f32((2, 3), -3, 3))
case("cos (2,3)", lambda a: torch.cos(a), f32((2, 3), -3, 3))
case("pow broadcast (2,3)**(3,)", lambda a, b: a ** b, f32((2, 3), 0.5, 2.0), f32((3,), -1.5, 2.5))
# Comparisons have no gradient; "+ 0 * (a + b)" keeps both inputs in the objective, so their gradients are zeros.
for label, op in (("greater", torch.gt), ("greaterEqual", torch.ge), ("less", torch.lt),
                  ("lessEqual", torch.le), ("equal", torch.eq), ("notEqual", torch.ne)):
    x = f32((2, 3))
    y = np.where(rng.uniform(size=(3,)) < 0.5, x[0], f32((3,))).astype(np.float32)
    case(label + " broadcast (2,3),(3,)", lambda a, b, op=op: op(a, b).to(torch.float64) + 0 * (a + b), x, y)
case("clip (2,4) to [-0.5, 0.5]", lambda a: torch.clamp(a, -0.5, 0.5), f32((2, 4)))
case("where (2,3) from (2,3),(3,)", lambda c, a, b: torch.where(c > 0, a, b) + 0 * c,
     f32((2, 3)), f32((2, 3)), f32((3,)))
# Shapes and data movement.
case("transpose (2,3,4) perm 2,0,1", lambda a: a.permute(2, 0, 1), f32((2, 3, 4)))
case("reshape (2,6) to (3,4)", lambda a: a.reshape(3, 4), f32((2, 6)))
case("broadcastTo (3,1) to (2,3,4)", lambda a: a.expand(2, 3, 4), f32((3, 1)))
case("concat axis 1 (2,2),(2,3)", lambda a, b: torch.cat([a, b], dim=1), f32((2, 2)), f32((2, 3)))
case("slice (3,4) begin 1,1 size 2,-1", lambda a: a[1:3, 1:], f32((3, 4)))
case("pad (2,3) before 1,0 after 0,2", lambda a: torch.nn.functional.pad(a, (0, 2, 1, 0)), f32((2, 3)))
case("gather rows 2,0,2 of (3,2)", lambda a: a[[2, 0, 2]], f32((3, 2)))
case("cumsum axis 1 (2,4)", lambda a: torch.cumsum(a, dim=1), f32((2, 4)))
case("cumsum reverse axis 0 (3,2)", lambda a: torch.flip(torch.cumsum(torch.flip(a, [0]), dim=0), [0]), f32((3, 2)))
case("second order tanh(x)*x*x", lambda a: torch.tanh(a) * a * a, f32((2, 3)), second=True)
case("second order sigmoid(x@w)", lambda a, b: torch.sigmoid(a @ b), f32((3, 2)), f32((2, 4)), second=True)

print(json.dumps({"generator": "make_op_golden.py, PyTorch " + torch.__version__ + " float64", "cases": CASES},
                 indent=1))
