"""Common mistakes in backpropagation code: a catalogue of wrong variants that run.

Each entry of ``CATALOGUE`` is a ``Mistake`` with a stable ``id`` (the
diagnoser and the tests name mistakes by it), the equations it shows up in,
the forms it can be made in, and the one change that makes it:

* most swap one equation of a form's contract: ``mistake.form(vectorized.FORM)``
  is ``vectorized.FORM`` with that equation replaced (``equation="BP2"``
  picks one where a mistake can be made in two);
* ``sigma_prime_of_a`` changes σ′, ``factor_two`` and ``sign_flip`` change
  ∇ₐC, two change which layer the loop reads, and ``return_order`` and
  ``weights_in_by_out`` are conventions: right gradients, returned in another
  order or layout.

Every variant is run by the same generic algorithm:

    m = CATALOGUE["missing_transpose"]
    trace = m.trace(vectorized.FORM, weights, biases, x, y)      # what the mistake computes
    returned = m.backprop(vectorized.FORM, weights, biases, x, y)  # what its backprop returns

The page ``mistakes.md`` gives every entry a section (``anchor``), makes the
mistake on a small network and shows the finite-difference check failing
(``demonstrate``), or, where the result cannot even be compared with the
right one, what the diagnoser says of it (``diagnosed``); the tests assert
it.  ``derivations.diagnose`` names a reader's mistake by this catalogue.
The page's networks are square ([3, 3, 3, 3]) on purpose: with square weight
matrices a missing transpose or a swapped outer product still produces arrays
of the right shape, so the code runs and only a numerical check catches it.
"""

# --8<-- [start:imports]
from dataclasses import dataclass, replace
from functools import partial
from typing import Callable, NamedTuple

import numpy as np

from derivations import FORMS, algorithm, batched, index, validate, vectorized
from derivations.gradcheck import (
    BOUND,
    EPS,
    forward_difference,
    mean_cost,
    numerical_param_grads,
    rel_error,
)

# --8<-- [end:imports]

__all__ = ["CATALOGUE", "Mistake", "Outcome", "PROBLEMS", "Problem", "SECTIONS", "SIZES", "correct", "demonstrate",
           "diagnosed", "exact_equality", "fd_outcome", "forward_differences",
           "per_example_mean", "problem", "report", "run_all"]

SIZES = [3, 3, 3, 3]
ARRAY_FORMS = ("index", "vectorized", "batched", "rowmajor")
ALL_FORMS = ("scalar", *ARRAY_FORMS)
BATCH_FORMS = ("batched", "rowmajor")


