"""Backprop as readers write it: other styles, other names, and their slips.

Nothing here uses the package: each function is written from scratch the way
a reader following another text would write it, so that the diagnoser is
tested on code it has never seen.  ``CORRECT`` holds the right ones by form,
``SLIPS`` the wrong ones with the diagnosis each must get.
"""

import math

import numpy as np

# ---------------------------------------------------------------- correct, other styles


def nielsen(weights, biases, x, y):
    """Nielsen's network.py, as a function: zs, activations, negative indices."""
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))

    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    activation = x
    activations = [x]
    zs = []
    for b, w in zip(biases, weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] = delta
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())
    for layer in range(2, len(weights) + 1):
        z = zs[-layer]
        sp = sigmoid_prime(z)
        delta = np.dot(weights[-layer + 1].transpose(), delta) * sp
        nabla_b[-layer] = delta
        nabla_w[-layer] = np.dot(delta, activations[-layer - 1].transpose())
    return (nabla_w, nabla_b)


def tanh_sigmoid(weights, biases, x, y):
    """σ(z) written as (1 + tanh(z/2)) / 2, σ′ as its own derivative; a tuple of tuples."""
    def s(z):
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def ds(z):
        return 0.25 * (1.0 - np.tanh(0.5 * z) ** 2)

    outs, pre = [x], []
    for W, c in zip(weights, biases):
        pre.append(W @ outs[-1] + c)
        outs.append(s(pre[-1]))
    errs = [None] * len(weights)
    errs[-1] = (outs[-1] - y) * ds(pre[-1])
    for i in reversed(range(len(weights) - 1)):
        errs[i] = (weights[i + 1].T @ errs[i + 1]) * ds(pre[i])
    return tuple(e @ o.T for e, o in zip(errs, outs[:-1])), tuple(errs)


def loops(weights, biases, x, y):
    """Index form with Python floats and explicit sums; lists of lists inside."""
    L = len(weights)
    a = [[float(v) for v in x[:, 0]]]
    z = [None]
    for l in range(L):
        w, b = weights[l], biases[l]
        zl = [sum(w[j, k] * a[l][k] for k in range(w.shape[1])) + b[j, 0]
              for j in range(w.shape[0])]
        z.append(zl)
        a.append([1.0 / (1.0 + math.exp(-v)) for v in zl])
    sp = [None] + [[ai * (1.0 - ai) for ai in a[l]] for l in range(1, L + 1)]
    delta = [None] * (L + 1)
    delta[L] = [(a[L][j] - y[j, 0]) * sp[L][j] for j in range(len(a[L]))]
    for l in range(L - 1, 0, -1):
        w_next = weights[l]
        delta[l] = [sum(w_next[k, j] * delta[l + 1][k] for k in range(w_next.shape[0]))
                    * sp[l][j] for j in range(w_next.shape[1])]
    nabla_w = [np.array([[delta[l][j] * a[l - 1][k] for k in range(len(a[l - 1]))]
                         for j in range(len(delta[l]))]) for l in range(1, L + 1)]
    nabla_b = [np.array(delta[l]).reshape(-1, 1) for l in range(1, L + 1)]
    return nabla_w, nabla_b


def rows(weights, biases, X, Y):
    """Examples as rows, a library's names: forward caches, dZ, dW, db, m."""
    m = X.shape[0]
    cache = [(None, X)]
    A = X
    for W, b in zip(weights, biases):
        Z = A @ W.T + b.ravel()
        A = 1 / (1 + np.exp(-Z))
        cache.append((Z, A))
    dA = (A - Y)
    grads_W, grads_b = [], []
    for i in range(len(weights), 0, -1):
        Z, A_i = cache[i]
        dZ = dA * A_i * (1 - A_i)
        A_prev = cache[i - 1][1]
        grads_W.insert(0, dZ.T @ A_prev / m)
        grads_b.insert(0, dZ.sum(axis=0).reshape(-1, 1) / m)
        dA = dZ @ weights[i - 1]
    return grads_W, grads_b


def einsum_batch(weights, biases, X, Y):
    """Examples as columns: a stack of per-example outer products, averaged."""
    acts, zs = [X], []
    for W, b in zip(weights, biases):
        zs.append(np.einsum("jk,kn->jn", W, acts[-1]) + b)
        acts.append(1 / (1 + np.exp(-zs[-1])))
    delta = (acts[-1] - Y) * acts[-1] * (1 - acts[-1])
    gw, gb = [], []
    for l in range(len(weights) - 1, -1, -1):
        gw.append(np.einsum("jn,kn->njk", delta, acts[l]).mean(axis=0))
        gb.append(delta.mean(axis=1, keepdims=True))
        if l:
            delta = np.einsum("kj,kn->jn", weights[l], delta) * acts[l] * (1 - acts[l])
    return gw[::-1], gb[::-1]


