"""Figures of chapters 1–5: each returns a Figure, has alt text, and repeats exactly."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from derivations import scalar
from derivations.book.figures import to_img
from derivations.book.figures.index_form import fanout_alt, fanout_diagram
from derivations.book.figures.scalar_chain import (
    chain_alt,
    chain_diagram,
    cost_of_weight,
    cost_vs_weight,
    cost_vs_weight_alt,
    slope_of_weight,
)
from derivations.book.figures.vectorized_form import shapes_alt, shapes_diagram
from derivations.gradcheck import BOUND

EXAMPLE = ([0.8, -1.3, 1.6], [0.2, 0.5, -0.4], 0.9, 0.2)

FIGURES = {
    "chain": (chain_diagram, chain_alt, {"L": 3}),
    "cost_vs_weight": (cost_vs_weight, cost_vs_weight_alt,
                       dict(zip(("ws", "bs", "x", "y"), EXAMPLE, strict=True), layer=2)),
    "fanout": (fanout_diagram, fanout_alt, {"n_l": 3, "n_next": 4, "k": 1}),
    "shapes": (shapes_diagram, shapes_alt, {"n_prev": 3, "n_l": 4, "n_next": 2}),
}


@pytest.mark.parametrize("name", FIGURES)
def test_figure_function_returns_a_figure(name):
    make, _, kwargs = FIGURES[name]
    fig = make(**kwargs)
    try:
        assert isinstance(fig, Figure)
        assert fig.axes, "the figure draws something"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", FIGURES)
def test_figure_has_alt_text_and_embeds(name):
    make, alt, kwargs = FIGURES[name]
    text = alt(**kwargs)
    assert isinstance(text, str) and len(text.split()) >= 15
    tag = to_img(make(**kwargs), alt=text)
    assert tag.startswith("<img") and 'alt="' in tag


def test_to_img_refuses_missing_alt_text():
    fig = chain_diagram()
    with pytest.raises(ValueError, match="alt text"):
        to_img(fig, alt="  ")
    plt.close(fig)


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_deterministic(name):
    make, alt, kwargs = FIGURES[name]
    first = to_img(make(**kwargs), alt=alt(**kwargs))
    second = to_img(make(**kwargs), alt=alt(**kwargs))
    assert first == second


def test_tangent_slope_is_bp4_and_matches_the_curve():
    ws, bs, x, y = EXAMPLE
    slope = slope_of_weight(ws, bs, x, y, layer=2)
    nabla_w, _ = scalar.backprop(ws, bs, x, y)
    assert slope == nabla_w[1]
    eps = 1e-6
    c_plus, c_minus = cost_of_weight(ws, bs, x, y, 2, [ws[1] + eps, ws[1] - eps])
    numeric = (c_plus - c_minus) / (2 * eps)
    assert abs(numeric - slope) / max(abs(numeric), abs(slope)) < BOUND


def test_cost_of_weight_leaves_the_parameters_alone():
    ws, bs, x, y = EXAMPLE
    before = list(ws)
    values = cost_of_weight(ws, bs, x, y, 1, np.linspace(-1, 1, 5))
    assert ws == before and values.shape == (5,)


@pytest.mark.parametrize("make, kwargs", [
    (chain_diagram, {"L": 0}),
    (fanout_diagram, {"n_l": 3, "k": 3}),
    (shapes_diagram, {"n_prev": 2, "n_l": 4, "n_next": 2}),
])
def test_bad_arguments_raise(make, kwargs):
    with pytest.raises(ValueError):
        make(**kwargs)