@dataclass(frozen=True)
class Mistake:
    """One mistake: where it shows up, and the one change that makes it.

    * ``id``: stable name, e.g. ``"missing_transpose"``;
    * ``title``: a short name (the heading of its section on the page);
    * ``equations``: the equations it makes wrong, first the one a check
      meets first (empty for conventions, whose gradients are right);
    * ``forms``: the forms it can be made in;
    * ``description``: what the mistaken result is, in words;
    * ``anchor``: its section on the Common mistakes page, ``mistakes.md#anchor``;
    * ``change``: how the result differs from the right one, completing
      "your BP2 equals the correct BP2 …" (for a convention: "your gradients
      are right, but returned …");
    * ``fix``: what the right version does, in words; ``fixes`` {form name: fix}
      says it in a form's own arithmetic where that differs (``fix_for``);
    * the change, one of: ``swaps`` {form name: {"bp2": wrong bp2, …}},
      ``activation`` (σ → wrong σ), ``cost`` (cost → wrong cost), ``loop``
      (form, trace, weights, σ → wrong trace); and ``returns`` (nabla_w,
      nabla_b → what the mistaken backprop returns).
    """

    id: str
    title: str
    equations: tuple
    forms: tuple
    description: str
    anchor: str
    change: str
    fix: str
    swaps: dict | None = None
    activation: Callable | None = None
    cost: Callable | None = None
    loop: Callable | None = None
    returns: Callable = algorithm.Gradients
    fixes: dict | None = None

    def fix_for(self, form_name):
        """``fix`` in the arithmetic of the form ``form_name`` (its layout's products)."""
        return (self.fixes or {}).get(form_name, self.fix)

    def form(self, form, equation=None):
        """``form`` with this mistake's equations swapped (only ``equation``'s if given)."""
        swaps = (self.swaps or {}).get(form.name, {})
        if equation is not None:
            swaps = {k: f for k, f in swaps.items() if k == equation.lower()}
        return replace(form, **swaps)

    def run(self, form, weights, biases, x, y, sigma, sigma_L, cost, equation=None):
        """The mistake's ``Trace`` on validated inputs with resolved σ and cost.

        ``equation`` ("BP1", …) makes the mistake in that equation only, where
        it can be made in several; None makes it everywhere it can be made.
        """
        if form.name not in self.forms:
            raise ValueError(f"mistake {self.id!r} applies to the forms {self.forms}, "
                             f"not to {form.name!r}")
        form, sigma, sigma_L, cost = self.made_in(form, sigma, sigma_L, cost, equation)
        t = algorithm.run(form, weights, biases, x, y, sigma, sigma_L, cost)
        return t if self.loop is None else self.loop(form, t, weights, sigma)

    def made_in(self, form, sigma, sigma_L, cost, equation=None):
        """(form, σ, σ of the output, cost) with the mistake made in them."""
        form = self.form(form, equation)
        if self.activation is not None:             # σ′ of BP2 (hidden), of BP1 (output)
            if equation in (None, "BP2"):
                sigma = self.activation(sigma)
            if equation in (None, "BP1") and sigma_L.vjp is None:
                sigma_L = self.activation(sigma_L)
        if self.cost is not None:
            cost = self.cost(cost)
        return form, sigma, sigma_L, cost

    def trace(self, form, weights, biases, x, y, activation="sigmoid", cost="quadratic",
              output_activation=None, equation=None):
        """Like ``algorithm.backprop_trace(form, ...)``, with the mistake made."""
        sigma, sigma_L, cost = validate.resolve(activation, cost, output_activation)
        weights, biases, x, y = form.validate(weights, biases, x, y, sigma_L, cost)
        return self.run(form, weights, biases, x, y, sigma, sigma_L, cost, equation)

    def backprop(self, form, weights, biases, x, y, activation="sigmoid", cost="quadratic",
                 output_activation=None, equation=None):
        """What a ``backprop`` with this mistake returns."""
        t = self.trace(form, weights, biases, x, y, activation, cost, output_activation,
                       equation)
        return self.returns(t.nabla_w[1:], t.nabla_b[1:])


# --8<-- [start:sigma_at_a]
def prime_at_a(sigma):
    """σ whose σ′ is evaluated at the activation a instead of the weighted input z."""
    def prime_from(z, a):
        return sigma.prime(a)    # wrong: σ′(aˡ) = σ′(σ(zˡ)); right: σ′(zˡ), e.g. a(1 − a)
    return sigma._replace(prime_from=prime_from)
# --8<-- [end:sigma_at_a]


# --8<-- [start:no_sigma_prime]
def bp1_without_sigma_prime(nabla_a, sp):
    return nabla_a                                   # wrong: needs ∇ₐC ⊙ σ′(zᴸ)


def bp2_without_sigma_prime(W_next, Delta_next, sp):
    return W_next.T @ Delta_next                     # wrong: needs … ⊙ σ′(zˡ)
# --8<-- [end:no_sigma_prime]


def bp2_without_sigma_prime_rows(W_next, Delta_next, sp):
    return Delta_next @ W_next                       # wrong: needs … ⊙ σ′(Z̃ˡ)


def bp2_without_sigma_prime_scalar(w_next, delta_next, sp):
    return float(w_next * delta_next)                # wrong: needs · σ′(zˡ)


def bp2_without_sigma_prime_index(w_next, delta_next, sp):
    return index.bp2(w_next, delta_next, np.ones_like(sp))   # σ′(zˡⱼ) taken as 1


# --8<-- [start:no_transpose]
def bp2_no_transpose(W_next, Delta_next, sp):
    return (W_next @ Delta_next) * sp        # wrong: needs (wˡ⁺¹)ᵀ Δˡ⁺¹
# --8<-- [end:no_transpose]


def bp2_no_transpose_rows(W_next, Delta_next, sp):
    return (Delta_next @ W_next.T) * sp      # wrong: needs Δ̃ˡ⁺¹ wˡ⁺¹


def bp2_no_transpose_index(w_next, delta_next, sp):
    return index.bp2(w_next.T, delta_next, sp)   # sums along row k where BP2 sums down column k


