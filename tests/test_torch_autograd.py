"""Cross-check against PyTorch autograd (optional: runs when torch is installed).

`.ci/run` installs torch==2.13.0 (CPU), so CI always runs these.
"""

import numpy as np
import pytest

from derivations import batched, index, rowmajor, scalar, vectorized
from derivations.check import make_case

torch = pytest.importorskip(
    "torch", reason="PyTorch not installed: `make test WITH_TORCH=1` (pip install torch==2.13.0)")

pytestmark = pytest.mark.torch

ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
       "identity": lambda z: z, "softmax": lambda z: torch.softmax(z, dim=0)}


def torch_grads(case):
    """Mean cost over columns, differentiated by autograd, in float64."""
    ws = [torch.tensor(w, requires_grad=True) for w in case.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in case.biases]
    a = torch.tensor(case.X)
    y = torch.tensor(case.Y)
    L = len(ws)
    out = case.output_activation or case.activation
    for l in range(L):
        z = ws[l] @ a + bs[l]
        a = ACT[out if l == L - 1 else case.activation](z)
    N = case.X.shape[1]
    if case.cost == "quadratic":
        C = 0.5 * ((a - y) ** 2).sum() / N
    elif case.cost == "cross_entropy":
        C = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="sum") / N
    else:
        C = -(y * torch.log_softmax(z, dim=0)).sum() / N
    C.backward()
    return [w.grad.numpy() for w in ws], [b.grad.numpy() for b in bs]


COMBOS = [(act, cost) for act in ("sigmoid", "tanh", "relu", "identity")
          for cost in ("quadratic", "cross_entropy", "categorical_cross_entropy")]


@pytest.mark.parametrize(("activation", "cost"), COMBOS)
@pytest.mark.parametrize("seed", range(3))
def test_batched_and_rowmajor_match_autograd(activation, cost, seed):
    case = make_case([5, 7, 4, 3], 6, activation, cost, seed=seed)
    tw, tb = torch_grads(case)
    names = dict(activation=activation, cost=cost, output_activation=case.output_activation)
    for nw, nb in (batched.backprop(case.weights, case.biases, case.X, case.Y, **names),
                   rowmajor.backprop(case.weights, case.biases, case.X.T, case.Y.T, **names)):
        for g, t in zip(nw + nb, tw + tb):
            np.testing.assert_allclose(g, t, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("activation", "cost"), COMBOS)
def test_single_example_forms_match_autograd(activation, cost):
    case = make_case([4, 5, 3], 1, activation, cost, seed=9)
    tw, tb = torch_grads(case)
    names = dict(activation=activation, cost=cost, output_activation=case.output_activation)
    for form in (vectorized, index):
        nw, nb = form.backprop(case.weights, case.biases, case.X, case.Y, **names)
        for g, t in zip(nw + nb, tw + tb):
            np.testing.assert_allclose(g, t, rtol=1e-10, atol=1e-12)


def test_scalar_chain_matches_autograd():
    case = make_case([1, 1, 1, 1], 1, "tanh", "quadratic", seed=4)
    tw, tb = torch_grads(case)
    gw, gb = scalar.backprop([float(w[0, 0]) for w in case.weights],
                             [float(b[0, 0]) for b in case.biases],
                             float(case.X[0, 0]), float(case.Y[0, 0]), activation="tanh")
    np.testing.assert_allclose(gw, [t[0, 0] for t in tw], rtol=1e-10)
    np.testing.assert_allclose(gb, [t[0, 0] for t in tb], rtol=1e-10)
