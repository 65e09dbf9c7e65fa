"""Backpropagation as reverse mode (docs/reverse-mode.md): the layer Jacobian, BP2 as a
vector–Jacobian product, forward mode, the gates, and the counts the pages state.

Every new formula is checked against central finite differences under the
tolerance policy (derivations.gradcheck: float64, ε = EPS, relative error ≤
BOUND, inputs kept KINK_MARGIN off ReLU's kink via ``check.make_case``).
Timing is never asserted here; the page asserts its measured ratios with wide
margins, and speed belongs to benchmarks.
"""

import re

import numpy as np
import pytest

from derivations import batched, gates, index, modes, vectorized
from derivations.activations import get_activation, identity, relu_prime
from derivations.algorithm import Trace
from derivations.book import measure
from derivations.book.figures import to_img
from derivations.book.figures.reverse_mode import (
    gate_graph,
    graph_alt,
    graph_figure,
    network_graph,
    timing_alt,
    timing_figure,
)
from derivations.book.gradient_timing import (
    WAYS,
    format_gradient_timings,
    time_gradients,
)
from derivations.check import make_case
from derivations.gradcheck import (
    BOUND,
    central_difference,
    mean_cost,
    numerical_param_grads,
    rel_error,
)
from derivations.network import init_params

COMBOS = [("sigmoid", "quadratic"), ("tanh", "cross_entropy"), ("relu", "quadratic"),
          ("tanh", "categorical_cross_entropy"), ("identity", "quadratic")]
IDS = ["-".join(c) for c in COMBOS]
SIZES = [3, 4, 5, 3]


def _case(activation, cost, N=4, seed=2):
    return make_case(SIZES, N, activation, cost, seed)


def _hidden_layer(activation, seed=3):
    """wˡ⁺¹, zˡ and σ′(zˡ) for one hidden layer, zˡ kept off ReLU's kink."""
    case = _case(activation, "quadratic", N=1, seed=seed)
    sigma = get_activation(activation)
    z = case.weights[0] @ case.X + case.biases[0]
    return case.weights[1], case.biases[1], z, sigma


# -- the layer Jacobian and BP2 -------------------------------------------------

@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "identity"])
def test_layer_jacobian_matches_finite_differences(activation):
    w_next, b_next, z, sigma = _hidden_layer(activation)
    J = modes.layer_jacobian(w_next, sigma.prime(z))
    z_work = z.copy()
    rows = [central_difference(lambda j=j: (w_next @ sigma.f(z_work) + b_next)[j, 0], z_work).T
            for j in range(w_next.shape[0])]
    assert J.shape == w_next.shape
    assert rel_error(J, np.vstack(rows)) <= BOUND


def test_layer_jacobian_is_w_times_diag_sigma_prime():
    w_next, _, z, sigma = _hidden_layer("sigmoid")
    sp = sigma.prime(z)
    np.testing.assert_allclose(modes.layer_jacobian(w_next, sp), w_next @ np.diagflat(sp),
                               rtol=0, atol=1e-15)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_bp2_is_the_vector_jacobian_product(activation):
    """δˡ = (∂zˡ⁺¹/∂zˡ)ᵀ δˡ⁺¹: the form's BP2 and the Jacobian's transpose agree."""
    case = _case(activation, "quadratic", N=1)
    t = vectorized.backprop_trace(case.weights, case.biases, case.X, case.Y, **case.names)
    sigma = get_activation(activation)
    for l in range(1, len(case.weights)):
        J = modes.layer_jacobian(case.weights[l], sigma.prime(t.z[l]))
        assert rel_error(J.T @ t.delta[l + 1], t.delta[l]) < 1e-14


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_layer_jvp_is_the_jacobian_times_a_vector_and_matches_differences(activation):
    w_next, b_next, z, sigma = _hidden_layer(activation)
    u = np.random.default_rng(5).standard_normal(z.shape)
    jvp = modes.layer_jvp(w_next, sigma.prime(z), u)
    assert rel_error(jvp, modes.layer_jacobian(w_next, sigma.prime(z)) @ u) < 1e-14
    s = np.zeros(1)
    numeric = [central_difference(lambda j=j: (w_next @ sigma.f(z + s[0] * u) + b_next)[j, 0], s)
               for j in range(w_next.shape[0])]
    assert rel_error(jvp, np.vstack(numeric)) <= BOUND


# -- forward mode ---------------------------------------------------------------

def _direction(case, seed=7):
    rng = np.random.default_rng(seed)
    return ([rng.standard_normal(w.shape) for w in case.weights],
            [rng.standard_normal(b.shape) for b in case.biases])


