"""Figures of chapters 8 and 9: alt text required, same bytes every time."""

import re

import numpy as np
import pytest

from derivations.book.figures import to_img
from derivations.book.figures.checking import error_vs_eps, error_vs_eps_figure
from derivations.book.figures.training import loss_figure
from derivations.gradcheck import BOUND, EPS
from derivations.network import init_params
from derivations.training import disc_data, sgd

SMALL_EPS = np.logspace(-10, -2, 5)


def _curves():
    return error_vs_eps(eps=SMALL_EPS)


def _training_figure():
    X, Y = disc_data(40, np.random.default_rng(0))
    names = dict(activation="tanh", cost="cross_entropy", output_activation="sigmoid")
    histories = {}
    for bs in (5, 40):
        w, b = init_params([2, 4, 1], np.random.default_rng(1))
        histories[f"batch size {bs}"] = sgd(w, b, X, Y, epochs=3, batch_size=bs, eta=0.5,
                                            rng=np.random.default_rng(2), **names)
    return loss_figure(histories, X, Y, "batch size 5", "tanh", "sigmoid")


FIGURES = {"error_vs_eps": lambda: error_vs_eps_figure(_curves()),
           "loss": _training_figure}


@pytest.mark.parametrize("name", FIGURES)
def test_figure_needs_alt_text(name):
    with pytest.raises(ValueError, match="alt text"):
        to_img(FIGURES[name](), alt="  ")


@pytest.mark.parametrize("name", FIGURES)
def test_figure_has_alt_text_and_is_deterministic(name):
    first = to_img(FIGURES[name](), alt="a figure")
    second = to_img(FIGURES[name](), alt="a figure")
    assert re.search(r'alt="a figure"', first)
    assert first == second


def test_central_float64_beats_the_bound_at_the_policy_eps():
    curves = error_vs_eps(eps=np.array([EPS]))
    assert curves.errors["central, float64"][0] < BOUND
    assert curves.errors["forward, float64"][0] > BOUND


def test_float32_needs_a_larger_eps():
    curves = _curves()
    eps64, _ = curves.best("central, float64")
    eps32, err32 = curves.best("central, float32")
    assert eps32 > eps64
    assert err32 > BOUND
    # at tiny ε, θ + ε rounds back to θ in float32: the estimate is 0, error 1
    assert curves.errors["central, float32"][0] == pytest.approx(1.0)