def bp4_transposed(a_prev, delta):
    return a_prev @ delta.T                  # wrong: (n_{l-1}, n_l); needs δˡ (aˡ⁻¹)ᵀ


# --8<-- [start:wrong_order]
def bp4_transposed_batch(A_prev, Delta):
    return (A_prev @ Delta.T) / Delta.shape[1]   # wrong: (n_{l-1}, n_l); needs Δˡ (Aˡ⁻¹)ᵀ
# --8<-- [end:wrong_order]


def bp4_transposed_rows(A_prev, Delta):
    return (A_prev.T @ Delta) / Delta.shape[0]   # wrong: (n_{l-1}, n_l); needs (Δ̃ˡ)ᵀ Ãˡ⁻¹


def bp4_transposed_index(a_prev, delta):
    return index.bp4(a_prev, delta).T        # entry [k, j] holds ∂C/∂wˡⱼₖ


# --8<-- [start:sum_dropped]
def bp2_index_sum_dropped(w_next, delta_next, sp):
    n_next, n_l = w_next.shape
    delta = np.zeros((n_l, 1), dtype=delta_next.dtype)
    for k in range(n_l):
        total = 0.0
        for j in range(n_next):
            total = w_next[j, k] * delta_next[j, 0]   # wrong: = keeps one term; needs +=
        delta[k, 0] = total * sp[k, 0]
    return delta
# --8<-- [end:sum_dropped]


# --8<-- [start:factor_two]
def scaled(cost, k):
    """``cost`` whose gradient (and BP1's simplified δᴸ) is k times the right one."""
    delta = None if cost.delta is None else (lambda a, y, axis: k * cost.delta(a, y, axis))
    return cost._replace(grad=lambda a, y: k * cost.grad(a, y), delta=delta)


def factor_two(cost):
    """The cost with ∇ₐC doubled: 2(a − y) for C = ½‖a − y‖², as if the ½ were not there."""
    return scaled(cost, 2.0)                 # wrong: the ½ in C already cancels the 2
# --8<-- [end:factor_two]


# --8<-- [start:sign_flip]
def sign_flip(cost):
    """The cost with ∇ₐC negated: y − a for a − y."""
    return scaled(cost, -1.0)
# --8<-- [end:sign_flip]


# --8<-- [start:summed]
def bp3_summed(Delta):
    return Delta.sum(axis=1, keepdims=True)       # wrong: the mean needs 1/N


def bp4_summed(A_prev, Delta):
    return Delta @ A_prev.T                       # wrong: the mean needs 1/N
# --8<-- [end:summed]


def bp3_summed_rows(Delta):
    return Delta.sum(axis=0)[:, None]             # wrong: the mean needs 1/N


def bp4_summed_rows(A_prev, Delta):
    return Delta.T @ A_prev                       # wrong: the mean needs 1/N


# --8<-- [start:n_twice]
def bp3_mean_twice(Delta):
    return Delta.mean(axis=1, keepdims=True) / Delta.shape[1]   # wrong: 1/N twice


def bp4_mean_twice(A_prev, Delta):
    return (Delta @ A_prev.T) / Delta.shape[1] / Delta.shape[1]   # wrong: 1/N twice
# --8<-- [end:n_twice]


def bp3_mean_twice_rows(Delta):
    return Delta.mean(axis=0)[:, None] / Delta.shape[0]         # wrong: 1/N twice


def bp4_mean_twice_rows(A_prev, Delta):
    return (Delta.T @ A_prev) / Delta.shape[0] / Delta.shape[0]   # wrong: 1/N twice


# --8<-- [start:not_reduced]
def bp3_not_reduced(Delta):
    return Delta                                  # wrong: one column (row) per example
# --8<-- [end:not_reduced]


def _gradients(form, t):
    """BP3 and BP4 again from a trace's (changed) errors."""
    L = len(t.delta) - 1
    nabla_b = [None] + [form.bp3(t.delta[l]) for l in range(1, L + 1)]
    nabla_w = [None] + [form.bp4(t.a[l - 1], t.delta[l]) for l in range(1, L + 1)]
    return t._replace(nabla_w=nabla_w, nabla_b=nabla_b)


