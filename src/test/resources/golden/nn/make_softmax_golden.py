#!/usr/bin/python3
"""Golden values for the nn softmax cross-entropies and Standardization (read by SoftmaxGoldenTests).

Run from this directory (Debian python3-torch):  /usr/bin/python3 make_softmax_golden.py > softmax_golden.json
Reference: PyTorch in float64 (F.cross_entropy on logits, autograd for the gradients), NumPy for the
standardization (population std, ddof=0, as scikit-learn's StandardScaler; a zero std replaced by 1).
Every input is a float32 value (rounded before use), so the Java side reads exactly the same numbers.
"""
import json

import numpy as np
import torch

rng = np.random.default_rng(20261201)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def as_list(a):
    return np.asarray(a, dtype=np.float64).tolist()


rows, inputs, classes = 5, 4, 3
x = f32(rng.normal(size=(rows, inputs)))
kernel = f32(rng.normal(scale=0.7, size=(inputs, classes)))
bias = f32(rng.normal(scale=0.1, size=(classes,)))
sparse = np.array([0, 2, 1, 2, 0])
one_hot = np.eye(classes)[sparse]
# A second logits case with a large spread: the stable formula must not overflow.
logits_wide = f32([[1.0, 2.0, 3.0], [1000.0, 0.0, -5.0], [-3.0, 40.0, 39.5], [0.0, 0.0, 0.0], [7.0, -7.0, 0.5]])


def case(labels_kind):
    out = {}
    t = torch.tensor(sparse) if labels_kind == "sparse" else torch.tensor(one_hot)
    # On logits directly.
    for name, z0 in (("logits", x @ kernel + bias), ("wide", logits_wide)):
        z = torch.tensor(f32(z0) if name == "logits" else z0, dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(z, t)
        loss.backward()
        out[name] = {"logits": as_list(z.detach().numpy()), "loss": loss.item(),
                     "grad_logits": as_list(z.grad.numpy())}
    # Through a Dense layer: d loss / d kernel and bias.
    xt = torch.tensor(x, dtype=torch.float64)
    w = torch.tensor(kernel, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(bias, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(xt @ w + b, t)
    loss.backward()
    p = torch.softmax(xt @ w + b, dim=-1).detach().numpy()
    out["dense"] = {"loss": loss.item(), "grad_kernel": as_list(w.grad.numpy()),
                    "grad_bias": as_list(b.grad.numpy()), "probabilities": as_list(p)}
    return out


# Standardization: 7 rows, the first 5 fit (the last 2 are validation rows and must not count).
features = f32(np.column_stack([
    rng.normal(loc=2500.0, scale=400.0, size=7),  # badly scaled
    rng.normal(loc=0.05, scale=0.01, size=7),
    np.full(7, 3.25),  # constant: std 0 -> 1
    [0, 1, 1, 0, 1, 1, 0],
]))
features[5:, 2] = 99.0  # validation rows differ; the training rows stay constant
fit_rows = 5
mean = features[:fit_rows].mean(axis=0)
std = features[:fit_rows].std(axis=0, ddof=0)
std[std == 0] = 1.0

golden = {
    "x": as_list(x), "kernel": as_list(kernel), "bias": as_list(bias),
    "sparse": sparse.tolist(), "one_hot": as_list(one_hot),
    "sparse_case": case("sparse"), "one_hot_case": case("one_hot"),
    "standardization": {"features": as_list(features), "rows": 7, "width": 4, "fit_rows": fit_rows,
                        "mean": as_list(mean), "std": as_list(std)},
    "torch": torch.__version__, "numpy": np.__version__,
}
print(json.dumps(golden, indent=1))
