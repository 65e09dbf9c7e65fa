"""Common mistakes in backpropagation code, each as a wrong variant that runs.

Every mistake here is a small change to a correct line of the engine.  Each
``check_*`` function builds a small network, computes gradients with the
wrong variant and reports an ``Outcome``: the relative error against the
reference (central differences, or the correct comparison) and whether it
passes the project's bound.  Every mistake fails; the page ``mistakes.md``
prints the outcomes and the tests assert them.

The networks are square ([3, 3, 3, 3]) on purpose: with square weight
matrices a missing transpose or a swapped outer product still produces arrays
of the right shape, so the code runs and only a numerical check catches it.
"""

# --8<-- [start:imports]
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from derivations import algorithm, batched, index, vectorized
from derivations.activations import ACTIVATIONS, sigmoid_prime
from derivations.costs import get_cost
from derivations.gradcheck import (
    BOUND,
    EPS,
    central_difference,
    forward_difference,
    mean_cost,
    numerical_param_grads,
    rel_error,
)
from derivations.network import feedforward

# --8<-- [end:imports]

__all__ = ["MISTAKES", "Outcome", "SIZES", "check_bp2_no_transpose", "check_bp4_wrong_order",
           "altered_form", "check_correct", "fd_outcome", "report", "run_form",
           "check_exact_equality", "check_forward_difference", "check_index_sum_dropped",
           "check_lost_factor_two", "check_n_twice", "check_sigma_prime_at_a", "problem",
           "run_all"]

SIZES = [3, 3, 3, 3]


class Outcome(NamedTuple):
    """What a check found: the error measured, the bound it must meet, and the verdict."""

    name: str
    measured: float
    bound: float
    passed: bool
    what: str


def problem(seed=0, sizes=SIZES, N=5):
    """A small sigmoid network and a mini-batch X (n_0, N), Y (n_L, N) in (0, 1)."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((m, n)) for n, m in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((m, 1)) for m in sizes[1:]]
    X = rng.standard_normal((sizes[0], N))
    Y = rng.uniform(0.1, 0.9, size=(sizes[-1], N))
    return weights, biases, X, Y


def run_form(form, weights, biases, X, Y, sigma=None):
    """Backprop with a (possibly altered) form; quadratic cost, sigmoid everywhere."""
    sigma = sigma or ACTIVATIONS["sigmoid"]
    t = algorithm.run(form, weights, biases, X, Y, sigma, sigma, get_cost("quadratic"))
    return t.nabla_w[1:] + t.nabla_b[1:]


def fd_outcome(name, grads, weights, biases, X, Y, what):
    nw, nb = numerical_param_grads(weights, biases, X, Y)
    err = rel_error(grads, nw + nb)
    return Outcome(name, err, BOUND, err < BOUND, what)


def altered_form(base, **changes):
    """A copy of a form module's interface with some functions replaced."""
    parts = {k: getattr(base, k) for k in ("FEATURE_AXIS", "feedforward_unchecked",
                                             "bp1", "bp2", "bp3", "bp4")}
    parts.update(changes)
    return SimpleNamespace(**parts)


# --8<-- [start:sigma_at_a]
def _sigma_prime_at_a(z, a):
    return sigmoid_prime(a)          # wrong: σ′(aˡ) = σ′(σ(zˡ)); right: σ′(zˡ) = a(1 − a)


def check_sigma_prime_at_a(seed=0):
    """σ′ evaluated at the activation a instead of the weighted input z."""
    weights, biases, X, Y = problem(seed)
    wrong = ACTIVATIONS["sigmoid"]._replace(prime_from=_sigma_prime_at_a)
    grads = run_form(batched, weights, biases, X, Y, sigma=wrong)
    return fd_outcome("σ′ at a", grads, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:sigma_at_a]


# --8<-- [start:no_transpose]
def _bp2_no_transpose(W_next, Delta_next, sp):
    return (W_next @ Delta_next) * sp        # wrong: needs (Wˡ⁺¹)ᵀ Δˡ⁺¹


def check_bp2_no_transpose(seed=0):
    """BP2 without the transpose: runs when Wˡ⁺¹ is square, and is wrong."""
    weights, biases, X, Y = problem(seed)
    grads = run_form(altered_form(batched, bp2=_bp2_no_transpose), weights, biases, X, Y)
    return fd_outcome("BP2 without ᵀ", grads, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:no_transpose]


# --8<-- [start:wrong_order]
def _bp4_wrong_order(A_prev, Delta):
    return (A_prev @ Delta.T) / Delta.shape[1]   # wrong: (n_{l-1}, n_l); needs Δˡ (Aˡ⁻¹)ᵀ


def check_bp4_wrong_order(seed=0):
    """BP4's outer product in the wrong order: aˡ⁻¹ (δˡ)ᵀ, the transpose of ∂C/∂wˡ."""
    weights, biases, X, Y = problem(seed)
    grads = run_form(altered_form(batched, bp4=_bp4_wrong_order), weights, biases, X, Y)
    return fd_outcome("BP4 order swapped", grads, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:wrong_order]


# --8<-- [start:sum_dropped]
def _bp2_index_sum_dropped(w_next, delta_next, sp):
    n_next, n_l = w_next.shape
    delta = np.zeros((n_l, 1))
    for j in range(n_l):
        total = 0.0
        for k in range(n_next):
            total = w_next[k, j] * delta_next[k, 0]   # wrong: = keeps one term; needs +=
        delta[j, 0] = total * sp[j, 0]
    return delta


