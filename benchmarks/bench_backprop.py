"""Benchmark: batched.backprop against PyTorch autograd and the matrix-product floor.

Run with ``make bench`` (which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
this command only).  Every timing is a median over interleaved repeats, so the
contenders see the same machine load; the ratios are what to read.  Each ratio
is measured in its own pair, batched.backprop alternating with one reference:
PyTorch leaves the caches full of its own data, which slows whichever
contender runs next by several percent, and a three-way rotation would charge
that to the floor comparison too.

Targets: batched ≤ 0.8 × PyTorch CPU autograd (2 threads) and ≤ 1.25 × the
floor, the matrix products backprop cannot avoid:
forward Wˡaˡ⁻¹ for every layer, BP2's (wˡ)ᵀδˡ for every layer but the first,
and BP4's δˡ(aˡ⁻¹)ᵀ for every layer.

The headline is measured twice, in two processes: with glibc's default
allocator settings, and with glibc told to keep freed memory
(MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_, the same for every
contender).  By default glibc hands large freed arrays back to the kernel, so
code that allocates fresh multi-megabyte arrays on every call page-faults
them in again each time, and in a virtual machine each fault is expensive.
batched.backprop keeps its working arrays between calls, so the two
measurements should agree; a gap between them means it allocates again.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

from derivations import batched, index, vectorized
from derivations.network import init_params

SIZES = [784, 256, 128, 10]
N = 1024


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved(contenders, repeats):
    """Median seconds per contender, running them in turn so load hits all alike.

    The order rotates every round: a contender that always ran right after
    PyTorch would always find the caches full of PyTorch's data.
    """
    times = {name: [] for name in contenders}
    order = list(contenders)
    for fn in contenders.values():
        fn()  # warm up
    for r in range(repeats):
        for name in order[r % len(order):] + order[:r % len(order)]:
            t0 = time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def make_problem(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    weights, biases = init_params(sizes, rng)
    X = rng.standard_normal((sizes[0], n))
    Y = rng.random((sizes[-1], n))
    return weights, biases, X, Y


def floor_fn(weights, X, Y):
    """Only the unavoidable matrix products, on arrays of the right shapes."""
    L = len(weights)
    acts = [X] + [np.ones((w.shape[0], X.shape[1])) * 0.5 for w in weights]
    deltas = [None] + [np.ones((w.shape[0], X.shape[1])) * 0.1 for w in weights]

    def run():
        for l in range(1, L + 1):
            weights[l - 1] @ acts[l - 1]                 # forward
        for l in range(L, 1, -1):
            weights[l - 1].T @ deltas[l]                 # BP2, not for the first layer
        for l in range(1, L + 1):
            deltas[l] @ acts[l - 1].T                    # BP4
    return run


def torch_fn(weights, biases, X, Y, threads):
    # PyTorch's OpenMP workers spin after each parallel region by default; on a
    # 2-core machine that spinning steals the cores from the contender timed
    # next.  PASSIVE makes them sleep instead; PyTorch's own time is unchanged.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    torch.set_num_threads(threads)
    ws = [torch.tensor(w, requires_grad=True) for w in weights]
    bs = [torch.tensor(b, requires_grad=True) for b in biases]
    x, y = torch.tensor(X), torch.tensor(Y)
    n = X.shape[1]

    def run():
        for p in ws + bs:
            p.grad = None
        a = x
        for w, b in zip(ws, bs):
            a = torch.sigmoid(w @ a + b)
        cost = 0.5 * ((a - y) ** 2).sum() / n
        cost.backward()
    return run


def headline(repeats):
    """Each target measured pairwise: batched.backprop alternating with one reference."""
    weights, biases, X, Y = make_problem(SIZES, N)
    references = {"floor (matrix products only)": (floor_fn(weights, X, Y), 1.25)}
    try:
        references["PyTorch autograd, 2 threads"] = (
            torch_fn(weights, biases, X, Y, threads=2), 0.80)
    except ImportError:
        print("PyTorch is not installed: `make torch` (torch==2.13.0, CPU) to compare with it.")
    print(f"\nsizes {SIZES}, N = {N}, float64, sigmoid, quadratic cost; "
          f"median of {repeats} interleaved runs per pair")
    ours, verdicts = "batched.backprop", []
    for name, (fn, target) in references.items():
        t = interleaved({ours: lambda: batched.backprop(weights, biases, X, Y), name: fn},
                        repeats)
        r = t[ours] / t[name]
        verdicts.append(r <= target)
        print(f"  {ours} {t[ours] * 1e3:6.2f} ms, {name} {t[name] * 1e3:6.2f} ms: "
              f"ratio {r:4.2f} (target ≤ {target:.2f}: {'met' if r <= target else 'NOT met'})")
    return all(verdicts)


def _scaling_table(label, cases, repeats):
    """One row per (key, sizes, N): the three forms timed side by side."""
    print(f"    {label:>5} {'index loops':>12} {'vectorized×N':>13} {'batched':>9} "
          f"{'loops/batched':>14}")
    for key, sizes, n in cases:
        w, b, X, Y = make_problem(sizes, n)
        cols = [(X[:, [i]], Y[:, [i]]) for i in range(n)]
        t = interleaved({
            "index": lambda: [index.backprop(w, b, x, y) for x, y in cols],
            "vectorized": lambda: [vectorized.backprop(w, b, x, y) for x, y in cols],
            "batched": lambda: batched.backprop(w, b, X, Y),
        }, max(3, repeats // 4))
        print(f"    {key:>5} {t['index'] * 1e3:12.2f} {t['vectorized'] * 1e3:13.2f} "
              f"{t['batched'] * 1e3:9.3f} {t['index'] / t['batched']:14.0f}")


def scaling(repeats):
    print("\nHow the cost grows (median ms per call; each row measured side by side)")
    print("  with N, sizes [16, 16, 4]:")
    _scaling_table("N", [(n, [16, 16, 4], n) for n in (1, 4, 16, 64)], repeats)
    print("  with width n (sizes [n, n, 4]), N = 16:")
    _scaling_table("n", [(n, [n, n, 4], 16) for n in (8, 16, 32, 64)], repeats)


KEEP_MEMORY = {"MALLOC_TRIM_THRESHOLD_": str(2**31), "MALLOC_MMAP_THRESHOLD_": str(2**30)}


def environment():
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!r}, "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')!r}")
    kept = {k: os.environ[k] for k in KEEP_MEMORY if k in os.environ}
    print(f"glibc allocator: {'keeps freed memory ' + str(kept) if kept else 'default settings'}")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"  BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                  f"kernel {pool.get('architecture')}, {pool.get('num_threads')} threads")
    except ImportError:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--headline-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    environment()
    ok = headline(args.repeats)
    if args.headline_only:
        sys.exit(0 if ok else 1)
    if not args.no_scaling:
        scaling(args.repeats)
    print("\n--- the headline again, in a process whose allocator keeps freed memory ---")
    sys.stdout.flush()
    kept = subprocess.run([sys.executable, __file__, "--headline-only", "--repeats",
                           str(args.repeats)], env={**os.environ, **KEEP_MEMORY}, check=False)
    print(f"\ndefault allocator: {'all targets met' if ok else 'some targets NOT met'}; "
          f"allocator keeping memory: "
          f"{'all targets met' if kept.returncode == 0 else 'some targets NOT met'}")


if __name__ == "__main__":
    main()
