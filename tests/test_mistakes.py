"""The mistakes catalogue: every variant runs and is wrong; the page shows each one failing."""

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from derivations import FORMS, algorithm, batched, gradcheck, index, mistakes, vectorized
from derivations.check import in_layout, make_case

PAGE = Path(__file__).resolve().parents[1] / "docs" / "mistakes.md"

#: The ids the diagnoser (issue 11) names; they must stay stable.
IDS = ["sigma_prime_of_a", "missing_sigma_prime", "wrong_layer_sigma_prime", "missing_transpose",
       "transposed_gradient", "wrong_activation_in_bp4", "factor_two", "sign_flip",
       "missing_batch_mean", "batch_mean_twice", "bias_not_reduced", "missing_sum",
       "return_order", "weights_in_by_out"]
CONVENTIONS = {"return_order", "weights_in_by_out"}
PAIRS = [(m.id, f) for m in mistakes.CATALOGUE.values() for f in m.forms]


def _flat(nabla_w, nabla_b):
    return np.concatenate([np.ravel(g) for g in list(nabla_w) + list(nabla_b)])


def _square_case(form, seed):
    """A sigmoid network, square so that every variant runs, in ``form``'s layout."""
    sizes = [1, 1, 1, 1] if form == "scalar" else [3, 3, 3, 3]
    N = 4 if form in ("batched", "rowmajor") else 1
    return in_layout(FORMS[form].FORM, make_case(sizes, N, "sigmoid", "quadratic", seed))


def test_the_catalogue_has_the_stable_ids():
    assert sorted(mistakes.CATALOGUE) == sorted(IDS)
    for key, m in mistakes.CATALOGUE.items():
        assert m.id == key and m.title and m.description
        assert set(m.equations) <= {"BP1", "BP2", "BP3", "BP4"}
        assert bool(m.equations) == (key not in CONVENTIONS)
        assert set(m.forms) <= set(FORMS)


@pytest.mark.parametrize(("mistake_id", "form"), PAIRS, ids=[f"{i}-{f}" for i, f in PAIRS])
@pytest.mark.parametrize("seed", [0, 1])
def test_each_variant_runs_and_is_wrong(mistake_id, form, seed):
    m = mistakes.CATALOGUE[mistake_id]
    args = _square_case(form, seed)
    right = FORMS[form].backprop(*args)
    got = m.backprop(FORMS[form].FORM, *args)
    if mistake_id == "bias_not_reduced":                  # not even the right shape
        assert [g.shape for g in got[1]] != [g.shape for g in right[1]]
        return
    if mistake_id == "return_order":
        assert _flat(*got[::-1]).tolist() == _flat(*right).tolist()
    elif mistake_id == "weights_in_by_out":
        assert [g.T.tolist() for g in got[0]] == [g.tolist() for g in right[0]]
    assert gradcheck.rel_error(_flat(*got), _flat(*right)) > 1e-3


@pytest.mark.parametrize("mistake_id", sorted(set(IDS) - CONVENTIONS))
def test_the_first_equation_it_names_is_the_first_one_wrong(mistake_id):
    """δᴸ is wrong first for BP1 mistakes, a hidden δ for BP2, nabla_b for BP3, nabla_w for BP4."""
    m = mistakes.CATALOGUE[mistake_id]
    form = "batched" if "batched" in m.forms else "index"
    args = _square_case(form, 3)
    right = FORMS[form].backprop_trace(*args)
    t = m.trace(FORMS[form].FORM, *args)
    L = len(args[0])

    def differs(a, b):
        return np.shape(a) != np.shape(b) or not np.allclose(a, b, rtol=1e-12, atol=0)

    wrong = {"BP1": differs(t.delta[L], right.delta[L]),
             "BP2": any(differs(t.delta[l], right.delta[l]) for l in range(1, L)),
             "BP3": any(differs(t.nabla_b[l], right.nabla_b[l]) for l in range(1, L + 1)),
             "BP4": any(differs(t.nabla_w[l], right.nabla_w[l]) for l in range(1, L + 1))}
    first = next(eq for eq in ("BP1", "BP2", "BP3", "BP4") if wrong[eq])
    assert first == m.equations[0]


def test_an_equation_variant_is_the_form_with_that_equation_swapped():
    m = mistakes.CATALOGUE["missing_sigma_prime"]
    both, only_bp2 = m.form(batched.FORM), m.form(batched.FORM, equation="BP2")
    assert both.bp1 is mistakes.bp1_without_sigma_prime
    assert only_bp2.bp1 is batched.bp1 and only_bp2.bp2 is mistakes.bp2_without_sigma_prime
    assert only_bp2 == replace(batched.FORM, bp2=mistakes.bp2_without_sigma_prime)
    assert mistakes.CATALOGUE["sign_flip"].form(batched.FORM) == batched.FORM


@pytest.mark.parametrize("mistake_id", ["sigma_prime_of_a", "missing_sigma_prime"])
def test_a_mistake_made_in_one_equation_leaves_the_other(mistake_id):
    m = mistakes.CATALOGUE[mistake_id]
    args = _square_case("vectorized", 4)
    right = vectorized.backprop_trace(*args)
    in_bp2 = m.trace(vectorized.FORM, *args, equation="BP2")
    in_bp1 = m.trace(vectorized.FORM, *args, equation="BP1")
    np.testing.assert_array_equal(in_bp2.delta[3], right.delta[3])    # δᴸ right
    assert not np.allclose(in_bp2.delta[2], right.delta[2])
    assert not np.allclose(in_bp1.delta[3], right.delta[3])
    bp1_only = m.form(vectorized.FORM, "BP1")
    np.testing.assert_array_equal(                                    # BP2 itself right
        bp1_only.bp2(args[0][2], in_bp1.delta[3], np.full((3, 1), 0.2)),
        vectorized.bp2(args[0][2], in_bp1.delta[3], np.full((3, 1), 0.2)))


