"""Every mistake on the mistakes page fails its check; the control passes."""

import re
from pathlib import Path

import numpy as np
import pytest

from derivations import batched, gradcheck, mistakes

PAGE = Path(__file__).resolve().parents[1] / "docs" / "mistakes.md"


def test_control_passes():
    outcome = mistakes.check_correct()
    assert outcome.passed and outcome.measured < gradcheck.BOUND


@pytest.mark.parametrize("key,check", [(k, c) for k, _, c in mistakes.MISTAKES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_mistake_fails(key, check, seed):
    outcome = check(seed)
    assert not outcome.passed, key
    assert "FAILS" in mistakes.report(outcome) or key == "exact-equality"


def test_lost_factor_two_is_exactly_half():
    # the wrong gradient is half the right one, so the relative error is 1/2
    assert mistakes.check_lost_factor_two().measured == pytest.approx(0.5, rel=1e-6)


def test_n_twice_error_is_one_minus_one_over_n():
    _, _, X, _ = mistakes.problem()
    N = X.shape[1]
    assert mistakes.check_n_twice().measured == pytest.approx(1 - 1 / N, rel=1e-6)


def test_exact_equality_fails_only_the_comparison():
    outcome = mistakes.check_exact_equality()
    assert outcome.passed is False                   # np.array_equal says "different"
    assert outcome.measured < 1e-12                  # the gradients agree to rounding
    weights, biases, X, Y = mistakes.problem(N=64)
    nw, nb = batched.backprop(weights, biases, X, Y)
    loop = mistakes.per_example_mean(weights, biases, X, Y)
    assert all(np.allclose(p, q, rtol=1e-12, atol=1e-15) for p, q in zip(nw + nb, loop))


def test_forward_differences_fail_where_central_pass():
    forward = mistakes.check_forward_difference()
    central = mistakes.check_correct()
    assert forward.measured > gradcheck.BOUND > central.measured
    # and the forward error shrinks in proportion to eps: it is truncation, not a bug
    smaller = mistakes.check_forward_difference(eps=1e-7)
    assert smaller.measured < forward.measured / 3


def test_missing_transpose_raises_on_non_square_layers():
    weights, biases, X, Y = mistakes.problem(sizes=[3, 4, 2])
    form = mistakes.altered_form(batched, bp2=mistakes._bp2_no_transpose)
    with pytest.raises(ValueError):
        mistakes.run_form(form, weights, biases, X, Y)


def test_wrong_bp4_order_has_the_transposed_shape():
    weights, biases, X, Y = mistakes.problem(sizes=[3, 4, 2])
    form = mistakes.altered_form(batched, bp4=mistakes._bp4_wrong_order)
    grads = mistakes.run_form(form, weights, biases, X, Y)
    assert [g.shape for g in grads[:2]] == [w.T.shape for w in weights]


def test_page_has_a_section_and_an_executed_check_per_mistake():
    text = PAGE.read_text(encoding="utf-8")
    for key, heading, check in mistakes.MISTAKES:
        assert re.search(rf"^## {re.escape(heading)} \{{ #{key} \}}$", text, re.M), key
        assert f"print(report({check.__name__}()))" in text, key
    assert "print(report(check_correct()))" in text
