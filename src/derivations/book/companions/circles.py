"""The circles tutorial notebook, rebuilt: a 1-D step, two circles, sigmoid [2, 3, 3, 1].

The source writes wˡ as (n_l, n_{l-1}) and bˡ as (n_l, 1), like Nielsen and
like us, and keeps one example per row of its data matrix X (N, d), feeding
Xᵀ to the first layer.  We store the data as columns from the start.  Its
per-example cost is ½‖a − y‖² (our quadratic cost) and each step moves the
parameters by η/m times the summed gradient of a mini-batch of m examples,
which is η times our batched gradient (the mean).

The data are generated here, without sklearn: a step function on [−5, 5]
and two noisy concentric circles, outer circle labelled 0 and inner 1.
"""

import numpy as np

from derivations import batched, vectorized
from derivations.network import feedforward

__all__ = ["SIZES", "circles", "init_like_source", "snapshots", "toy_step",
           "train_batched", "train_per_example"]

SIZES = [2, 3, 3, 1]


def toy_step(N=1000):
    """N inputs evenly spaced on [−5, 5] with labels −1 (x ≤ 0) and +1 (x > 0); (1, N) each."""
    x = np.linspace(-5.0, 5.0, N)[None, :]
    return x, np.where(x > 0, 1.0, -1.0)


def circles(N, rng, factor=0.3, noise=0.1):
    """Two concentric circles, N points, examples as columns: X (2, N), Y (1, N).

    The first ⌊N/2⌋ points lie on the unit circle (label 0), the rest on the
    circle of radius ``factor`` (label 1); Gaussian noise of standard deviation
    ``noise`` is added to every coordinate.  The points are not shuffled.
    """
    n_out = N // 2
    n_in = N - n_out
    t_out = np.linspace(0.0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, n_in, endpoint=False)
    X = np.hstack([np.vstack([np.cos(t_out), np.sin(t_out)]),
                   factor * np.vstack([np.cos(t_in), np.sin(t_in)])])
    X = X + noise * rng.standard_normal(X.shape)
    Y = np.hstack([np.zeros(n_out), np.ones(n_in)])[None, :]
    return X, Y


def init_like_source(rng, sizes=SIZES):
    """Initial parameters drawn as the source draws them for [2, 3, 3, 1].

    Hidden weights and every bias uniform on [0, 1); the output weights
    standard normal.
    """
    weights, biases = [], []
    L = len(sizes) - 1
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        weights.append(rng.standard_normal((n_out, n_in)) if l == L
                       else rng.uniform(size=(n_out, n_in)))
    for n_out in sizes[1:]:
        biases.append(rng.uniform(size=(n_out, 1)))
    return weights, biases


def train_batched(weights, biases, X, Y, *, epochs, batch_size, eta, rng=None,
                  on_epoch=None):
    """Mini-batch gradient descent with the batched form (BP1–BP4 on whole batches).

    Each step: wˡ ← wˡ − η ∂C/∂wˡ with C the mean cost over the batch, which is
    the source's η/m times the sum.  Batches are consecutive columns; with
    ``rng`` the columns are shuffled each epoch first.  ``on_epoch(epoch,
    weights, biases)`` is called after every epoch.  Returns new lists.
    """
    weights = [w.copy() for w in weights]
    biases = [b.copy() for b in biases]
    N = X.shape[1]
    for epoch in range(epochs):
        order = rng.permutation(N) if rng is not None else np.arange(N)
        for start in range(0, N, batch_size):
            cols = order[start:start + batch_size]
            nabla_w, nabla_b = batched.backprop(weights, biases, X[:, cols], Y[:, cols])
            weights = [w - eta * nw for w, nw in zip(weights, nabla_w)]
            biases = [b - eta * nb for b, nb in zip(biases, nabla_b)]
        if on_epoch is not None:
            on_epoch(epoch + 1, weights, biases)
    return weights, biases


def train_per_example(weights, biases, X, Y, *, epochs, batch_size, eta):
    """Nielsen's loop: backprop one example at a time, sum, step by η/m times the sum.

    Same batches in the same order as ``train_batched`` without shuffling.
    """
    weights = [w.copy() for w in weights]
    biases = [b.copy() for b in biases]
    N = X.shape[1]
    for _ in range(epochs):
        for start in range(0, N, batch_size):
            sum_w = [np.zeros_like(w) for w in weights]
            sum_b = [np.zeros_like(b) for b in biases]
            m = min(batch_size, N - start)
            for i in range(start, start + m):
                nabla_w, nabla_b = vectorized.backprop(
                    weights, biases, X[:, i:i + 1], Y[:, i:i + 1])
                sum_w = [s + g for s, g in zip(sum_w, nabla_w)]
                sum_b = [s + g for s, g in zip(sum_b, nabla_b)]
            weights = [w - (eta / m) * s for w, s in zip(weights, sum_w)]
            biases = [b - (eta / m) * s for b, s in zip(biases, sum_b)]
    return weights, biases


def snapshots(weights, biases, X, Y, *, epochs, batch_size, eta, rng, every=1, layer=2):
    """Train with ``train_batched`` and record layer ``layer``'s activations.

    Returns (frames, final weights, final biases); frames is a list of
    (epoch, A, mean cost) with A (n_layer, N) the layer's activations for all of
    X, starting with epoch 0 (before any step).
    """
    def record(epoch, ws, bs):
        _, a = feedforward(ws, bs, X)
        cost = 0.5 * float(np.mean(np.sum((a[-1] - Y) ** 2, axis=0)))
        frames.append((epoch, a[layer].copy(), cost))

    frames = []
    record(0, weights, biases)

    def on_epoch(epoch, ws, bs):
        if epoch % every == 0:
            record(epoch, ws, bs)

    ws, bs = train_batched(weights, biases, X, Y, epochs=epochs, batch_size=batch_size,
                           eta=eta, rng=rng, on_epoch=on_epoch)
    return frames, ws, bs
