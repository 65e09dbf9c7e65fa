"""Understanding Deep Learning's backpropagation notebook, rebuilt.

The source network: K = 5 hidden layers of D = 6 ReLU units, one input, one
linear output, parameters drawn from N(0, 1) after ``np.random.seed(44)``.
Its names and ours, with UDL's index k = 0, …, K:

    Ωₖ = all_weights[k]  is  wᵏ⁺¹ = weights[k]      (both out × in)
    βₖ = all_biases[k]   is  bᵏ⁺¹ = biases[k]
    fₖ  (pre-activation) is  zᵏ⁺¹
    hₖ  (activation)     is  aᵏ,  h₀ = x
    ∂ℓ/∂fₖ               is  δᵏ⁺¹

Loss ℓ = ½(f_K − y)², our quadratic cost for one example.  UDL's indicator
function takes the ReLU derivative at 0 to be 1; ours takes 0.  No weighted
input of this network is 0, so the two agree here.
"""

import numpy as np

from derivations import gradcheck, vectorized

__all__ = ["D", "INPUT", "K", "PUBLISHED_BIAS_GRADIENTS", "PUBLISHED_LOSS", "PUBLISHED_OUTPUT",
           "SEED", "TARGET", "build", "forward_difference_check",
           "indicator", "names"]

K, D, SEED = 5, 6, 44
INPUT, TARGET = 1.2, 30.0

#: The engine's names for this network: ReLU hidden layers, linear output, ½(a − y)².
names = dict(activation="relu", cost="quadratic", output_activation="identity")


def build(K=K, D=D, seed=SEED):
    """The source's weights and biases, drawn in the source's order.

    Order of draws from the legacy generator seeded with ``seed``: the first
    weight matrix (D, 1), the last (1, D), the first bias (D, 1), the last
    (1, 1), then for each middle layer its weights (D, D) and bias (D, 1).
    ``RandomState(seed)`` gives the same stream as ``np.random.seed(seed)``
    without touching numpy's global state.
    """
    rs = np.random.RandomState(seed)
    weights, biases = [None] * (K + 1), [None] * (K + 1)
    weights[0] = rs.normal(size=(D, 1))
    weights[K] = rs.normal(size=(1, D))
    biases[0] = rs.normal(size=(D, 1))
    biases[K] = rs.normal(size=(1, 1))
    for k in range(1, K):
        weights[k] = rs.normal(size=(D, D))
        biases[k] = rs.normal(size=(D, 1))
    return weights, biases


def indicator(z):
    """UDL's derivative of ReLU: 1 where z ≥ 0, else 0 (so 1 at z = 0)."""
    return (np.asarray(z) >= 0).astype(float)


def forward_difference_check(weights, biases, x, y, eps=1e-6, layers=None):
    """The source's check: forward differences, then ``np.allclose`` per layer.

    Returns a list of (kind, k, allclose) for the layers in ``layers`` (UDL
    index k; the source loops over k = 0, …, K − 1).  The cost is the source's
    ½(f − y)² for one example, which is our mean quadratic cost with N = 1.
    """
    layers = range(len(weights) - 1) if layers is None else layers
    nabla_w, nabla_b = vectorized.backprop(weights, biases, x, y, **names)

    def C():
        return gradcheck.mean_cost(weights, biases, x, y, **names)

    rows = []
    for k in layers:
        fd_b = gradcheck.forward_difference(C, biases[k], eps)
        rows.append(("bias", k, bool(np.allclose(fd_b, nabla_b[k], rtol=1e-5, atol=1e-8))))
    for k in layers:
        fd_w = gradcheck.forward_difference(C, weights[k], eps)
        rows.append(("weight", k, bool(np.allclose(fd_w, nabla_w[k], rtol=1e-5, atol=1e-8))))
    return rows


#: The bias gradients ∂ℓ/∂βₖ the source prints (3 decimals), k = 0, 1, 2, 3;
#: its printout stops after β₃.  Used only to compare against, never to compute.
PUBLISHED_BIAS_GRADIENTS = {
    0: [0.0, 46.618, 8.447, 0.0, 0.0, 0.0],
    1: [0.0, 0.0, 12.372, 0.0, 70.185, 10.208],
    2: [-34.754, 0.0, 0.0, 0.0, 0.0, 24.769],
    3: [0.0, -24.858, 27.016, 0.0, 10.873, 0.0],
}
#: The network output and loss as the source prints them.
PUBLISHED_OUTPUT = -0.923
PUBLISHED_LOSS = 478.11784299
