"""The source notebooks' numbers, reproduced by derivations.book.companions.

Expected values are what each source prints (facts about the source), compared
at the precision it prints them; everything else is checked against finite
differences or an independent computation.
"""

import numpy as np
import pytest

from derivations import batched, gradcheck, vectorized
from derivations.activations import relu_prime, sigmoid_prime, softmax
from derivations.book import kernel
from derivations.book.companions import circles, coursera, lecture, nnfs, udl
from derivations.book.companions.report import matches_printed, printed_tolerance

# ---------------------------------------------------------------- UDL (seed 000)

@pytest.fixture(scope="module")
def udl_net():
    weights, biases = udl.build()
    x, y = np.array([[udl.INPUT]]), np.array([[udl.TARGET]])
    return weights, biases, x, y


def test_udl_output_and_loss(udl_net):
    weights, biases, x, y = udl_net
    t = vectorized.backprop_trace(weights, biases, x, y, **udl.names)
    assert matches_printed(t.a[-1], udl.PUBLISHED_OUTPUT, 3)[0]
    loss = gradcheck.mean_cost(weights, biases, x, y, **udl.names)
    assert matches_printed(loss, udl.PUBLISHED_LOSS, 8)[0]


def test_udl_bias_gradients_as_printed(udl_net):
    weights, biases, x, y = udl_net
    _, nabla_b = vectorized.backprop(weights, biases, x, y, **udl.names)
    for k, printed in udl.PUBLISHED_BIAS_GRADIENTS.items():
        assert matches_printed(nabla_b[k], printed, 3)[0], k


def test_udl_gradients_pass_central_differences(udl_net):
    weights, biases, x, y = udl_net
    nw, nb = vectorized.backprop(weights, biases, x, y, **udl.names)
    num_w, num_b = gradcheck.numerical_param_grads(weights, biases, x, y, **udl.names)
    assert gradcheck.rel_error(nw + nb, num_w + num_b) < gradcheck.BOUND


def test_udl_source_check_passes_and_skips_the_output_layer(udl_net):
    rows = udl.forward_difference_check(*udl_net)
    assert all(ok for _, _, ok in rows)
    assert {k for _, k, _ in rows} == set(range(udl.K))   # k = K is never checked


def test_udl_indicator_convention_and_kink_distance(udl_net):
    assert udl.indicator(0.0) == 1.0 and relu_prime(0.0) == 0.0
    weights, biases, x, _ = udl_net
    assert gradcheck.kink_distance(weights, biases, x, "relu", "identity") > gradcheck.KINK_MARGIN


def test_udl_build_leaves_global_random_state_alone():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    udl.build()
    assert np.array_equal(np.random.get_state()[1], before)


# ---------------------------------------------------------------- circles (seed 001)

def test_circles_data():
    x, y = circles.toy_step(1000)
    assert x.shape == y.shape == (1, 1000)
    assert np.all(y[x > 0] == 1) and np.all(y[x <= 0] == -1)
    X, Y = circles.circles(1000, np.random.default_rng(0))
    r = np.hypot(X[0], X[1])
    assert X.shape == (2, 1000) and Y.shape == (1, 1000)
    assert abs(np.mean(r[Y[0] == 0]) - 1.0) < 0.05
    assert abs(np.mean(r[Y[0] == 1]) - 0.3) < 0.05


def test_nielsen_loop_and_batched_training_agree():
    rng = np.random.default_rng(1)
    X, Y = circles.circles(200, rng)
    w0, b0 = circles.init_like_source(rng)
    run = dict(epochs=3, batch_size=50, eta=0.5)
    a = circles.train_batched(w0, b0, X, Y, **run)
    b = circles.train_per_example(w0, b0, X, Y, **run)
    for p, q in zip(a[0] + a[1], b[0] + b[1]):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    # the start was not modified and training moved the weights
    assert not np.allclose(a[0][0], w0[0])


def test_circles_training_separates_the_classes():
    rng = np.random.default_rng(2023)
    X, Y = circles.circles(1000, rng)
    w0, b0 = circles.init_like_source(rng)
    frames, w, b = circles.snapshots(w0, b0, X, Y, epochs=200, batch_size=50, eta=4.0,
                                     rng=np.random.default_rng(7), every=10)
    assert len(frames) == 21 and frames[0][0] == 0 and frames[-1][0] == 200
    assert all(A.shape == (3, 1000) for _, A, _ in frames)
    assert frames[-1][2] < frames[0][2] / 10


