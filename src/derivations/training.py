"""Mini-batch stochastic gradient descent, with ``batched.backprop`` for the gradients.

The data are in the column layout: X (n_0, M) holds the M training examples
as columns, Y (n_L, M) their targets.  Each epoch shuffles the columns, cuts
them into mini-batches of ``batch_size`` columns, and for each mini-batch
takes one step

    wˡ ← wˡ − η ∂C/∂wˡ,   bˡ ← bˡ − η ∂C/∂bˡ,

where C is the mean cost over the mini-batch.  Because ``batched`` already
averages (the 1/N sits in BP3 and BP4), the step is η times the gradient; no
extra division by the batch size.
"""

from typing import NamedTuple

import numpy as np

from derivations import batched
from derivations.gradcheck import mean_cost
from derivations.network import feedforward

__all__ = ["History", "accuracy", "disc_data", "sgd", "sgd_step"]


# --8<-- [start:data]
def disc_data(M, rng):
    """M points uniform in the square [−1, 1]², labelled 1 inside the disc r² ≤ 2/π.

    The disc covers half the square's area, so the two classes are about equal
    in size.  Returns X (2, M) and Y (1, M), examples as columns.
    """
    X = rng.uniform(-1.0, 1.0, size=(2, M))
    Y = (np.sum(X**2, axis=0, keepdims=True) <= 2 / np.pi).astype(float)
    return X, Y
# --8<-- [end:data]


# --8<-- [start:step]
def sgd_step(weights, biases, X, Y, eta, **names):
    """One gradient-descent step on the mean cost of the mini-batch X, Y.

    Returns new lists; the arguments are not changed.
    """
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y, **names)
    weights = [w - eta * nw for w, nw in zip(weights, nabla_w, strict=True)]
    biases = [b - eta * nb for b, nb in zip(biases, nabla_b, strict=True)]
    return weights, biases
# --8<-- [end:step]


class History(NamedTuple):
    """The trained parameters and the mean training cost before and after each epoch."""

    weights: list
    biases: list
    loss: list  # loss[0] before training, loss[e] after epoch e


# --8<-- [start:sgd]
def sgd(weights, biases, X, Y, *, epochs, batch_size, eta, rng, **names):
    """Mini-batch SGD for ``epochs`` passes over the M columns of X, Y.

    ``names`` are passed on to ``batched.backprop`` (activation, cost,
    output_activation).  Returns History(weights, biases, loss), with the mean
    cost over all M examples recorded before training and after every epoch.
    """
    M = X.shape[1]
    loss = [mean_cost(weights, biases, X, Y, **names)]
    for _ in range(epochs):
        order = rng.permutation(M)                  # a new shuffle every epoch
        for start in range(0, M, batch_size):
            batch = order[start:start + batch_size]
            weights, biases = sgd_step(weights, biases, X[:, batch], Y[:, batch],
                                       eta, **names)
        loss.append(mean_cost(weights, biases, X, Y, **names))
    return History(weights, biases, loss)
# --8<-- [end:sgd]


def accuracy(weights, biases, X, Y, activation="sigmoid", output_activation=None):
    """Fraction of columns whose single output, rounded at 0.5, equals the 0/1 target."""
    _, a = feedforward(weights, biases, X, activation, output_activation)
    return float(np.mean((a[-1] > 0.5) == (Y > 0.5)))