# --8<-- [start:next_layer]
def sigma_prime_of_next_layer(form, t, weights, sigma):
    """BP2 from δᴸ again, with σ′(zˡ⁺¹) in place of σ′(zˡ); BP3 and BP4 follow it."""
    delta = list(t.delta)
    for l in range(len(weights) - 1, 0, -1):
        sp = sigma.prime_from(t.z[l + 1], t.a[l + 1])   # wrong: layer l + 1; needs zˡ
        delta[l] = form.bp2(weights[l], delta[l + 1], sp)
    return _gradients(form, t._replace(delta=delta))
# --8<-- [end:next_layer]


# --8<-- [start:own_activation]
def activation_of_same_layer(form, t, weights, sigma):
    """BP4 with aˡ in place of aˡ⁻¹."""
    nabla_w = [None] + [form.bp4(t.a[l], t.delta[l])      # wrong: needs a[l - 1]
                        for l in range(1, len(weights) + 1)]
    return t._replace(nabla_w=nabla_w)
# --8<-- [end:own_activation]


# --8<-- [start:nielsen_order]
def biases_first(nabla_w, nabla_b):
    """Nielsen's order, (nabla_b, nabla_w): right gradients, swapped places."""
    return nabla_b, nabla_w
# --8<-- [end:nielsen_order]


# --8<-- [start:in_by_out]
def in_by_out(nabla_w, nabla_b):
    """nnfs's layout: weights in × out, biases as rows; right gradients, transposed."""
    return [g.T for g in nabla_w], [g.T for g in nabla_b]
# --8<-- [end:in_by_out]


def _each(columns=None, rows=None, loops=None, floats=None, one_column=None):
    """{form name: swaps} from the swaps of each layout.

    ``columns`` serve batched and vectorized (``one_column``, if given, serves
    vectorized instead), ``rows`` rowmajor, ``loops`` index, ``floats`` scalar.
    """
    table = {"batched": columns, "vectorized": one_column or columns, "rowmajor": rows,
             "index": loops, "scalar": floats}
    return {name: swaps for name, swaps in table.items() if swaps}