@pytest.mark.parametrize(("activation", "cost"), COMBOS, ids=IDS)
def test_jvp_matches_a_central_difference_along_the_direction(activation, cost):
    case = _case(activation, cost)
    v_w, v_b = _direction(case)
    C, C_dot = modes.jvp(case.weights, case.biases, case.X, case.Y, v_w, v_b, **case.names)
    s = np.zeros(1)

    def on_line():
        return mean_cost([w + s[0] * d for w, d in zip(case.weights, v_w)],
                         [b + s[0] * d for b, d in zip(case.biases, v_b)],
                         case.X, case.Y, **case.names)

    assert C == pytest.approx(on_line(), rel=1e-14)
    assert rel_error(C_dot, central_difference(on_line, s)) <= BOUND


@pytest.mark.parametrize(("activation", "cost"), COMBOS, ids=IDS)
def test_forward_mode_gradient_matches_differences_and_backprop(activation, cost):
    case = _case(activation, cost)
    fm_w, fm_b = modes.forward_mode_gradient(case.weights, case.biases, case.X, case.Y,
                                             **case.names)
    num_w, num_b = numerical_param_grads(case.weights, case.biases, case.X, case.Y,
                                         **case.names)
    bp_w, bp_b = batched.backprop(case.weights, case.biases, case.X, case.Y, **case.names)
    assert rel_error(fm_w + fm_b, num_w + num_b) <= BOUND
    assert rel_error(fm_w + fm_b, bp_w + bp_b) < 1e-13


def test_forward_mode_makes_one_tangent_pass_per_parameter(monkeypatch):
    """The page's count: P passes for P parameters, each a JVP along a unit vector."""
    case = _case("sigmoid", "quadratic")
    seeds = []
    real = modes.tangent_pass

    def counting(weights, biases, X, Y, dweights, dbiases, *names):
        units = [d for d in dweights + dbiases if np.any(d)]
        seeds.append((len(units), float(sum(np.sum(d) for d in units))))
        return real(weights, biases, X, Y, dweights, dbiases, *names)

    monkeypatch.setattr(modes, "tangent_pass", counting)
    modes.forward_mode_gradient(case.weights, case.biases, case.X, case.Y)
    P = sum(p.size for p in case.weights + case.biases)
    assert len(seeds) == P
    assert set(seeds) == {(1, 1.0)}


def test_forward_mode_leaves_its_arguments_alone():
    case = _case("tanh", "quadratic")
    v_w, v_b = _direction(case)
    before = [a.copy() for a in case.weights + case.biases + v_w + v_b + [case.X, case.Y]]
    modes.jvp(case.weights, case.biases, case.X, case.Y, v_w, v_b, activation="tanh")
    modes.forward_mode_gradient(case.weights, case.biases, case.X, case.Y, activation="tanh")
    after = case.weights + case.biases + v_w + v_b + [case.X, case.Y]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


# -- gates ----------------------------------------------------------------------

POINTS = [(-1.3, 0.4), (2.0, 0.7), (0.25, -3.0)]   # no ties, so max is differentiable


@pytest.mark.parametrize("gate", list(gates.GATES.values()), ids=list(gates.GATES))
@pytest.mark.parametrize(("p", "q"), POINTS)
def test_gate_backward_matches_finite_differences(gate, p, q):
    upstream = -1.7
    pq = np.array([p, q])
    numeric = central_difference(lambda: upstream * gate.f(pq[0], pq[1]), pq)
    assert rel_error(gates.backward(gate, p, q, upstream), numeric) <= BOUND


def test_gate_patterns_add_distributes_multiply_swaps_max_routes():
    p, q, up = 2.0, -5.0, 3.0
    assert gates.backward(gates.ADD, p, q, up) == (up, up)
    assert gates.backward(gates.MULTIPLY, p, q, up) == (q * up, p * up)
    assert gates.backward(gates.MAX, p, q, up) == (up, 0.0)
    assert gates.backward(gates.MAX, q, p, up) == (0.0, up)


def test_max_gate_tie_matches_relu_prime_at_zero():
    """ReLU(z) = max(z, 0): a tie sends the gradient to the constant, so ReLU′(0) = 0."""
    for z in (0.8, -0.8, 0.0):
        assert gates.backward(gates.MAX, z, 0.0, 1.0)[0] == relu_prime(z)


def test_the_pages_gate_example_matches_differences():
    """C = (p + q) max(q, r): q feeds two gates and collects both gradients."""
    p, q, r = -1.0, 3.0, 2.0
    g, h = gates.forward(gates.ADD, p, q), gates.forward(gates.MAX, q, r)
    dC_dg, dC_dh = gates.backward(gates.MULTIPLY, g, h, 1.0)
    dC_dp, dq_g = gates.backward(gates.ADD, p, q, dC_dg)
    dq_h, dC_dr = gates.backward(gates.MAX, q, r, dC_dh)
    pqr = np.array([p, q, r])
    numeric = central_difference(lambda: (pqr[0] + pqr[1]) * max(pqr[1], pqr[2]), pqr)
    assert rel_error([dC_dp, dq_g + dq_h, dC_dr], numeric) <= BOUND