# ---------------------------------------------------------------- lecture (seed 002)

def test_lecture_gradients_as_printed():
    grads = lecture.source_gradients(lecture.W_SOURCE, lecture.X, lecture.Y)
    for g, printed in zip(grads, lecture.PUBLISHED_GRADIENTS):
        assert matches_printed(g, printed, 5)[0]


def test_lecture_forward_as_printed():
    w = lecture.to_ours(lecture.W_SOURCE)
    t = vectorized.backprop_trace(w, lecture.zero_biases(w), lecture.X, lecture.Y,
                                  **lecture.names)
    for l, printed in enumerate(lecture.PUBLISHED_LINEAR, start=1):
        assert matches_printed(t.z[l], printed, 3)[0]


def test_lecture_gradients_pass_central_differences_of_mseloss():
    W = [w.copy() for w in lecture.W_SOURCE]
    grads = lecture.source_gradients(W, lecture.X, lecture.Y)
    num = [gradcheck.central_difference(lambda: lecture.mse_loss(W, lecture.X, lecture.Y), w)
           for w in W]
    assert gradcheck.rel_error(grads, num) < gradcheck.BOUND


def test_lecture_factor_is_two_over_n_outputs():
    """With two outputs and three examples MSELoss's gradient is (2/n_L) × ours."""
    rng = np.random.default_rng(0)
    W = [rng.uniform(0.1, 1.0, (3, 4)), rng.uniform(0.1, 1.0, (4, 2))]
    X, Y = rng.uniform(0.1, 1.0, (3, 3)), rng.uniform(0.0, 1.0, (2, 3))
    grads = lecture.source_gradients(W, X, Y)
    num = [gradcheck.central_difference(lambda: lecture.mse_loss(W, X, Y), w) for w in W]
    assert gradcheck.rel_error(grads, num) < gradcheck.BOUND


@pytest.mark.torch
def test_lecture_against_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is optional (extra 'torch')")
    w = lecture.to_ours(lecture.W_SOURCE)
    layers = [torch.tensor(m, dtype=torch.float64, requires_grad=True) for m in w]
    a = torch.tensor(lecture.X.T, dtype=torch.float64)
    for m in layers:
        a = torch.relu(a @ m.T)
    torch.nn.MSELoss()(a, torch.tensor(lecture.Y.T, dtype=torch.float64)).backward()
    ours = lecture.source_gradients(lecture.W_SOURCE, lecture.X, lecture.Y)
    theirs = [m.grad.numpy().T for m in layers]
    assert gradcheck.rel_error(ours, theirs) < 1e-12


# ---------------------------------------------------------------- nnfs (seed 003)

def test_nnfs_single_neuron():
    x, w, b = np.array([1.0, -2.0, 3.0]), np.array([-3.0, -1.0, 2.0]), 1.0
    n = nnfs.single_neuron(x, w, b)
    z = float(np.dot(x, w) + b)
    assert n["z"] == z and n["a"] == max(z, 0.0)
    assert n["dz"] == n["db"] == float(z > 0)
    np.testing.assert_array_equal(n["dw"], x * float(z > 0))
    np.testing.assert_array_equal(n["dx"], w * float(z > 0))


def test_nnfs_dense_layer_as_printed():
    di, dw, db = nnfs.dense_backward(nnfs.DENSE_INPUTS, nnfs.DENSE_WEIGHTS, nnfs.DENSE_DVALUES)
    assert matches_printed(di, nnfs.PUBLISHED_DINPUTS, 2)[0]
    assert matches_printed(dw, nnfs.PUBLISHED_DWEIGHTS, 1)[0]
    assert matches_printed(db, nnfs.PUBLISHED_DBIASES, 0)[0]


def test_nnfs_step_as_printed():
    W, B = nnfs.dense_relu_step(nnfs.DENSE_INPUTS, nnfs.DENSE_WEIGHTS, nnfs.DENSE_BIASES)
    assert matches_printed(W, nnfs.PUBLISHED_UPDATED_WEIGHTS, 4)[0]
    assert matches_printed(B, nnfs.PUBLISHED_UPDATED_BIASES, 3)[0]