def test_a_variant_outside_its_forms_is_refused():
    args = _square_case("vectorized", 0)
    with pytest.raises(ValueError, match="missing_sum.*not to 'vectorized'"):
        mistakes.CATALOGUE["missing_sum"].trace(vectorized.FORM, *args)


def test_missing_transpose_raises_on_non_square_layers():
    weights, biases, X, Y = mistakes.problem(sizes=[3, 4, 2])
    with pytest.raises(ValueError):
        mistakes.CATALOGUE["missing_transpose"].trace(batched.FORM, weights, biases, X, Y)


def test_transposed_gradient_has_the_transposed_shape():
    weights, biases, X, Y = mistakes.problem(sizes=[3, 4, 2])
    nabla_w, _ = mistakes.CATALOGUE["transposed_gradient"].backprop(batched.FORM, weights,
                                                                    biases, X, Y)
    assert [g.shape for g in nabla_w] == [w.T.shape for w in weights]


def test_index_variants_agree_with_the_vectorized_ones():
    args = _square_case("index", 5)
    for key in ("missing_transpose", "transposed_gradient", "missing_sigma_prime"):
        m = mistakes.CATALOGUE[key]
        np.testing.assert_allclose(_flat(*m.backprop(index.FORM, *args)),
                                   _flat(*m.backprop(vectorized.FORM, *args)), rtol=1e-13)


def test_variants_run_in_the_generic_algorithm():
    args = _square_case("vectorized", 2)
    m = mistakes.CATALOGUE["missing_transpose"]
    direct = algorithm.backprop_trace(m.form(vectorized.FORM), *args)
    np.testing.assert_array_equal(_flat(direct.nabla_w[1:], direct.nabla_b[1:]),
                                  _flat(*m.backprop(vectorized.FORM, *args)))


# ---------------------------------------------------------------- the page

def test_control_passes():
    outcome = mistakes.correct()
    assert outcome.passed and outcome.measured < gradcheck.BOUND


@pytest.mark.parametrize("section", mistakes.SECTIONS, ids=lambda s: s.anchor)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_section_fails_its_check(section, seed):
    assert section.fails(seed), section.anchor
    outcome = section.show(seed)
    if isinstance(outcome, mistakes.Outcome):
        assert "FAILS" in mistakes.report(outcome) or section.anchor == "exact-equality"
    else:                                   # what the diagnoser says: the mistake, named
        assert outcome.mistake == next(m.id for m in mistakes.CATALOGUE.values()
                                       if m.anchor == section.anchor)


def test_factor_two_is_exactly_a_factor_two():
    # the wrong gradient is twice the right one, so the relative error is 1/2
    assert mistakes.demonstrate("factor_two").measured == pytest.approx(0.5, rel=1e-6)


def test_a_flipped_sign_is_exactly_a_relative_error_of_two():
    assert mistakes.demonstrate("sign_flip").measured == pytest.approx(2.0, rel=1e-6)


@pytest.mark.parametrize("mistake_id", ["batch_mean_twice", "missing_batch_mean"])
def test_a_factor_n_is_a_relative_error_of_one_minus_one_over_n(mistake_id):
    _, _, X, _ = mistakes.problem()
    N = X.shape[1]
    assert mistakes.demonstrate(mistake_id).measured == pytest.approx(1 - 1 / N, rel=1e-6)


def test_exact_equality_fails_only_the_comparison():
    outcome = mistakes.exact_equality()
    assert outcome.passed is False                   # np.array_equal says "different"
    assert outcome.measured < 1e-12                  # the gradients agree to rounding
    weights, biases, X, Y = mistakes.problem(N=64)
    nw, nb = batched.backprop(weights, biases, X, Y)
    loop = mistakes.per_example_mean(weights, biases, X, Y)
    assert all(np.allclose(p, q, rtol=1e-12, atol=1e-15) for p, q in zip(nw + nb, loop))


def test_forward_differences_fail_where_central_pass():
    forward = mistakes.forward_differences()
    central = mistakes.correct()
    assert forward.measured > gradcheck.BOUND > central.measured
    # and the forward error shrinks in proportion to eps: it is truncation, not a bug
    smaller = mistakes.forward_differences(eps=1e-7)
    assert smaller.measured < forward.measured / 3


def test_page_has_a_section_and_an_executed_check_per_mistake():
    text = PAGE.read_text(encoding="utf-8")
    for section in mistakes.SECTIONS:
        assert re.search(rf"^## {re.escape(section.heading)} \{{ #{section.anchor} \}}$",
                         text, re.M), section.anchor
        assert f"print({section.printed})" in text, section.anchor
    assert "print(report(correct()))" in text


def test_every_mistake_in_the_catalogue_is_a_section_of_the_page():
    anchors = {s.anchor for s in mistakes.SECTIONS}
    for m in mistakes.CATALOGUE.values():
        assert m.anchor in anchors, m.id
        assert m.change and m.fix, m.id


def test_every_problem_id_has_a_section_of_the_page():
    """The diagnoser's ids for what is not an equation's slip link to sections that exist."""
    text = PAGE.read_text(encoding="utf-8")
    for p in mistakes.PROBLEMS.values():
        assert re.search(rf"^### {re.escape(p.title)} \{{ #{p.anchor} \}}$", text, re.M), p.id
        assert f"Id `{p.id}`" in text, p.id
    assert not set(mistakes.PROBLEMS) & set(mistakes.CATALOGUE)