# -- bad input --------------------------------------------------------------------

def test_layer_functions_refuse_bad_shapes_by_name():
    w = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"sp must be a column \(n_l, 1\) = \(4, 1\)"):
        modes.layer_jacobian(w, np.ones(4))                  # 1-D would broadcast silently
    with pytest.raises(ValueError, match=r"sp must be a column"):
        modes.layer_jacobian(w, np.ones((3, 1)))             # σ′ of the wrong layer
    with pytest.raises(ValueError, match=r"w_next must be 2-D"):
        modes.layer_jacobian(np.ones(4), np.ones((4, 1)))
    with pytest.raises(ValueError, match=r"u must have the shape of sp"):
        modes.layer_jvp(w, np.ones((4, 1)), np.ones((4, 2)))
    with pytest.raises(TypeError, match=r"w_next must be a numpy array"):
        modes.layer_jacobian("w", np.ones((4, 1)))


def test_jvp_refuses_a_direction_of_the_wrong_shape():
    case = _case("sigmoid", "quadratic")
    v_w, v_b = _direction(case)
    with pytest.raises(ValueError, match=r"dweights\[1\] must have the shape of its parameter"):
        modes.jvp(case.weights, case.biases, case.X, case.Y,
                  [v_w[0], v_w[1].T, v_w[2]], v_b)
    with pytest.raises(ValueError, match=r"dbiases has 2 layers; the network has 3"):
        modes.jvp(case.weights, case.biases, case.X, case.Y, v_w, v_b[:2])
    with pytest.raises(TypeError, match=r"dweights must be a list of arrays"):
        modes.jvp(case.weights, case.biases, case.X, case.Y, v_w[0], v_b)
    with pytest.raises(ValueError, match=r"dbiases\[0\] contains NaN"):
        modes.jvp(case.weights, case.biases, case.X, case.Y, v_w,
                  [np.full_like(v_b[0], np.nan), *v_b[1:]])
    with pytest.raises(ValueError, match=r"X must have shape"):
        modes.forward_mode_gradient(case.weights, case.biases, case.X.T, case.Y)


def test_gates_refuse_what_is_not_a_gate_or_a_number():
    with pytest.raises(TypeError, match=r"gate must be a Gate"):
        gates.backward("add", 1.0, 2.0, 1.0)
    with pytest.raises(TypeError, match=r"q must be a real number"):
        gates.forward(gates.ADD, 1.0, np.ones(2))
    with pytest.raises(ValueError, match=r"upstream is nan"):
        gates.backward(gates.MULTIPLY, 1.0, 2.0, float("nan"))


# -- the counts the pages state -----------------------------------------------------

class Counted(float):
    """A float that counts the multiplications it takes part in."""

    count = 0

    def __mul__(self, other):
        Counted.count += 1
        return Counted(float(self) * float(other))

    __rmul__ = __mul__


def _counted(shape, rng):
    return np.array([Counted(v) for v in rng.standard_normal(shape).ravel()],
                    dtype=object).reshape(shape)


def _multiplications(f, *args):
    Counted.count = 0
    f(*args)
    return Counted.count


@pytest.mark.parametrize(("n_prev", "n_l", "n_next"), [(3, 4, 3), (4, 3, 2), (2, 5, 1)])
def test_index_loops_make_the_multiplications_exercise_4_counts(n_prev, n_l, n_next):
    """index-form.md, exercise 4: forward n_l n_{l-1}, BP4 the same, BP2 n_l n_{l+1} + n_l."""
    rng = np.random.default_rng(0)
    w, b = _counted((n_l, n_prev), rng), _counted((n_l, 1), rng)
    a_prev, delta = _counted((n_prev, 1), rng), _counted((n_l, 1), rng)
    w_next, delta_next = _counted((n_next, n_l), rng), _counted((n_next, 1), rng)
    sp = _counted((n_l, 1), rng)
    assert _multiplications(index.forward, [w], [b], a_prev, identity, identity) == n_l * n_prev
    assert _multiplications(index.bp4, a_prev, delta) == n_l * n_prev
    assert _multiplications(index.bp2, w_next, delta_next, sp) == n_l * n_next + n_l
    assert _multiplications(index.bp1, delta, sp) == n_l