def test_nnfs_relu_backward_as_printed():
    mask, product = nnfs.relu_backward(nnfs.RELU_Z, nnfs.RELU_DVALUES)
    assert matches_printed(mask, nnfs.PUBLISHED_RELU_MASK, 0)[0]
    assert matches_printed(product, nnfs.PUBLISHED_RELU_PRODUCT, 0)[0]


def test_nnfs_softmax_cross_entropy_chained_equals_combined():
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((6, 4))
    Y = np.eye(4)[rng.integers(0, 4, size=6)]
    chained, combined = nnfs.softmax_ce_chained(Z, Y), nnfs.softmax_ce_combined(Z, Y)
    assert gradcheck.rel_error(chained, combined) < 1e-12

    def C():
        return float(np.mean(-np.sum(Y * np.log(softmax(Z, axis=1)), axis=1)))

    assert gradcheck.rel_error(combined, gradcheck.central_difference(C, Z)) < gradcheck.BOUND


# ---------------------------------------------------------------- Coursera (seed 004)

@pytest.fixture(scope="module")
def curve_net():
    w, b = coursera.init_like_source(np.random.default_rng(4))
    x, y = coursera.curve(40)
    return w, b, x, y


def test_coursera_jacobians_are_twice_ours(curve_net):
    w, b, x, y = curve_net
    J = coursera.jacobians(w, b, x, y)
    nw, nb = batched.backprop(w, b, x, y)
    for n in (1, 2, 3):
        np.testing.assert_allclose(J[f"J_W{n}"], 2 * nw[n - 1], rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(J[f"J_b{n}"], 2 * nb[n - 1], rtol=1e-13, atol=1e-16)


def test_coursera_jacobians_pass_central_differences(curve_net):
    w, b, x, y = curve_net
    J = coursera.jacobians(w, b, x, y)

    def C():
        return coursera.cost_source(w, b, x, y)

    ours = [J[f"J_W{n}"] for n in (1, 2, 3)] + [J[f"J_b{n}"] for n in (1, 2, 3)]
    num = [gradcheck.central_difference(C, p) for p in w + b]
    assert gradcheck.rel_error(ours, num) < gradcheck.BOUND


def test_coursera_cosh_form_of_sigma_prime():
    z = np.linspace(-10, 10, 401)
    np.testing.assert_allclose(coursera.d_sigma_cosh(z), sigmoid_prime(z), rtol=1e-10)
    assert coursera.sigma_identity_gap(z) < 1e-15


def test_coursera_steepest_descent_draws_the_curve(curve_net):
    w, b, x, y = curve_net
    _, _, costs = coursera.steepest_descent(w, b, x, y, iterations=3000, step=7.0,
                                            record_every=1000)
    assert [it for it, _ in costs] == [0, 1000, 2000, 3000]
    assert costs[-1][1] < costs[0][1] / 5


# ---------------------------------------------------------------- helpers

def test_kernel_register_is_idempotent():
    path = kernel.kernel_dir() / "kernel.json"
    kernel.register()
    first = path.read_text()
    kernel.register()
    assert path.read_text() == first
    assert kernel.kernelspec()["argv"][0] in first


def test_matches_printed():
    assert printed_tolerance(3) == pytest.approx(5e-4)
    assert matches_printed([0.12345], [0.123], 3)[0]
    assert not matches_printed([0.1236], [0.123], 3)[0]
    with pytest.raises(ValueError):
        matches_printed([1.0, 2.0], [1.0], 3)


def test_animation_needs_alt_text_and_is_a_gif():
    from derivations.book.figures.notebooks import animated_gif, hidden_frames

    A = np.full((3, 4), 0.5)
    Y = np.array([[0, 0, 1, 1]])
    pngs = hidden_frames([(0, A, 0.25), (1, A * 0.9, 0.2)], Y, dpi=30)
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    tag = animated_gif(pngs, alt="two frames")
    assert tag.startswith('<img class="figure" src="data:image/gif;base64,')
    with pytest.raises(ValueError):
        animated_gif(pngs, alt=" ")
