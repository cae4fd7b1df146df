"""The reference workloads in PyTorch eager, to run beside Tapeflow's JMH benchmarks in one session.

Same data shapes and hyper-parameters as ReferenceWorkloadBenchmarks and MlpBenchmarks (and the reference chapter);
the training loop only is timed (data already in memory), as in the reference figures quoted in docs/benchmarks.md. W2 comes twice:
the chapter's program as Tapeflow runs it (a parameter collection, the clipped cross-entropy written out, accuracy
every step) and the leanest idiomatic PyTorch (nn.Linear, the fused BCELoss, no metric). Needs Debian's
python3-torch (1.13.1) with OpenBLAS as its BLAS (Debian's reference BLAS makes W3 25x slower):

    apt-get install -y python3-torch libopenblas0-pthread
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        OPENBLAS_NUM_THREADS=1 /usr/bin/python3 src/jmh/python/pytorch_reference.py --repeat 3

OPENBLAS_NUM_THREADS=1 leaves the threading to PyTorch's two threads (with OpenBLAS's own as well, W3 ran almost 3x
slower here); the machine's environment sets OPENBLAS_CORETYPE=Haswell, and OPENBLAS_CORETYPE=SkylakeX selects
the AVX-512 kernels. The GLIBC_TUNABLES keep freed memory, as a JVM keeps its heap. Prints one line per run:
workload, seconds, µs per step, samples/s.
"""
import argparse
import math
import time

import torch

torch.set_num_threads(2)


def batches(n, batch_size):
    order = torch.randperm(n)
    for i in range(0, n, batch_size):
        yield order[i:i + batch_size]


def w1_linear_regression():
    n = 400
    x = torch.rand(n, 2) * 20 - 10
    y = x @ torch.tensor([[2.0], [-3.0]]) + 3.0 + torch.randn(n, 1) * 2.0
    w = torch.randn(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    steps = 0
    start = time.perf_counter()
    for _ in range(200):
        for idx in batches(n, 10):
            loss = ((y[idx] - (x[idx] @ w + b)) ** 2).mean() / 2
            loss.backward()
            with torch.no_grad():
                w -= 0.001 * w.grad
                b -= 0.001 * b.grad
                w.grad.zero_()
                b.grad.zero_()
            steps += 1
    return time.perf_counter() - start, steps, steps * 10


def rings(n_half):
    def ring(radius, label):
        r = radius + torch.randn(n_half, 1)
        theta = torch.rand(n_half, 1) * 2 * math.pi
        return torch.cat([r * torch.cos(theta), r * torch.sin(theta)], dim=1), torch.full((n_half, 1), label)
    xp, yp = ring(5.0, 1.0)
    xn, yn = ring(8.0, 0.0)
    return torch.cat([xp, xn]), torch.cat([yp, yn])


class RingsDnn(torch.nn.Module):
    """The chapter's DNN as a tf.Module-style parameter collection: 2-4-8-1, truncated-normal weights, zero biases."""

    def __init__(self):
        super().__init__()
        def weights(*shape):
            return torch.nn.Parameter(torch.nn.init.trunc_normal_(torch.empty(*shape), std=1.0, a=-2.0, b=2.0))
        self.w1, self.b1 = weights(2, 4), torch.nn.Parameter(torch.zeros(1, 4))
        self.w2, self.b2 = weights(4, 8), torch.nn.Parameter(torch.zeros(1, 8))
        self.w3, self.b3 = weights(8, 1), torch.nn.Parameter(torch.zeros(1, 1))

    def forward(self, x):
        x = torch.relu(x @ self.w1 + self.b1)
        x = torch.relu(x @ self.w2 + self.b2)
        return torch.sigmoid(x @ self.w3 + self.b3)


def w2_rings_dnn():
    """The chapter's program, as Tapeflow's W2 runs it: clipped cross-entropy written out, accuracy every step."""
    x, y = rings(2000)
    n = x.shape[0]
    model = RingsDnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    eps = 1e-7
    steps = 0
    start = time.perf_counter()
    for _ in range(600):
        for idx in batches(n, 100):
            features, labels = x[idx], y[idx]
            optimizer.zero_grad()
            p = torch.clamp(model(features), eps, 1.0 - eps)
            loss = -torch.mean(labels * torch.log(p) + (1.0 - labels) * torch.log(1.0 - p))
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                accuracy = torch.mean(((p > 0.5).float() == labels).float())
            steps += 1
    return time.perf_counter() - start, steps, steps * 100


def w2_rings_dnn_lean():
    """The same network the leanest idiomatic way: nn.Linear layers, the fused BCELoss, no metric."""
    x, y = rings(2000)
    n = x.shape[0]
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 8), torch.nn.ReLU(),
                                torch.nn.Linear(8, 1), torch.nn.Sigmoid())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    loss_fn = torch.nn.BCELoss()
    steps = 0
    start = time.perf_counter()
    for _ in range(600):
        for idx in batches(n, 100):
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            steps += 1
    return time.perf_counter() - start, steps, steps * 100


def w3_mlp():
    n = 60_000
    x = torch.rand(n, 784)
    y = torch.randint(0, 10, (n,))
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                                torch.nn.ReLU(), torch.nn.Linear(256, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps = 0
    start = time.perf_counter()
    for i in range(0, n, 256):
        optimizer.zero_grad()
        loss = loss_fn(model(x[i:i + 256]), y[i:i + 256])
        loss.backward()
        optimizer.step()
        steps += 1
    return time.perf_counter() - start, steps, n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["w1", "w2", "w2-lean", "w3"])
    args = parser.parse_args()
    workloads = {"w1": w1_linear_regression, "w2": w2_rings_dnn, "w2-lean": w2_rings_dnn_lean, "w3": w3_mlp}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for _ in range(args.repeat):
        for name, run in workloads.items():
            if args.only and name != args.only:
                continue
            seconds, steps, samples = run()
            print(f"{name}: {seconds:.3f} s, {seconds / steps * 1e6:.1f} µs/step, {samples / seconds:,.0f} samples/s")


if __name__ == "__main__":
    main()