def chain(weights, biases, x, y):
    """The scalar chain with math.exp, a list built backwards."""
    a, z = [x], []
    for w, b in zip(weights, biases):
        z.append(w * a[-1] + b)
        a.append(1 / (1 + math.exp(-z[-1])))
    d = (a[-1] - y) * a[-1] * (1 - a[-1])
    gw, gb = [], []
    for l in range(len(weights) - 1, -1, -1):
        gw.insert(0, d * a[l])
        gb.insert(0, d)
        if l:
            d = weights[l] * d * a[l] * (1 - a[l])
    return gw, gb


CORRECT = {"vectorized": [nielsen, tanh_sigmoid, loops], "index": [loops, nielsen],
           "rowmajor": [rows], "batched": [einsum_batch], "scalar": [chain]}


# ---------------------------------------------------------------- slips


def nielsen_sigma_prime_of_a(weights, biases, x, y):
    """Nielsen's loop with sigmoid_prime applied to the activations."""
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))

    activations, zs = [x], []
    for b, w in zip(biases, weights):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    delta = (activations[-1] - y) * sigmoid_prime(activations[-1])
    nabla_b, nabla_w = [delta], [delta @ activations[-2].T]
    for layer in range(2, len(weights) + 1):
        delta = (weights[-layer + 1].T @ delta) * sigmoid_prime(activations[-layer])
        nabla_b.insert(0, delta)
        nabla_w.insert(0, delta @ activations[-layer - 1].T)
    return nabla_w, nabla_b


def no_transpose(weights, biases, x, y):
    """BP2 through w instead of wᵀ: a shape error unless the layers are square."""
    a, zs = [x], []
    for w, b in zip(weights, biases):
        zs.append(w @ a[-1] + b)
        a.append(1 / (1 + np.exp(-zs[-1])))
    delta = (a[-1] - y) * a[-1] * (1 - a[-1])
    nabla_w, nabla_b = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        nabla_w[l], nabla_b[l] = delta @ a[l].T, delta
        if l:
            delta = (weights[l] @ delta) * a[l] * (1 - a[l])
    return nabla_w, nabla_b


def rows_summed(weights, biases, X, Y):
    """Examples as rows, gradients summed over the batch: no 1/m."""
    acts = [X]
    for W, b in zip(weights, biases):
        acts.append(1 / (1 + np.exp(-(acts[-1] @ W.T + b.T))))
    dZ = (acts[-1] - Y) * acts[-1] * (1 - acts[-1])
    dW, db = [None] * len(weights), [None] * len(weights)
    for i in range(len(weights) - 1, -1, -1):
        dW[i], db[i] = dZ.T @ acts[i], dZ.sum(axis=0, keepdims=True).T
        if i:
            dZ = (dZ @ weights[i]) * acts[i] * (1 - acts[i])
    return dW, db


def index_sum_dropped(weights, biases, x, y):
    """Index form whose BP2 loop assigns where it should add."""
    nabla_w, nabla_b = loops(weights, biases, x, y)     # the forward pass, done right
    L = len(weights)
    a = [x]
    for w, b in zip(weights, biases):
        a.append(1 / (1 + np.exp(-(w @ a[-1] + b))))
    delta = [None] * (L + 1)
    delta[L] = (a[L] - y) * a[L] * (1 - a[L])
    for l in range(L - 1, 0, -1):
        w_next = weights[l]
        delta[l] = np.zeros((w_next.shape[1], 1))
        for j in range(w_next.shape[1]):
            total = 0.0
            for k in range(w_next.shape[0]):
                total = w_next[k, j] * delta[l + 1][k, 0]
            delta[l][j, 0] = total * a[l][j, 0] * (1 - a[l][j, 0])
    return ([delta[l] @ a[l - 1].T for l in range(1, L + 1)],
            [delta[l] for l in range(1, L + 1)])


def nielsen_order(weights, biases, x, y):
    """Right gradients, returned as network.py returns them."""
    nabla_w, nabla_b = nielsen(weights, biases, x, y)
    return nabla_b, nabla_w


def squared_cost(weights, biases, X, Y):
    """Examples as columns, with ∇ₐC = 2(A − Y) for a cost with ½."""
    acts = [X]
    for W, b in zip(weights, biases):
        acts.append(1 / (1 + np.exp(-(W @ acts[-1] + b))))
    N = X.shape[1]
    delta = 2 * (acts[-1] - Y) * acts[-1] * (1 - acts[-1])
    gw, gb = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        gw[l], gb[l] = delta @ acts[l].T / N, delta.mean(axis=1, keepdims=True)
        if l:
            delta = (weights[l].T @ delta) * acts[l] * (1 - acts[l])
    return gw, gb


#: (function, form, equation, mistake) the diagnoser must report.
SLIPS = [
    (nielsen_sigma_prime_of_a, "vectorized", "BP1", "sigma_prime_of_a"),
    (no_transpose, "vectorized", "BP2", "missing_transpose"),
    (rows_summed, "rowmajor", "BP3", "missing_batch_mean"),
    (index_sum_dropped, "index", "BP2", "missing_sum"),
    (nielsen_order, "vectorized", None, "return_order"),
    (squared_cost, "batched", "BP1", "factor_two"),
]