#: Every mistake, by id, each with a section of the Common mistakes page.
CATALOGUE = {m.id: m for m in [
    Mistake("sigma_prime_of_a", "σ′ evaluated at a instead of z", ("BP1", "BP2"), ALL_FORMS,
            "σ′ evaluated at the activation: σ′(aˡ) in place of σ′(zˡ)",
            anchor="sigma-at-a", activation=prime_at_a,
            change="with σ′(aˡ) in place of σ′(zˡ): σ′ evaluated at the activation, "
                   "not at the weighted input",
            fix="evaluate σ′ at zˡ; for the sigmoid, σ′(zˡ) = aˡ(1 − aˡ) also works from "
                "the activation"),
    Mistake("missing_sigma_prime", "σ′ left out", ("BP1", "BP2"), ALL_FORMS,
            "BP1 or BP2 without the factor ⊙ σ′(zˡ)",
            anchor="no-sigma-prime", swaps=_each(
                columns={"bp1": bp1_without_sigma_prime, "bp2": bp2_without_sigma_prime},
                rows={"bp1": bp1_without_sigma_prime, "bp2": bp2_without_sigma_prime_rows},
                loops={"bp1": bp1_without_sigma_prime, "bp2": bp2_without_sigma_prime_index},
                floats={"bp1": bp1_without_sigma_prime, "bp2": bp2_without_sigma_prime_scalar}),
            change="without its factor ⊙ σ′(zˡ)",
            fix="multiply elementwise by σ′(zˡ) of the layer, σ′(zᴸ) in BP1",
            fixes={f: "multiply elementwise by σ′(Zˡ) of the layer, one entry per example "
                      "and neuron, σ′(Zᴸ) in BP1" for f in BATCH_FORMS}),
    Mistake("wrong_layer_sigma_prime", "σ′ of the wrong layer", ("BP2",), ALL_FORMS,
            "BP2 with σ′ of the next layer's weighted input, σ′(zˡ⁺¹) in place of σ′(zˡ)",
            anchor="sigma-next-layer", loop=sigma_prime_of_next_layer,
            change="with σ′(zˡ⁺¹), the next layer's, in place of σ′(zˡ)",
            fix="δˡ takes σ′ of its own layer's weighted input zˡ; σ′(zˡ⁺¹) is already "
                "inside δˡ⁺¹"),
    Mistake("missing_transpose", "The transpose missing in BP2", ("BP2",), ARRAY_FORMS,
            "BP2 with wˡ⁺¹ in place of its transpose (wˡ⁺¹)ᵀ",
            anchor="bp2-transpose", swaps=_each(
                columns={"bp2": bp2_no_transpose}, rows={"bp2": bp2_no_transpose_rows},
                loops={"bp2": bp2_no_transpose_index}),
            change="with wˡ⁺¹ in place of its transpose (wˡ⁺¹)ᵀ",
            fix="send the error back through the transpose, (wˡ⁺¹)ᵀ δˡ⁺¹: in index form "
                "the sum over j reads wˡ⁺¹ⱼₖ, down column k, not wˡ⁺¹ₖⱼ",
            fixes={"vectorized": "send the error back through the transpose: "
                                 "δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ), `W_next.T @ delta_next`",
                   "batched": "send the errors back through the transpose: "
                              "Δˡ = ((Wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ), `W_next.T @ Delta_next`",
                   "rowmajor": "with examples as rows the product is the other way round: "
                               "Δˡ = (Δˡ⁺¹ Wˡ⁺¹) ⊙ σ′(Zˡ), `Delta_next @ W_next`, no transpose",
                   "index": "the sum over j reads wˡ⁺¹ⱼₖ, down column k: "
                            "total += w_next[j, k] * delta_next[j, 0], not w_next[k, j]"}),
    Mistake("missing_sum", "The Σ left out in index form", ("BP2",), ("index",),
            "index-form BP2 keeping one term of the sum over the next layer's neurons",
            anchor="index-sum", swaps=_each(loops={"bp2": bp2_index_sum_dropped}),
            change="with the sum over j reduced to one term, the last wˡ⁺¹ⱼₖ δˡ⁺¹ⱼ",
            fix="add up every term: total += w_next[j, k] * delta_next[j, 0]"),
    Mistake("transposed_gradient", "BP4's outer product in the wrong order", ("BP4",), ARRAY_FORMS,
            "BP4 giving the transpose of ∂C/∂wˡ: aˡ⁻¹ (δˡ)ᵀ in place of δˡ (aˡ⁻¹)ᵀ",
            anchor="bp4-order", swaps=_each(
                columns={"bp4": bp4_transposed_batch}, one_column={"bp4": bp4_transposed},
                rows={"bp4": bp4_transposed_rows}, loops={"bp4": bp4_transposed_index}),
            change="transposed: aˡ⁻¹ (δˡ)ᵀ, of shape n_{l−1} × n_l, in place of δˡ (aˡ⁻¹)ᵀ",
            fix="∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ has the shape of wˡ, n_l × n_{l−1}",
            fixes={"batched": "∂C/∂Wˡ = Δˡ (Aˡ⁻¹)ᵀ / N, `Delta @ A_prev.T / N`, has the shape "
                              "of Wˡ, n_l × n_{l−1}",
                   "rowmajor": "with examples as rows, ∂C/∂Wˡ = (Δˡ)ᵀ Aˡ⁻¹ / N, "
                               "`Delta.T @ A_prev / N`, has the shape of Wˡ, n_l × n_{l−1}",
                   "index": "∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ: row j of the result belongs to neuron j "
                            "of layer l, column k to neuron k of layer l − 1"}),
    Mistake("wrong_activation_in_bp4", "aˡ in place of aˡ⁻¹ in BP4", ("BP4",), ALL_FORMS,
            "BP4 with the layer's own activation aˡ in place of aˡ⁻¹",
            anchor="bp4-own-activation", loop=activation_of_same_layer,
            change="with aˡ, the layer's own activation, in place of aˡ⁻¹",
            fix="wˡ multiplies the previous layer's activation, so ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ"),
    Mistake("factor_two", "A factor of 2", ("BP1",), ALL_FORMS,
            "∇ₐC twice too large, so every error and gradient is doubled",
            anchor="factor-two", cost=factor_two,
            change="doubled: ∇ₐC twice too large, as 2(a − y) would be for C = ½‖a − y‖²",
            fix="the ½ in C = ½‖a − y‖² cancels the 2 of the square: ∇ₐC = a − y"),
    Mistake("sign_flip", "y − a in place of a − y", ("BP1",), ALL_FORMS,
            "∇ₐC with the wrong sign, y − a in place of a − y: every gradient negated",
            anchor="sign-flip", cost=sign_flip,
            change="with its sign flipped: y − a in place of a − y",
            fix="∇ₐC = a − y, the output minus the target"),
    Mistake("batch_mean_twice", "1/N applied twice", ("BP3", "BP4"), BATCH_FORMS,
            "the batch mean's 1/N applied twice: BP3 and BP4 N times too small",
            anchor="n-twice", swaps=_each(
                columns={"bp3": bp3_mean_twice, "bp4": bp4_mean_twice},
                rows={"bp3": bp3_mean_twice_rows, "bp4": bp4_mean_twice_rows}),
            change="N times too small: the batch mean's 1/N applied twice",
            fix="apply 1/N once: a mean over the batch, not a mean divided by N again"),
    Mistake("missing_batch_mean", "The batch mean missing", ("BP3", "BP4"), BATCH_FORMS,
            "BP3 and BP4 summed over the examples without 1/N: N times too large",
            anchor="no-batch-mean", swaps=_each(
                columns={"bp3": bp3_summed, "bp4": bp4_summed},
                rows={"bp3": bp3_summed_rows, "bp4": bp4_summed_rows}),
            change="N times too large: summed over the N examples without the mean's 1/N",
            fix="the cost is the mean over the batch: divide the sums by N, once"),
    Mistake("bias_not_reduced", "BP3 not reduced over the batch", ("BP3",), BATCH_FORMS,
            "BP3 returning Δˡ itself, one column per example, not their mean",
            anchor="bias-not-reduced",
            swaps=_each(columns={"bp3": bp3_not_reduced}, rows={"bp3": bp3_not_reduced}),
            change="before its reduction over the batch: Δˡ itself, one entry per example "
                   "for every neuron",
            fix="average Δˡ over the examples into one column of bˡ's shape, (n_l, 1)",
            fixes={"batched": "average Δˡ over its columns, the examples, into one column of "
                              "bˡ's shape: `Delta.mean(axis=1, keepdims=True)`",
                   "rowmajor": "average Δˡ over its rows, the examples, and return a column "
                               "of bˡ's shape: `Delta.mean(axis=0, keepdims=True).T`"}),
    Mistake("return_order", "Nielsen's return order", (), ALL_FORMS,
            "right gradients returned as (nabla_b, nabla_w), Nielsen's order",
            anchor="return-order", returns=biases_first,
            change="returned in Nielsen's order, (nabla_b, nabla_w)",
            fix="return nabla_w, nabla_b: weights first, as every backprop in this package "
                "does; unpacked in the other order, an update swaps weights and biases"),
    Mistake("weights_in_by_out", "Weights stored in × out", (), ARRAY_FORMS,
            "right gradients in nnfs's layout: each ∂C/∂wˡ transposed (in × out), "
            "each ∂C/∂bˡ a row", anchor="in-by-out", returns=in_by_out,
            change="returned in nnfs's layout: each ∂C/∂wˡ transposed to in × out, "
                   "each ∂C/∂bˡ a row",
            fix="return each gradient in its parameter's shape: wˡ is n_l × n_{l−1} "
                "(out × in) and bˡ is n_l × 1"),
]}