def check_index_sum_dropped(seed=0):
    """Index-form BP2 with the sum over the next layer's neurons left out."""
    weights, biases, X, Y = problem(seed, N=1)
    grads = run_form(altered_form(index, bp2=_bp2_index_sum_dropped), weights, biases, X, Y)
    return fd_outcome("Σ left out", grads, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:sum_dropped]


# --8<-- [start:factor_two]
def squared_error_cost(weights, biases, X, Y):
    """A source's cost without the ½: C = (1/N) Σₓ ‖aₓ − yₓ‖²."""
    _, a = feedforward(weights, biases, X)
    return float(np.sum((a[-1] - Y) ** 2)) / X.shape[1]


def check_lost_factor_two(seed=0):
    """Cost ‖a − y‖² (no ½) differentiated as if it were ½‖a − y‖²: the 2 is lost."""
    weights, biases, X, Y = problem(seed)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)   # ∇ₐ = a − y: wrong here
    grads = nabla_w + nabla_b                                    # right: 2 × these

    def C():
        return squared_error_cost(weights, biases, X, Y)

    numerical = [central_difference(C, p) for p in weights + biases]
    err = rel_error(grads, numerical)
    return Outcome("factor 2 lost", err, BOUND, err < BOUND,
                   "relative error against central differences of ‖a − y‖²/N")
# --8<-- [end:factor_two]


# --8<-- [start:n_twice]
def check_n_twice(seed=0):
    """1/N applied twice: the batched gradient (already a mean) divided by N again."""
    weights, biases, X, Y = problem(seed)
    N = X.shape[1]
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)
    grads = [g / N for g in nabla_w + nabla_b]                   # wrong: a second 1/N
    return fd_outcome("1/N twice", grads, weights, biases, X, Y,
                       "relative error against central differences of the mean cost")
# --8<-- [end:n_twice]


# --8<-- [start:equality]
def per_example_mean(weights, biases, X, Y):
    """The mean gradient from one vectorized backprop per column, summed in a loop."""
    N = X.shape[1]
    total = None
    for i in range(N):
        nw, nb = vectorized.backprop(weights, biases, X[:, i:i + 1], Y[:, i:i + 1])
        g = nw + nb
        total = g if total is None else [t + gi for t, gi in zip(total, g)]
    return [t / N for t in total]


def check_exact_equality(seed=0, N=64):
    """Two correct implementations compared with exact float equality.

    The batched form sums over examples inside one matrix product; the loop
    adds per-example gradients one at a time.  Both are correct, but the sums
    round in a different order, so ``np.array_equal`` calls them different.
    ``measured`` is the relative difference, far below the bound: the
    comparison, not the code, is what fails.
    """
    weights, biases, X, Y = problem(seed, N=N)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)
    a, b = nabla_w + nabla_b, per_example_mean(weights, biases, X, Y)
    equal = all(np.array_equal(p, q) for p, q in zip(a, b))      # wrong: exact equality
    return Outcome("exact equality", rel_error(a, b), BOUND, equal,
                   "np.array_equal between the batched form and a per-example loop")
# --8<-- [end:equality]


# --8<-- [start:forward_diff]
def check_forward_difference(seed=0, eps=EPS):
    """Correct gradients checked with forward differences against the tight bound.

    A forward difference has error O(ε) (about ε|C″|/2), a central one O(ε²);
    with the project's ε the forward quotient alone misses the bound.
    """
    weights, biases, X, Y = problem(seed)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)

    def C():
        return mean_cost(weights, biases, X, Y)

    numerical = [forward_difference(C, p, eps) for p in weights + biases]   # wrong here
    err = rel_error(nabla_w + nabla_b, numerical)
    return Outcome("forward differences", err, BOUND, err < BOUND,
                   "relative error of correct gradients against forward differences")
# --8<-- [end:forward_diff]


#: (key, heading, check) in the order the page presents them.
MISTAKES = [
    ("sigma-at-a", "σ′ evaluated at a instead of z", check_sigma_prime_at_a),
    ("bp2-transpose", "The transpose missing in BP2", check_bp2_no_transpose),
    ("bp4-order", "BP4's outer product in the wrong order", check_bp4_wrong_order),
    ("index-sum", "The Σ left out in index form", check_index_sum_dropped),
    ("factor-two", "A lost factor of 2", check_lost_factor_two),
    ("n-twice", "1/N applied twice", check_n_twice),
    ("exact-equality", "Exact float equality between implementations", check_exact_equality),
    ("forward-differences", "Forward differences with a tight tolerance",
     check_forward_difference),
]


def run_all(seed=0):
    """Every mistake's Outcome, in page order."""
    return [check(seed) for _, _, check in MISTAKES]


# --8<-- [start:control]
def check_correct(seed=0):
    """The control: the engine's own batched gradients on the same problem."""
    weights, biases, X, Y = problem(seed)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)
    return fd_outcome("engine (correct)", nabla_w + nabla_b, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:control]


def report(outcome):
    """One line saying what was measured and whether the check passed."""
    if outcome.name == "exact equality":
        return (f"np.array_equal says the two gradients are equal: {outcome.passed}; "
                f"their relative difference is {outcome.measured:.1e}, "
                f"far below the bound {outcome.bound:g}")
    verdict = "passes" if outcome.passed else "FAILS"
    relation = "<" if outcome.measured < outcome.bound else ">"
    return (f"{outcome.what}: {outcome.measured:.2e} {relation} bound {outcome.bound:g}, "
            f"so the check {verdict}")