def test_memory_formula_counts_what_the_trace_keeps():
    """reverse-mode.md: N(n_0 + 2 Σ n_l) floats kept (every zˡ, l ≥ 1, and every aˡ)."""
    sizes, N = [6, 5, 4, 2], 3
    case = make_case(sizes, N, "sigmoid", "quadratic")
    t = batched.backprop_trace(case.weights, case.biases, case.X, case.Y)
    kept = sum(m.size for m in t.z[1:]) + sum(m.size for m in t.a)
    assert kept == N * (sizes[0] + 2 * sum(sizes[1:]))


# -- the book: timing table and figures (agreement and shape, never speed) ------------

def test_time_gradients_reports_agreeing_ways_without_asserting_speed():
    rows = time_gradients(widths=(2, 3), repeat=1, backprop_repeat=1)
    assert [r.sizes for r in rows] == [(4, 2, 2, 1), (4, 3, 3, 1)]
    assert [r.n_params for r in rows] == [4 * 2 + 2 + 2 * 2 + 2 + 2 + 1,
                                          4 * 3 + 3 + 3 * 3 + 3 + 3 + 1]
    for r in rows:
        assert set(r.seconds) == set(WAYS) and all(s > 0 for s in r.seconds.values())
        assert r.fd_error <= BOUND and r.forward_error < 1e-12
        assert r.ratio("backprop") == 1.0
    table = format_gradient_timings(rows).splitlines()
    assert len(table) == 3 and table[0].split()[:2] == ["layers", "P"]


def test_median_time_without_warmup_times_every_call(monkeypatch):
    ticks = iter([0.0, 4.0, 10.0, 11.0, 20.0, 23.0])     # durations 4, 1, 3
    monkeypatch.setattr(measure.time, "perf_counter", lambda: next(ticks))
    calls = []
    assert measure.median_time(lambda: calls.append(1), repeat=3, warmup=False) == 3.0
    assert len(calls) == 3


def test_median_time_reads_the_clock_it_is_given():
    """time_gradients passes time.process_time: CPU time, not the wall clock."""
    ticks = iter([0.0, 2.0, 5.0, 6.0, 9.0, 16.0])        # durations 2, 1, 7
    assert measure.median_time(lambda: None, repeat=3, warmup=False,
                               clock=lambda: next(ticks)) == 2.0


def _network_graph():
    w, b = init_params([2, 2, 1], np.random.default_rng(3))
    x, y = np.array([[0.5], [-1.0]]), np.array([[1.0]])
    t = vectorized.backprop_trace(w, b, x, y)
    return t, w, y


def test_network_graph_carries_the_trace_and_bp2():
    t, w, y = _network_graph()
    assert isinstance(t, Trace)
    nodes, edges, labels = network_graph(t, w, y)
    by = {n.name: n for n in nodes}
    assert by["z1_0"].grad == t.delta[1][0, 0] and by["a2_0"].value == t.a[2][0, 0]
    assert by["a1_1"].grad == pytest.approx(float((w[1].T @ t.delta[2])[1, 0]), rel=1e-15)
    assert by["a2_0"].grad == pytest.approx(float(t.a[2][0, 0] - y[0, 0]), rel=1e-15)
    assert by["C"].grad == 1.0 and by["a0_0"].grad is None
    assert len(edges) == 2 * 2 + 2 + 2 * 1 + 1 + 1 and set(labels) <= set(edges)


FIGURES = {
    "network graph": lambda: graph_figure(*network_graph(*_network_graph())),
    "gate graph": lambda: graph_figure(*gate_graph(
        dict(p=-1.0, q=3.0, r=2.0, o1=2.0, o2=3.0, C=6.0),
        dict(p=3.0, q=5.0, r=0.0, o1=3.0, o2=2.0, C=1.0)), width=6.0),
}


@pytest.mark.parametrize("name", FIGURES)
def test_graph_figures_need_alt_text_and_are_deterministic(name):
    with pytest.raises(ValueError, match="alt text"):
        to_img(FIGURES[name](), alt=" ")
    assert to_img(FIGURES[name](), alt="a graph") == to_img(FIGURES[name](), alt="a graph")


def test_alt_texts_carry_the_numbers():
    t, w, y = _network_graph()
    nodes, _, _ = network_graph(t, w, y)
    alt = graph_alt(nodes, "a network")
    assert f"dC/dz1_0 = {t.delta[1][0, 0]:.3g}".replace("-", "−") in alt
    rows = time_gradients(widths=(2,), repeat=1, backprop_repeat=1)
    assert re.search(r"P = 19: backprop [\d.]+ ms", timing_alt(rows))
    assert to_img(timing_figure(rows), alt=timing_alt(rows)).startswith('<img class="figure"')