class Problem(NamedTuple):
    """A way the diagnoser cannot hold a function to the catalogue: its own id and section.

    Not a variant of the equations: the function runs in another layout, raises,
    returns nothing, computes in float32, changes its arguments, or cannot be
    called as ``backprop(weights, biases, x, y)``.  ``anchor`` is its section
    on the Common mistakes page, ``title`` that section's heading.
    """

    id: str
    title: str
    anchor: str


#: The diagnoser's ids for what is not a mistake in an equation, each with a section.
PROBLEMS = {p.id: p for p in [
    Problem("wrong_form", "Right code, checked in another form", "wrong-form"),
    Problem("wrong_settings", "Right code, checked with another σ or cost", "wrong-settings"),
    Problem("raises", "The function raises an error", "raises"),
    Problem("returns_none", "The function returns None", "returns-none"),
    Problem("float32", "Gradients in float32", "float32"),
    Problem("modifies_input", "The function changes its arguments", "modifies-input"),
    Problem("signature", "The function cannot be called as backprop(weights, biases, x, y)",
            "signature"),
]}


# ---------------------------------------------------------------- the page


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


def fd_outcome(name, grads, weights, biases, X, Y, what):
    """An Outcome: ``grads`` against central differences of the mean cost."""
    nw, nb = numerical_param_grads(weights, biases, X, Y)
    err = rel_error(grads, nw + nb)
    return Outcome(name, err, BOUND, err < BOUND, what)


