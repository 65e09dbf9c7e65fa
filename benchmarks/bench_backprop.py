"""Benchmark: batched.backprop against PyTorch autograd and the matrix-product floor.

Run with ``make bench`` (which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
this command only).

Each contender runs in a process of its own, a worker that builds the same
problem and then times one call whenever the parent asks.  The parent asks the
workers in turn, one call each per round, in an order that rotates every
round, so that the machine's load hits every contender alike; the ratios of
the medians are what to read.  Separate processes matter: PyTorch's OpenMP
thread pool keeps spinning after each call and, in the same process, slows
numpy's work that follows; telling it to sleep instead (OMP_WAIT_POLICY=PASSIVE)
slows PyTorch.  So PyTorch runs at its default settings, alone in its process,
and a pause before each call (``--gap``, 0.25 s) lets the previous contender's
threads go idle first: OpenBLAS's threads keep spinning for about 0.1 s after
a call, and PyTorch's OpenMP threads briefly too.

Targets: batched.backprop ≤ 1.0 × PyTorch CPU autograd and ≤ 1.35 × the floor,
the matrix products backprop cannot avoid: forward Wˡaˡ⁻¹ for every layer,
BP2's (wˡ)ᵀδˡ for every layer but the first, and BP4's δˡ(aˡ⁻¹)ᵀ for every
layer.

The headline is measured twice: with glibc's default allocator settings, and
with every worker's glibc told to keep freed memory (MALLOC_TRIM_THRESHOLD_,
MALLOC_MMAP_THRESHOLD_).  By default glibc hands large freed arrays back to
the kernel, so code that allocates fresh multi-megabyte arrays on every call
page-faults them in again each time, and in a virtual machine each fault is
expensive.  batched.backprop keeps its working arrays between calls, so the
two measurements should agree; a gap between them means it allocates again.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

SIZES = [784, 256, 128, 10]
N = 1024
TARGETS = {"floor": 1.35, "torch": 1.0}
LABELS = {"ours": "batched.backprop", "floor": "floor (matrix products only)",
          "torch": "PyTorch autograd (default settings)"}
KEEP_MEMORY = {"MALLOC_TRIM_THRESHOLD_": str(2**31), "MALLOC_MMAP_THRESHOLD_": str(2**30)}


def make_problem(sizes, n, seed=0):
    from derivations.network import init_params

    rng = np.random.default_rng(seed)
    weights, biases = init_params(sizes, rng)
    X = rng.standard_normal((sizes[0], n))
    Y = rng.random((sizes[-1], n))
    return weights, biases, X, Y


# ---------------------------------------------------------------- the contenders

def ours_fn(weights, biases, X, Y):
    from derivations import batched

    return lambda: batched.backprop(weights, biases, X, Y)


def floor_fn(weights, biases, X, Y):
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


def torch_fn(weights, biases, X, Y):
    """The same network and mean quadratic cost in PyTorch, float64, default settings."""
    import torch

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


CONTENDERS = {"ours": ours_fn, "floor": floor_fn, "torch": torch_fn}


def worker(name):
    """Build the problem, then time one call per line read from stdin, until EOF."""
    fn = CONTENDERS[name](*make_problem(SIZES, N))
    fn()  # warm up: first-call allocations, lazy imports, the BLAS's thread start
    print("ready", flush=True)
    for _ in sys.stdin:
        t0 = time.perf_counter()
        fn()
        print(time.perf_counter() - t0, flush=True)


class Worker:
    """A contender in its own process; ``time()`` runs one call and returns its seconds."""

    def __init__(self, name, env):
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", name], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"worker {name} did not start")

    def time(self):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def torch_available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def alternate(contenders, repeats, gap):
    """Median seconds per contender, each in its own worker, called in rotating turns.

    ``contenders`` maps a label to (contender name, environment of its worker).
    """
    names = list(contenders)
    workers = {name: Worker(*contenders[name]) for name in names}
    times = {name: [] for name in names}
    try:
        for r in range(repeats):
            for name in names[r % len(names):] + names[:r % len(names)]:
                time.sleep(gap)  # the previous contender's threads go idle
                times[name].append(workers[name].time())
    finally:
        for w in workers.values():
            w.close()
    return {name: statistics.median(t) for name, t in times.items()}


def headline(repeats, gap, env, compare_with=None):
    """batched.backprop against each reference, all alternating; True if every target is met.

    ``compare_with``: the ``src`` directory of another checkout, whose
    batched.backprop joins the alternation, so two versions meet the same load.
    """
    refs = ["floor"] + (["torch"] if torch_available() else [])
    if "torch" not in refs:
        print("PyTorch is not installed: `make torch` (torch==2.13.0, CPU) to compare with it.")
    contenders = {"ours": ("ours", env), **{ref: (ref, env) for ref in refs}}
    if compare_with:
        contenders["other"] = ("ours", {**env, "PYTHONPATH": str(compare_with)})
    print(f"\nsizes {SIZES}, N = {N}, float64, sigmoid, quadratic cost; each contender in "
          f"its own process, median of {repeats} alternating calls")
    t = alternate(contenders, repeats, gap)
    met = True
    for who in ["ours"] + (["other"] if compare_with else []):
        label = LABELS["ours"] + ("" if who == "ours" else f" from {compare_with}")
        for ref in refs:
            r = t[who] / t[ref]
            met &= who != "ours" or r <= TARGETS[ref]
            print(f"  {label} {t[who] * 1e3:6.2f} ms, {LABELS[ref]} {t[ref] * 1e3:6.2f} ms: "
                  f"ratio {r:4.2f} (target ≤ {TARGETS[ref]:.2f}: "
                  f"{'met' if r <= TARGETS[ref] else 'NOT met'})")
    return met


# ---------------------------------------------------------------- how the cost grows

def interleaved(contenders, repeats):
    """Median seconds per contender, run in turn in this process (small sizes, numpy only)."""
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


def _scaling_table(label, cases, repeats):
    """One row per (key, sizes, N): the three forms timed side by side."""
    from derivations import batched, index, vectorized

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


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average():
    """The 1-minute load average, or None where the system does not say."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def environment():
    print(f"load average (1 min) {load_average()}: other work on the machine slows "
          "the contenders unevenly, so compare runs made when it is low")
    print(f"{cpu_model()}, {os.cpu_count()} CPUs; python {platform.python_version()}, "
          f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!r}, "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')!r}")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"  BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                  f"kernel {pool.get('architecture')}, {pool.get('num_threads')} threads")
    except ImportError:
        pass
    if torch_available():
        import torch
        print(f"  PyTorch {torch.__version__}, {torch.get_num_threads()} threads (default)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40, help="alternating calls per contender")
    parser.add_argument("--gap", type=float, default=0.25,
                        help="seconds of pause before each call (default 0.25)")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--compare-with", metavar="SRC",
                        help="the src directory of another checkout to time alongside")
    parser.add_argument("--worker", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    environment()
    ok = headline(args.repeats, args.gap, dict(os.environ), args.compare_with)
    print("\n--- the headline again, every worker's allocator keeping freed memory ---")
    kept = headline(args.repeats, args.gap, {**os.environ, **KEEP_MEMORY}, args.compare_with)
    if not args.no_scaling:
        scaling(args.repeats)
    print(f"\ndefault allocator: {'all targets met' if ok else 'some targets NOT met'}; "
          f"allocator keeping memory: {'all targets met' if kept else 'some targets NOT met'}")


if __name__ == "__main__":
    main()
