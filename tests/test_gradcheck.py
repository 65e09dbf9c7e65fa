"""The checking tools themselves: they pass right gradients and catch wrong ones."""

import numpy as np
import pytest

from derivations import batched
from derivations.gradcheck import directional_check, rel_error
from derivations.network import init_params


def test_rel_error_basics():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error([np.ones(2), None], [np.ones(2)]) == 0.0
    assert rel_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2))
    with pytest.raises(ValueError, match="cannot compare"):
        rel_error(np.ones(2), np.ones(3))


def _big():
    rng = np.random.default_rng(2)
    w, b = init_params([100, 60, 30, 10], rng)
    return w, b, rng.standard_normal((100, 16)), rng.random((10, 16)), rng


def test_directional_check_passes_backprop_on_a_large_network():
    w, b, X, Y, rng = _big()
    assert directional_check(batched.backprop, w, b, X, Y, rng) < 1e-7


def test_directional_check_catches_a_one_percent_error():
    w, b, X, Y, rng = _big()

    def wrong(*args):
        nw, nb = batched.backprop(*args)
        return [g * 1.01 for g in nw], nb

    assert directional_check(wrong, w, b, X, Y, rng) > 1e-3