# --8<-- [start:demonstrate]
def demonstrate(mistake_id, seed=0):
    """The mistake made on the page's problem, checked against central differences.

    It is made in the batched form, or in the index form (one example) if it
    cannot be made in the batched one; sigmoid everywhere, quadratic cost.
    """
    m = CATALOGUE[mistake_id]
    form = batched.FORM if "batched" in m.forms else FORMS[m.forms[0]].FORM
    weights, biases, X, Y = problem(seed) if form is batched.FORM else problem(seed, N=1)
    nabla_w, nabla_b = m.backprop(form, weights, biases, X, Y)
    return fd_outcome(m.id, nabla_w + nabla_b, weights, biases, X, Y,
                       "relative error against central differences")
# --8<-- [end:demonstrate]


# --8<-- [start:equality]
def per_example_mean(weights, biases, X, Y):
    """The mean gradient from one vectorized backprop per column, summed in a loop."""
    N = X.shape[1]
    total = None
    for s in range(N):
        nw, nb = vectorized.backprop(weights, biases, X[:, s:s + 1], Y[:, s:s + 1])
        g = nw + nb
        total = g if total is None else [t + gi for t, gi in zip(total, g)]
    return [t / N for t in total]


def exact_equality(seed=0, N=64):
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
def forward_differences(seed=0, eps=EPS):
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


def correct(seed=0):
    """The control: the engine's own batched gradients on the same problem."""
    weights, biases, X, Y = problem(seed)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y)
    return fd_outcome("engine (correct)", nabla_w + nabla_b, weights, biases, X, Y,
                       "relative error against central differences")


# --8<-- [start:diagnosed]
def diagnosed(mistake_id, form="batched", seed=0):
    """What the diagnoser (``derivations.diagnose``) says of a backprop with the mistake."""
    from derivations import diagnose  # it builds on this catalogue: imported on use

    m = CATALOGUE[mistake_id]
    return diagnose.backprop(partial(m.backprop, FORMS[form].FORM), form=form, seed=seed)
# --8<-- [end:diagnosed]


class Section(NamedTuple):
    """A section of the page: anchor, heading, what its block prints, and how.

    ``printed`` is the expression the block prints, e.g.
    ``report(demonstrate("factor_two"))``; ``show(seed)`` computes the
    ``Outcome`` (or, for a mistake no gradient check can compare, the
    ``Diagnosis``) behind it.
    """

    anchor: str
    heading: str
    printed: str
    show: Callable  # seed -> Outcome | Diagnosis

    def fails(self, seed=0):
        """True if the section's check fails (its Outcome does not pass, or not ok)."""
        result = self.show(seed)
        return not (result.passed if isinstance(result, Outcome) else result.ok)


def _demo(mistake_id):
    m = CATALOGUE[mistake_id]
    return Section(m.anchor, m.title, f'report(demonstrate("{mistake_id}"))',
                   partial(demonstrate, mistake_id))


def _diagnosed(mistake_id):
    m = CATALOGUE[mistake_id]
    return Section(m.anchor, m.title, f'diagnosed("{mistake_id}")',
                   lambda seed: diagnosed(mistake_id, seed=seed))


#: The page's sections, in order: every catalogue entry, then two slips of the tests.
SECTIONS = [
    *(_demo(i) for i in ("sigma_prime_of_a", "missing_sigma_prime", "wrong_layer_sigma_prime",
                         "missing_transpose", "missing_sum", "transposed_gradient",
                         "wrong_activation_in_bp4", "factor_two", "sign_flip",
                         "batch_mean_twice", "missing_batch_mean")),
    *(_diagnosed(i) for i in ("bias_not_reduced", "return_order", "weights_in_by_out")),
    Section("exact-equality", "Exact float equality between implementations",
            "report(exact_equality())", exact_equality),
    Section("forward-differences", "Forward differences with a tight tolerance",
            "report(forward_differences())", forward_differences),
]


def run_all(seed=0):
    """Every section's Outcome (or Diagnosis), in page order."""
    return [section.show(seed) for section in SECTIONS]


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
