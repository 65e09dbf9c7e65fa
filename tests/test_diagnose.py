"""The diagnoser: every catalogued mistake named, right code passed, nothing crashes.

* every catalogue variant, in every form and equation it can be made in, is
  diagnosed as itself, on two sets of networks (seeds);
* the variants' results differ from each other and from the right result
  (the fingerprints are distinct), except the ties the diagnoser resolves;
* right code in other styles passes; code written from scratch with a slip
  gets the slip's name; an unrelated error is "unknown" in the right equation;
* whatever the reader's function does (raise, return None or the wrong
  things, NaN, change its arguments), the answer is a Diagnosis;
* bp1…bp4 are checked one by one;
* the command line: exit codes, --json, files that cannot be loaded.
"""

import dataclasses
import itertools
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import reader_code

from derivations import FORMS, algorithm, diagnose
from derivations.diagnose import Diagnosis, _Check, _same
from derivations.mistakes import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [(form, m.id, eq) for form in FORMS for m, eq in diagnose.candidates(form)]
SEEDS = [0, 10]


def variant(mistake_id, form, equation=None, **names):
    """The catalogue's variant as a reader's backprop(weights, biases, x, y)."""
    m = CATALOGUE[mistake_id]
    return lambda w, b, x, y: m.backprop(FORMS[form].FORM, w, b, x, y, equation=equation,
                                         **names)


def said(d):
    """The message with its lines joined: what it says, however it is wrapped."""
    return " ".join(d.message.split())


def expected(mistake_id, equation):
    m = CATALOGUE[mistake_id]
    return (equation or m.equations[0]) if m.equations else None


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("form", "mistake_id", "equation"), PAIRS,
                         ids=[f"{f}-{i}-{e or 'all'}" for f, i, e in PAIRS])
def test_every_variant_is_diagnosed_as_itself(form, mistake_id, equation, seed):
    d = diagnose.backprop(variant(mistake_id, form, equation), form=form, seed=seed)
    if (mistake_id, equation) == ("missing_sigma_prime", "BP1"):
        # δᴸ = a − y is right for a sigmoid output with the cross-entropy cost: that is
        # said first, then the mistake it is with the quadratic cost asked for
        assert d.message.startswith("Your gradients are right for --cost cross_entropy")
    assert (d.ok, d.equation, d.mistake) == (False, expected(mistake_id, equation),
                                             mistake_id), d.message
    assert f"mistakes/#{CATALOGUE[mistake_id].anchor}" in said(d)


def test_every_catalogue_id_can_be_diagnosed_in_every_form_it_names():
    covered = {(form, i) for form, i, _ in PAIRS}
    assert covered == {(f, m.id) for m in CATALOGUE.values() for f in m.forms}
    assert {i for _, i in covered} == set(CATALOGUE)


@pytest.mark.parametrize(("activation", "cost"), [("tanh", "quadratic"),
                                                  ("sigmoid", "cross_entropy")])
@pytest.mark.parametrize("form", ["vectorized", "rowmajor"])
def test_variants_are_named_with_other_activations_and_costs(form, activation, cost):
    for m, eq in diagnose.candidates(form):
        names = dict(activation=activation, cost=cost)
        d = diagnose.backprop(variant(m.id, form, eq, **names), form=form, **names)
        if cost == "cross_entropy" and eq is None and m.id in ("sigma_prime_of_a",
                                                                 "missing_sigma_prime"):
            eq = "BP2"       # σ′ cancels in BP1: only the BP2 half of the mistake shows
        if cost == "cross_entropy" and eq == "BP1" and m.id in ("sigma_prime_of_a",
                                                                 "missing_sigma_prime"):
            assert d.ok, d.message    # not a mistake at all with this output and cost
            continue
        assert (d.equation, d.mistake) == (expected(m.id, eq), m.id), d.message


SETTINGS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
            ("sigmoid", "cross_entropy")]


@pytest.mark.parametrize(("activation", "cost"), SETTINGS)
@pytest.mark.parametrize("form", list(FORMS))
def test_fingerprints_are_distinct(form, activation, cost):
    """No two variants give the same result on the test networks, and none the right one.

    The one kind of tie: a mistake made everywhere against the same mistake made
    in BP2 alone, when the output layer's σ′ is invisible (cross-entropy cancels
    it, a ReLU output has σ′ = 1 where it is active).  The diagnoser names the
    mistake either way and reports the narrower equation (test above).
    """
    check = _Check(form, activation, cost, None, 0)
    for square in ([False] if form == "scalar" else [False, True]):
        runs = check.variants(square)
        for (a, ea), (b, eb) in itertools.combinations(runs, 2):
            tie = all(_same(p[1], q[1]) for p, q in zip(runs[a, ea], runs[b, eb]))
            assert not tie or (a == b and None in (ea, eb) and "BP2" in (ea, eb)), (a, ea, b, eb)
        for results in runs.values():
            assert not all(_same(p, net.truth) for (_, p), net in zip(results,
                                                                       check.nets(square)))
    if activation == "sigmoid" and cost == "quadratic":
        # with the defaults, every variant shows on one of the two kinds of network
        seen = set(check.variants(False)) | set(check.variants(True) if form != "scalar"
                                                else ())
        assert seen == {(m.id, eq) for m, eq in diagnose.candidates(form)}


def test_the_test_networks_have_layers_of_different_widths():
    for sizes in diagnose.SIZES:
        assert len(set(sizes)) == len(sizes)
        assert diagnose.BATCH not in sizes
    assert diagnose.SQUARE_BATCH not in diagnose.SQUARE


# ---------------------------------------------------------------- readers' code


CORRECT = [(form, fn) for form, fns in reader_code.CORRECT.items() for fn in fns]


@pytest.mark.parametrize(("form", "fn"), CORRECT, ids=[f"{f}-{fn.__name__}" for f, fn in CORRECT])
def test_right_code_in_other_styles_passes(form, fn):
    d = diagnose.backprop(fn, form=form)
    assert d.ok and d.equation is None and d.mistake is None, d.message
    assert d.message.startswith("Correct")


@pytest.mark.parametrize(("fn", "form", "equation", "mistake"), reader_code.SLIPS,
                         ids=[s[0].__name__ for s in reader_code.SLIPS])
def test_slips_written_from_scratch_are_named(fn, form, equation, mistake):
    d = diagnose.backprop(fn, form=form)
    assert (d.ok, d.equation, d.mistake) == (False, equation, mistake), d.message


@pytest.mark.parametrize("form", list(FORMS))
def test_an_unrelated_error_is_unknown_in_the_right_equation(form):
    """δ scaled by 0.9 in BP2: wrong, in BP2, matching nothing in the catalogue."""
    base = FORMS[form].FORM
    scaled = replace(base, bp2=lambda *args: 0.9 * base.bp2(*args))
    d = diagnose.backprop(lambda w, b, x, y: algorithm.backprop(scaled, w, b, x, y), form=form)
    assert (d.ok, d.equation, d.mistake) == (False, "BP2", "unknown"), d.message
    assert "0.9 times the right one" in said(d)


def test_the_missing_transpose_is_explained_as_a_product_and_its_shapes():
    d = diagnose.backprop(reader_code.no_transpose)
    assert d.mistake == "missing_transpose"
    assert "`weights[l] @ delta` multiplies (2, 4) @ (2, 1)" in said(d)
    assert "line" in said(d) and "reader_code.py" in said(d)
    assert "all 4 wide" in said(d)


def test_messages_say_what_the_result_equals_and_measure_the_error():
    d = diagnose.backprop(variant("sigma_prime_of_a", "vectorized", "BP2"))
    assert "Your BP2 equals the correct BP2 with σ′(aˡ) in place of σ′(zˡ)" in said(d)
    assert "relative error of" in said(d) and "bound is 1e-07" in said(d)
    assert "mistakes/#sigma-at-a" in said(d)


@pytest.mark.parametrize("mistake_id", ["return_order", "weights_in_by_out"])
def test_conventions_are_not_ok_and_say_the_gradients_are_right(mistake_id):
    d = diagnose.backprop(variant(mistake_id, "batched"), form="batched")
    assert (d.ok, d.equation, d.mistake) == (False, None, mistake_id)
    assert d.message.startswith("Your gradients are right, but returned")


def test_a_convention_and_a_wrong_equation_report_the_equation():
    m = CATALOGUE["factor_two"]

    def both(w, b, x, y):
        nabla_w, nabla_b = m.backprop(FORMS["vectorized"].FORM, w, b, x, y)
        return nabla_b, nabla_w

    d = diagnose.backprop(both)
    assert (d.equation, d.mistake) == ("BP1", "factor_two"), d.message
    assert d.message.startswith("Your gradients are returned in Nielsen's order")


# ---------------------------------------------------------------- robustness


def _right(w, b, x, y):
    return FORMS["vectorized"].backprop(w, b, x, y)


def _raises(w, b, x, y):
    raise KeyError("oops")


def _exits(w, b, x, y):
    sys.exit(3)


def _changes_weights(w, b, x, y):
    w[0] *= 2
    return _right(w, b, x, y)


def _changes_x_only(w, b, x, y):
    grads = _right(w, b, x, y)
    x += 1
    return grads


def _prints(w, b, x, y):
    print("debugging output")
    return _right(w, b, x, y)


ROBUST = {
    "raises": (_raises, None, "KeyError: 'oops'"),
    "calls sys.exit": (_exits, None, "SystemExit"),
    "returns None": (lambda w, b, x, y: None, None, "returns None"),
    "returns three values": (lambda w, b, x, y: (*_right(w, b, x, y), 1), None, "3 values"),
    "returns a dict": (lambda w, b, x, y: {"w": 1}, None, "returns a dict"),
    "too few layers": (lambda w, b, x, y: tuple(g[1:] for g in _right(w, b, x, y)), None,
                       "with 2 entries"),
    "text-indexed lists": (lambda w, b, x, y: tuple([None, *g] for g in _right(w, b, x, y)),
                           None, "the first None"),
    "strings": (lambda w, b, x, y: (["a"] * 3, ["b"] * 3), None, "not numbers"),
    "flattened arrays": (lambda w, b, x, y: ([g.ravel() for g in _right(w, b, x, y)[0]],
                                             _right(w, b, x, y)[1]), "BP4",
                         "the right numbers, in the wrong shapes"),
    "NaN": (lambda w, b, x, y: (_right(w, b, x, y)[0], [g * np.nan for g in
                                                         _right(w, b, x, y)[1]]), "BP3",
            "NaN"),
    "too few parameters": (lambda x, y: None, None, "parameters are (x, y)"),
    # the doubled weights[0] feed the forward pass: the activations are not the network's
    "changes weights": (_changes_weights, None,
                        "changes its arguments in place (the array weights[0])"),
    "changes x, right gradients": (_changes_x_only, None,
                                   "changes its arguments in place (the array x)"),
}


#: The stable ids of what is not a slip in an equation (mistakes.PROBLEMS); else "unknown".
ROBUST_IDS = {"raises": "raises", "calls sys.exit": "raises", "returns None": "returns_none",
              "too few parameters": "signature", "changes x, right gradients": "modifies_input"}


@pytest.mark.parametrize("case", list(ROBUST))
def test_whatever_the_function_does_the_answer_is_a_diagnosis(case):
    fn, equation, text = ROBUST[case]
    d = diagnose.backprop(fn)
    assert isinstance(d, Diagnosis) and not d.ok, d.message
    assert d.equation == equation and d.mistake == ROBUST_IDS.get(case, "unknown"), d.message
    assert text in said(d)
    if d.mistake != "unknown":
        from derivations.mistakes import PROBLEMS

        assert diagnose.link(f"mistakes/#{PROBLEMS[d.mistake].anchor}") in said(d)


def test_the_reader_s_prints_are_not_shown(capsys):
    assert diagnose.backprop(_prints).ok
    assert "debugging output" not in capsys.readouterr().out


def test_arguments_that_are_not_a_function_or_a_form_are_refused():
    with pytest.raises(TypeError, match="fn must be a function"):
        diagnose.backprop(42)
    with pytest.raises(ValueError, match="form must be one of"):
        diagnose.backprop(_right, form="matrix")
    with pytest.raises(ValueError, match="activation"):
        diagnose.backprop(_right, activation="swish")
    with pytest.raises(diagnose.CannotCheck, match="none of bp1"):
        diagnose.equations({})


def test_code_that_is_right_only_on_square_layers_is_told_so():
    def square_only(w, b, x, y):
        grads = _right(w, b, x, y)
        return [np.zeros((w[0].shape[0], w[0].shape[0])) + g if i == 0 else g
                for i, g in enumerate(grads[0])], grads[1]

    d = diagnose.backprop(square_only)
    assert not d.ok and d.mistake == "raises"
    assert "all 4 wide it runs and is right" in said(d)


# ---------------------------------------------------------------- bp1…bp4


@pytest.mark.parametrize("form", list(FORMS))
def test_the_package_s_own_equations_pass(form):
    d = diagnose.equations(FORMS[form], form=form)
    assert d.ok, d.message


SWAPS = [(form, m.id, eq) for form in FORMS for m, eq in diagnose.candidates(form)
         if m.swaps and form in m.swaps]


@pytest.mark.parametrize(("form", "mistake_id", "equation"), SWAPS,
                         ids=[f"{f}-{i}-{e or 'all'}" for f, i, e in SWAPS])
def test_equation_variants_are_diagnosed_one_function_at_a_time(form, mistake_id, equation):
    swapped = CATALOGUE[mistake_id].form(FORMS[form].FORM, equation)
    functions = {name: getattr(swapped, name) for name in ("bp1", "bp2", "bp3", "bp4")}
    d = diagnose.equations(functions, form=form)
    assert (d.equation, d.mistake) == (expected(mistake_id, equation), mistake_id), d.message


@pytest.mark.parametrize(("k", "mistake_id"), [(2.0, "factor_two"), (-1.0, "sign_flip")])
def test_a_bp1_with_a_scaled_gradient_is_named(k, mistake_id):
    d = diagnose.equations({"bp1": lambda nabla_a, sp: k * nabla_a * sp}, form="batched")
    assert (d.equation, d.mistake) == ("BP1", mistake_id), d.message


def test_a_stub_is_not_written_yet_and_the_others_are_checked():
    def bp2(w_next, delta_next, sp):
        raise NotImplementedError("BP2: your code here")

    vec = FORMS["vectorized"]
    d = diagnose.equations({"bp1": vec.bp1, "bp2": bp2, "bp3": vec.bp3,
                            "bp4": lambda a, d: 0.9 * vec.bp4(a, d)})
    assert (d.ok, d.equation, d.mistake) == (False, "BP2", "unknown")
    assert d.message.startswith("BP2 is not written yet")
    assert "Status: bp1: right, bp2: not written yet, bp3: right, bp4: wrong." in said(d)


def test_an_equation_that_changes_its_input_is_told_so():
    def bp2(w_next, delta_next, sp):
        delta_next *= 1.0
        sp *= 2
        return (w_next.T @ delta_next) * sp

    d = diagnose.equations({"bp2": bp2})
    assert d.equation == "BP2" and "changes its arguments in place (the array sp)" in said(d)


def test_an_equation_with_a_shape_error_is_explained_and_matched():
    d = diagnose.equations({"bp2": lambda w_next, delta_next, sp: (w_next @ delta_next) * sp})
    assert (d.equation, d.mistake) == ("BP2", "missing_transpose"), d.message
    assert "`w_next @ delta_next` multiplies" in said(d)


def test_diagnosis_has_exactly_four_fields_and_prints_its_message():
    d = diagnose.backprop(_right)
    assert [f.name for f in dataclasses.fields(d)] == ["ok", "equation", "mistake", "message"]
    assert str(d) == d.message
    assert json.loads(d.to_json()) == dataclasses.asdict(d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.ok = False


def test_links_can_be_absolute(monkeypatch):
    monkeypatch.setenv("DERIVATIONS_SITE_URL", "https://example.org/book/")
    d = diagnose.backprop(variant("factor_two", "vectorized"))
    assert "https://example.org/book/mistakes/#factor-two" in said(d)
    assert "on the site" not in said(d)


def test_links_are_full_addresses_under_mkdocs_site_url(monkeypatch):
    """Clickable in a terminal: the default base is mkdocs.yml's site_url, and a link ends
    its line (no period glued to the address)."""
    monkeypatch.delenv("DERIVATIONS_SITE_URL", raising=False)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f'site_url: !ENV [SITE_URL, "{diagnose.SITE_URL}"]' in config
    d = diagnose.backprop(variant("factor_two", "vectorized"))
    lines = [line for line in d.message.splitlines() if "http" in line]
    assert lines and all(line.rstrip().split()[-1].startswith(diagnose.SITE_URL)
                         for line in lines), d.message
    assert f"{diagnose.SITE_URL}mistakes/#factor-two" in said(d)


def test_every_link_in_a_message_resolves_in_the_built_site(site_dir):
    """The Common mistakes sections and the forms' equation headings the messages point to."""
    from bs4 import BeautifulSoup

    def ids(page):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        return {tag["id"] for tag in BeautifulSoup(html, "html.parser").find_all(id=True)}

    mistakes = ids("mistakes")
    assert {m.anchor for m in CATALOGUE.values()} <= mistakes
    for form, page in diagnose.PAGES.items():
        assert {f"bp{i}-{form}" for i in range(1, 5)} <= ids(page), form


# ---------------------------------------------------------------- the command line


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "derivations", "diagnose", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


RIGHT_FILE = '''
import numpy as np

def backprop(weights, biases, x, y):
    s = [x]
    for w, b in zip(weights, biases):
        s.append(1 / (1 + np.exp(-(w @ s[-1] + b))))
    delta = (s[-1] - y) * s[-1] * (1 - s[-1])
    nabla_w, nabla_b = [], []
    for l in range(len(weights), 0, -1):
        nabla_w.insert(0, delta @ s[l - 1].T)
        nabla_b.insert(0, delta)
        delta = (weights[l - 1].T @ delta) * s[l - 1] * (1 - s[l - 1])
    return nabla_w, nabla_b

if __name__ == "__main__":
    raise SystemExit("the check must not run this")
'''


def test_cli_exit_codes_and_json(tmp_path):
    right = tmp_path / "right.py"
    right.write_text(RIGHT_FILE, encoding="utf-8")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(RIGHT_FILE.replace("s[l - 1] * (1 - s[l - 1])\n    return",
                                        "s[l] * (1 - s[l])\n    return")
                     .replace("delta = (weights[l - 1].T @ delta) * s[l - 1] * (1 - s[l - 1])",
                              "delta = (weights[l - 1].T @ delta) * s[l] * (1 - s[l])"),
                     encoding="utf-8")
    done = run_cli(right, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("Correct"), done.stderr
    done = run_cli(wrong, "--json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"ok", "equation", "mistake", "message"}
    assert result["ok"] is False and result["equation"] == "BP2"


def test_cli_cannot_load_or_nothing_to_check_exits_2(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def backprop(weights, biases, x, y)\n    return 1\n", encoding="utf-8")
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n", encoding="utf-8")
    for path, said in ((broken, "SyntaxError: expected ':', at line 1 of broken.py"),
                       (empty, "defines nothing to check"),
                       (tmp_path / "missing.py", "no such file")):
        done = run_cli(path, cwd=tmp_path)
        assert done.returncode == 2 and said in done.stderr, (path, done.stderr)
        done = run_cli(path, "--json", cwd=tmp_path)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert done.returncode == 2 and result["ok"] is False and said in result["message"]


def test_cli_json_is_the_last_line_when_the_file_prints(tmp_path):
    noisy = tmp_path / "noisy.py"
    noisy.write_text("print('loading')\n" + RIGHT_FILE.replace(
        "    return nabla_w, nabla_b", "    print('called')\n    return nabla_w, nabla_b"),
        encoding="utf-8")
    done = run_cli(noisy, "--json", "--form", "index", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["ok"] is True


def test_cli_equations_and_options(tmp_path):
    path = tmp_path / "eqs.py"
    path.write_text("def bp3(Delta):\n    return Delta.sum(axis=0)[:, None]\n", encoding="utf-8")
    done = run_cli(path, "--form", "rowmajor", "--activation", "tanh", "--json", cwd=tmp_path)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 1
    assert (result["equation"], result["mistake"]) == ("BP3", "missing_batch_mean")
    assert "tanh in every layer" in result["message"]


def test_cli_uses_only_the_installed_package(tmp_path):
    """From a directory outside the repository, with nothing on PYTHONPATH."""
    right = tmp_path / "mine.py"
    right.write_text(RIGHT_FILE, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "derivations", "diagnose", "mine.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, derivations.diagnose; print(sorted(sys.modules))"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert "matplotlib" not in loaded and "derivations.book" not in loaded


def test_check_still_works():
    done = subprocess.run([sys.executable, "-m", "derivations", "check", "--help"],
                          capture_output=True, text=True, check=True)
    assert "--markdown" in done.stdout


# ---------------------------------------------------------------- a new reader's slips


def test_code_for_another_layout_is_told_which_form_it_is_right_in():
    d = diagnose.backprop(reader_code.rows)          # rows, checked as the default form
    assert (d.ok, d.equation, d.mistake) == (False, None, "wrong_form"), d.message
    assert d.message.startswith("Your code is a correct rowmajor backprop")
    assert "run the check with --form rowmajor" in said(d)


def _batch_code(reduce_bias):
    """A batched backprop (examples as columns, mean cost) with the bias gradient reduced
    by ``reduce_bias``: run on one example, every such variant is right."""
    def backprop(weights, biases, X, Y):
        N = X.shape[1]
        A = [X]
        for W, b in zip(weights, biases):
            A.append(1 / (1 + np.exp(-(W @ A[-1] + b))))
        D = (A[-1] - Y) * A[-1] * (1 - A[-1])
        gW, gb = [None] * len(weights), [None] * len(weights)
        for i in reversed(range(len(weights))):
            gW[i] = D @ A[i].T / N
            gb[i] = reduce_bias(D) / N
            if i:
                D = (weights[i].T @ D) * A[i] * (1 - A[i])
        return gW, gb
    return backprop


def test_batched_code_checked_in_the_default_form_is_sent_to_batched():
    """Right batched code that fails one example at a time (it reads X.shape[1] as N but
    also something only a batch has) is told to use --form batched; batch code with a
    slip in its reduction is not told it is right in the vectorized form."""
    def batched_only(weights, biases, X, Y):
        assert X.shape[1] > 1, "a mini-batch, please"
        return _batch_code(lambda D: D.sum(axis=1, keepdims=True))(weights, biases, X, Y)

    d = diagnose.backprop(batched_only)                       # the default: vectorized
    assert (d.ok, d.equation, d.mistake) == (False, None, "wrong_form"), d.message
    assert "a correct batched backprop" in said(d) and "--form batched" in said(d)
    unreduced = _batch_code(lambda D: D)                          # Δ/N: one column per example
    d = diagnose.backprop(unreduced, form="batched")
    assert (d.ok, d.equation, d.mistake) == (False, "BP3", "bias_not_reduced"), d.message
    assert "vectorized" not in d.message.splitlines()[0]


def test_a_bias_gradient_without_its_column_axis_gets_a_keepdims_hint():
    d = diagnose.backprop(_batch_code(lambda D: D.sum(axis=1)), form="batched")
    assert (d.ok, d.equation) == (False, "BP3"), d.message
    assert "keepdims=True" in said(d)


def test_data_before_parameters_is_pointed_out():
    def backprop(x, y, weights, biases):
        return _right(weights, biases, x, y)

    d = diagnose.backprop(backprop)
    assert not d.ok and "passes them in the order (weights, biases, x, y)" in said(d)


def test_a_file_with_a_backprop_method_is_shown_how_to_wrap_it(tmp_path):
    path = tmp_path / "network.py"
    path.write_text("class Network:\n    def backprop(self, x, y):\n        return [], []\n",
                    encoding="utf-8")
    with pytest.raises(diagnose.CannotCheck, match=r"Network\.backprop is a method"):
        diagnose.file(path)


def test_float32_gradients_are_told_to_use_float64():
    def in_float32(w, b, x, y):       # float32 arithmetic: rounding errors near 1e-6
        grads = _right(w, b, x, y)
        return tuple([(g * (1 + 1e-6)).astype(np.float32) for g in part] for part in grads)

    def cast_only(w, b, x, y):        # right in float64, then cast: as right as float32 gets
        return tuple([g.astype(np.float32) for g in part] for part in _right(w, b, x, y))

    def whole_network(w, b, x, y):    # the whole computation in float32
        f32 = lambda arrays: [a.astype(np.float32) for a in arrays]  # noqa: E731
        return _right(f32(w), f32(b), x.astype(np.float32), y.astype(np.float32))

    for fn in (in_float32, cast_only, whole_network):   # judged alike: precision, id float32
        d = diagnose.backprop(fn)
        assert (d.ok, d.equation, d.mistake) == (False, None, "float32"), d.message
        assert d.message.startswith("Your gradients are float32") and "float64" in said(d)
    m = CATALOGUE["factor_two"]
    d = diagnose.backprop(lambda w, b, x, y: [[g.astype(np.float32) for g in part] for part in
                                              m.backprop(FORMS["vectorized"].FORM, w, b, x, y)])
    assert (d.equation, d.mistake) == ("BP1", "factor_two"), d.message
    assert "(Your gradients are float32" in said(d)
    sp_of_a = CATALOGUE["sigma_prime_of_a"]
    d = diagnose.backprop(lambda w, b, x, y: [                   # σ′(a) in BP2, in float32
        [(g * (1 + 1e-6)).astype(np.float32) for g in part]
        for part in sp_of_a.backprop(FORMS["vectorized"].FORM, w, b, x, y, equation="BP2")])
    assert (d.equation, d.mistake) == ("BP2", "sigma_prime_of_a"), d.message


def test_a_fixed_depth_backprop_is_told_so_and_sizes_choose_the_networks(tmp_path):
    def two_layers(weights, biases, x, y):
        W1, W2 = weights
        b1, b2 = biases
        a1 = 1 / (1 + np.exp(-(W1 @ x + b1)))
        a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
        d2 = (a2 - y) * a2 * (1 - a2)
        d1 = (W2.T @ d2) * a1 * (1 - a1)
        return [d1 @ x.T, d2 @ a1.T], [d1, d2]

    d = diagnose.backprop(two_layers)
    assert (d.ok, d.mistake) == (False, "raises"), d.message
    assert "written for 2 layers" in said(d) and "--sizes 3,4,2" in said(d)
    assert diagnose.backprop(two_layers, sizes=[3, 4, 2]).ok
    assert "[3, 4, 2]" in diagnose.backprop(two_layers, sizes=(3, 4, 2)).message
    for bad in ([3], [3, 0, 2], "3,4,2"):
        with pytest.raises((TypeError, ValueError), match="sizes"):
            diagnose.backprop(two_layers, sizes=bad)
    path = tmp_path / "two.py"
    path.write_text(RIGHT_FILE, encoding="utf-8")
    done = run_cli(path, "--sizes", "3,4,2", "--json", cwd=tmp_path)
    assert done.returncode == 0 and "[3, 4, 2]" in json.loads(done.stdout.splitlines()[-1])[
        "message"]


def test_cli_usage_errors_end_with_the_json_line_and_a_closed_pipe_is_quiet(tmp_path):
    path = tmp_path / "right.py"
    path.write_text(RIGHT_FILE, encoding="utf-8")
    for args in (("--form", "matrix"), ("--sizes", "x")):
        done = run_cli(path, *args, "--json", cwd=tmp_path)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert done.returncode == 2 and set(result) == {"ok", "equation", "mistake", "message"}
        assert result["ok"] is False and "error" in result["message"]
    wrong = tmp_path / "wrong.py"
    wrong.write_text(RIGHT_FILE.replace("(s[-1] - y)", "(y - s[-1])"), encoding="utf-8")
    done = subprocess.run(f"{sys.executable} -m derivations diagnose wrong.py | head -1",
                          shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr and done.stdout.startswith("BP1"), done.stderr


def test_softmax_equations_are_checked_like_a_softmax_backprop():
    """bp1 cannot express Jᵀ∇ₐC: it is not checked, and never makes right bp2…bp4 wrong."""
    names = dict(cost="categorical_cross_entropy")
    vec = FORMS["vectorized"]
    d = diagnose.equations(vec, **names)
    assert d.ok and "Not checked: bp1" in said(d), d.message
    d = diagnose.equations({"bp2": vec.bp2, "bp3": vec.bp3,
                            "bp4": lambda a, delta: 0.9 * vec.bp4(a, delta)}, **names)
    assert (d.ok, d.equation) == (False, "BP4"), d.message
    d = diagnose.equations({"bp1": vec.bp1}, **names)
    assert not d.ok and "softmax" in said(d)


# ---------------------------------------------------------------- two slips, layers, fixes


def _nielsen(bp1_sign=1.0, bp2=None, sp_of_a=False, last_hidden_layer=True, w_transposed=False):
    """Nielsen's backprop with slips switched on one by one."""
    def sig(z):
        return 1 / (1 + np.exp(-z))

    def backprop(weights, biases, x, y):
        acts, zs = [x], []
        for w, b in zip(weights, biases):
            zs.append(w @ acts[-1] + b)
            acts.append(sig(zs[-1]))
        nabla_w = [np.zeros(w.shape) for w in weights]
        nabla_b = [np.zeros(b.shape) for b in biases]
        delta = bp1_sign * (acts[-1] - y) * sig(zs[-1]) * (1 - sig(zs[-1]))
        nabla_b[-1], nabla_w[-1] = delta, delta @ acts[-2].T
        stop = len(weights) + 1 if last_hidden_layer else len(weights)
        for l in range(2, stop):
            s = sig(acts[-l]) if sp_of_a else sig(zs[-l])
            delta = ((bp2 or (lambda w, d: w.T @ d))(weights[-l + 1], delta)) * s * (1 - s)
            nabla_b[-l] = delta
            nabla_w[-l] = (acts[-l - 1] @ delta.T).T if w_transposed else delta @ acts[-l - 1].T
        return nabla_w, nabla_b
    return backprop


@pytest.mark.parametrize(("fn", "first", "second"), [
    (_nielsen(bp1_sign=-1.0, sp_of_a=True), ("BP1", "sign_flip"), ("BP2", "sigma_prime_of_a")),
    (_nielsen(bp1_sign=-1.0, bp2=lambda w, d: w @ d), ("BP1", "sign_flip"),
     ("BP2", "missing_transpose")),
    (_nielsen(bp1_sign=2.0, sp_of_a=True), ("BP1", "factor_two"), ("BP2", "sigma_prime_of_a")),
], ids=["sign+sigma_at_a", "sign+transpose", "two+sigma_at_a"])
def test_two_slips_at_once_are_both_named(fn, first, second):
    """Each equation is fingerprinted given the other slip upstream."""
    d = diagnose.backprop(fn)
    assert (d.ok, d.equation, d.mistake) == (False, *first), d.message
    assert f"(mistake {second[1]})" in said(d) and f"{second[0]} has a second slip" in said(d)
    for m in (first[1], second[1]):
        assert f"mistakes/#{CATALOGUE[m].anchor}" in said(d)


def test_a_slip_in_one_layer_is_located_and_zeros_are_pointed_out():
    d = diagnose.backprop(_nielsen(last_hidden_layer=False))
    assert (d.ok, d.equation, d.mistake) == (False, "BP2", "unknown"), d.message
    assert "wrong in layer 1 and right in layers 2 and 3" in said(d)
    assert "In layer 1 your nabla_w and nabla_b are all zeros" in said(d)


@pytest.mark.parametrize(("form", "text"), [
    ("rowmajor", "Δˡ = (Δˡ⁺¹ Wˡ⁺¹) ⊙ σ′(Zˡ), `Delta_next @ W_next`, no transpose"),
    ("batched", "Δˡ = ((Wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ)"),
    ("index", "total += w_next[j, k] * delta_next[j, 0]"),
    ("vectorized", "`W_next.T @ delta_next`")])
def test_the_fix_is_written_in_the_form_s_own_arithmetic(form, text):
    d = diagnose.backprop(variant("missing_transpose", form), form=form)
    assert d.mistake == "missing_transpose", d.message
    fix = said(d).split("Fix: ", 1)[1]
    assert fix.startswith(CATALOGUE["missing_transpose"].fix_for(form)) and text in fix
    assert (form == "rowmajor") == ("no transpose" in said(d))


def test_weights_stored_in_by_out_are_recognised_in_every_form():
    def in_by_out(weights, biases, x, y):             # reads weights[l] as (n_in, n_out)
        return [g.T for g in _right([w.T for w in weights], biases, x, y)[0]], \
            _right([w.T for w in weights], biases, x, y)[1]

    d = diagnose.backprop(in_by_out)
    assert (d.ok, d.mistake) == (False, "weights_in_by_out"), d.message
    assert "reads each weights[l] as stored in × out" in said(d)
    rows = FORMS["rowmajor"].backprop

    def rows_returned_in_by_out(weights, biases, X, Y):
        nabla_w, nabla_b = rows(weights, biases, X, Y)
        return [g.T for g in nabla_w], [g.T for g in nabla_b]

    for form in ("vectorized", "rowmajor"):
        d = diagnose.backprop(rows_returned_in_by_out, form=form)
        assert d.mistake == "weights_in_by_out", (form, d.message)


def test_right_gradients_for_another_activation_name_the_flag():
    tanh = lambda w, b, x, y: FORMS["vectorized"].backprop(w, b, x, y, activation="tanh")  # noqa: E731
    d = diagnose.backprop(tanh)
    assert (d.ok, d.equation, d.mistake) == (False, None, "wrong_settings"), d.message
    assert d.message.startswith("Your gradients are right for --activation tanh")


@pytest.mark.parametrize(("activation", "output", "flags", "words"), [
    ("tanh", "sigmoid", ["--activation", "tanh"], "--output-activation sigmoid"),
    ("tanh", "identity", ["--activation", "tanh"], "--output-activation identity"),
    ("relu", None, [], "--activation relu: your code is right for a network with relu in "
                       "every layer,")])
def test_another_output_activation_is_tried_and_named(activation, output, flags, words):
    right = lambda w, b, x, y: FORMS["vectorized"].backprop(  # noqa: E731
        w, b, x, y, activation=activation, output_activation=output)
    d = diagnose.backprop(right, activation=flags[1] if flags else "sigmoid")
    assert (d.ok, d.equation, d.mistake) == (False, None, "wrong_settings"), d.message
    assert words in said(d)


def test_right_for_another_cost_is_said_before_the_slip_it_would_be():
    """Nielsen's cross-entropy δᴸ = a − y, checked with the quadratic cost: right for
    --cost cross_entropy, and missing_sigma_prime only if the cost is quadratic."""
    ce = lambda w, b, x, y: FORMS["vectorized"].backprop(w, b, x, y,  # noqa: E731
                                                         cost="cross_entropy")
    d = diagnose.backprop(ce)
    assert (d.ok, d.equation, d.mistake) == (False, "BP1", "missing_sigma_prime"), d.message
    assert d.message.startswith("Your gradients are right for --cost cross_entropy")
    assert "(mistake missing_sigma_prime)" in said(d)
    assert "If those settings are your network's, then: Fix:" in said(d)
    assert diagnose.backprop(ce, cost="cross_entropy").ok


def test_a_reordered_list_is_told_apart_from_a_modified_array():
    def reverses(weights, biases, x, y):
        result = _right(weights, biases, x, y)
        weights.reverse()
        return result

    def replaces(weights, biases, x, y):
        result = _right(weights, biases, x, y)
        weights[1] = weights[1] * 2
        return result

    d = diagnose.backprop(reverses)
    assert (d.ok, d.mistake) == (False, "modifies_input"), d.message
    assert "(the list weights, reordered as weights.reverse() or .sort() do)" in said(d)
    assert "weights[0]" not in said(d)
    d = diagnose.backprop(replaces)
    assert "(the list weights, its entry weights[1] replaced)" in said(d), d.message


def test_a_forward_pass_slip_is_worded_as_the_forward_pass():
    def no_bias(weights, biases, x, y):
        return _right(weights, [np.zeros_like(b) for b in biases], x, y)

    d = diagnose.backprop(no_bias)
    assert (d.ok, d.equation, d.mistake) == (False, None, "unknown"), d.message
    assert d.message.startswith("Your forward pass is wrong")


def test_equations_for_another_layout_are_told_which_form_they_are_right_in():
    rows = {name: getattr(FORMS["rowmajor"], name) for name in ("bp1", "bp2", "bp3", "bp4")}
    d = diagnose.equations(rows)                                 # the default: vectorized
    assert (d.ok, d.equation, d.mistake) == (False, None, "wrong_form"), d.message
    assert "--form rowmajor" in said(d)
    vec = {name: getattr(FORMS["vectorized"], name) for name in ("bp1", "bp2", "bp3", "bp4")}
    d = diagnose.equations(vec, form="batched")   # bp3 not reduced: not "right in vectorized"
    assert d.mistake != "wrong_form" and "vectorized form" not in d.message.splitlines()[0]


def test_right_code_for_one_depth_only_is_caught_on_other_depths():
    """Right on the test networks' depth, but not on the networks of DEPTHS."""
    def three_layers_only(weights, biases, x, y):
        if len(weights) != len(diagnose.SIZES[0]) - 1:
            raise ValueError("this backprop has three layers")
        return _right(weights, biases, x, y)

    assert {len(s) for s in diagnose.DEPTHS}.isdisjoint({len(s) for s in diagnose.SIZES})
    d = diagnose.backprop(three_layers_only)
    assert (d.ok, d.mistake) == (False, "raises"), d.message
    assert "any depth" in said(d)
    assert diagnose.backprop(three_layers_only, sizes=[3, 4, 2, 5]).ok


def test_a_function_with_random_results_is_told_so():
    rng = np.random.default_rng(1)

    def dropout(w, b, x, y):
        nabla_w, nabla_b = _right(w, b, x, y)
        return [g * (rng.random() < 0.5) for g in nabla_w], nabla_b

    d = diagnose.backprop(dropout)
    assert not d.ok and "different results when called twice" in said(d), d.message


def test_a_row_bias_in_the_row_layout_is_not_called_in_by_out():
    rows = FORMS["rowmajor"].backprop

    def row_bias(weights, biases, X, Y):
        nabla_w, nabla_b = rows(weights, biases, X, Y)
        return nabla_w, [g.T for g in nabla_b]

    d = diagnose.backprop(row_bias)
    assert d.mistake != "weights_in_by_out", d.message
    d = diagnose.backprop(row_bias, form="rowmajor")
    assert d.equation == "BP3" and "a row, where biases are columns" in said(d), d.message


def test_an_error_while_importing_is_placed_in_the_reader_s_file(tmp_path):
    path = tmp_path / "loads_data.py"
    path.write_text('import gzip\nwith gzip.open("mnist.pkl.gz") as f:\n    pass\n'
                    "def backprop(weights, biases, x, y):\n    return [], []\n",
                    encoding="utf-8")
    with pytest.raises(diagnose.CannotCheck) as caught:
        diagnose.file(path)
    text = " ".join(str(caught.value).split())
    assert "at line 2 of loads_data.py" in text and "gzip.py" not in text
    assert 'if __name__ == "__main__":' in text


def test_a_misnamed_function_is_listed_and_one_equation_can_be_checked_alone(tmp_path):
    path = tmp_path / "misnamed.py"
    path.write_text("def back_prop(weights, biases, x, y):\n    return [], []\n",
                    encoding="utf-8")
    with pytest.raises(diagnose.CannotCheck, match=r"It defines back_prop\(\).*--function "
                                                   r"back_prop"):
        diagnose.file(path)
    eqs = tmp_path / "eqs.py"
    eqs.write_text("def bp1(nabla_a, sp):\n    return nabla_a * sp\n\n"
                   "def bp2(w_next, delta_next, sp):\n    return w_next @ delta_next\n",
                   encoding="utf-8")
    d = diagnose.file(eqs, function="bp1")                  # bp1 alone, not bp2
    assert d.ok, d.message
    assert "bp2" not in d.message.splitlines()[0]


def test_a_factor_that_depends_on_the_network_is_reported_per_network():
    def mse(weights, biases, x, y):                        # PyTorch's MSELoss convention
        nabla_w, nabla_b = _right(weights, biases, x, y)
        k = 2 / y.shape[0]
        return [k * g for g in nabla_w], [k * g for g in nabla_b]

    def half(weights, biases, x, y):
        nabla_w, nabla_b = _right(weights, biases, x, y)
        return [0.5 * g for g in nabla_w], [0.5 * g for g in nabla_b]

    d = diagnose.backprop(mse)
    assert (d.ok, d.equation) == (False, "BP1"), d.message
    sizes = diagnose.SIZES
    for s in sizes:
        assert f"{2 / s[-1]:.3g} times on the network with layer sizes {s}" in said(d)
    assert "That is 2/n_L" in said(d) and "MSELoss" in said(d)
    d = diagnose.backprop(half)
    assert "Your δᴸ is 0.5 times the right one." in said(d), d.message
    assert "In every layer" not in said(d)


def _transposed_in_hidden_layers(flip_sign):
    """BP4 transposed in every layer but the last, with BP1's sign flipped or not."""
    inner = variant("sign_flip", "vectorized", "BP1") if flip_sign else _right

    def backprop(weights, biases, x, y):
        nabla_w, nabla_b = inner(weights, biases, x, y)
        return [g.T if l < len(weights) - 1 else g for l, g in enumerate(nabla_w)], nabla_b

    return backprop


def test_bp4_transposed_in_some_layers_is_named_and_bp1_still_comes_first():
    d = diagnose.backprop(_transposed_in_hidden_layers(False))
    assert (d.ok, d.equation, d.mistake) == (False, "BP4", "transposed_gradient"), d.message
    assert "in layers 1 and 2 of the text (nabla_w[0], nabla_w[1])" in said(d)
    d = diagnose.backprop(_transposed_in_hidden_layers(True))
    assert (d.ok, d.equation, d.mistake) == (False, "BP1", "sign_flip"), d.message
    assert "BP4 has a second slip" in said(d) and "(mistake transposed_gradient)" in said(d)


def test_a_bias_summed_over_the_neurons_gets_an_axis_hint():
    rows = FORMS["rowmajor"]

    def wrong_axis(weights, biases, X, Y):
        nabla_w, _ = rows.backprop(weights, biases, X, Y)
        t = algorithm.backprop_trace(rows.FORM, weights, biases, X, Y)
        return nabla_w, [d.sum(axis=1, keepdims=True) for d in t.delta[1:]]

    d = diagnose.backprop(wrong_axis, form="rowmajor")
    assert d.equation == "BP3", d.message
    assert "one entry per example, so the sum ran over the neurons" in said(d)
    assert "axis=0 here" in said(d)


def test_wording_singular_layer_and_the_other_depths_on_success():
    d = diagnose.backprop(_right)
    assert "It is also right on networks of other depths, layer sizes" in said(d)
    assert diagnose.DEPTHS and all(str(list(s)) in said(d) for s in diagnose.DEPTHS)

    def two(weights, biases, x, y):
        W1, W2 = weights
        return _right(weights, biases, x, y)

    d = diagnose.backprop(two, sizes=[3, 4])
    assert "the test networks have 1 layer of weights" in said(d), d.message
    d = diagnose.backprop(_right, activation="tanh", output_activation="identity")
    assert "an identity output" in said(d)


def test_another_activation_s_sigma_prime_is_pointed_out():
    vec = FORMS["vectorized"]

    def tanh_with_sigmoid_prime(weights, biases, x, y):
        a = [x]
        for w, b in zip(weights, biases):
            a.append(np.tanh(w @ a[-1] + b))
        delta = (a[-1] - y) * (1 - a[-1] ** 2)
        nabla_w, nabla_b = [None] * len(weights), [None] * len(weights)
        for l in range(len(weights) - 1, -1, -1):
            nabla_w[l], nabla_b[l] = delta @ a[l].T, delta
            if l:
                delta = (weights[l].T @ delta) * a[l] * (1 - a[l])
        return nabla_w, nabla_b

    d = diagnose.backprop(tanh_with_sigmoid_prime, activation="tanh")
    assert (d.equation, d.mistake) == ("BP2", "unknown"), d.message
    assert "your σ′ is a(1 − a), the σ′ of sigmoid" in said(d)
    assert "whose σ′ is 1 − a²" in said(d)

    def softmax_extra_factor(weights, biases, x, y):
        t = algorithm.backprop_trace(vec.FORM, weights, biases, x, y,
                                     cost="categorical_cross_entropy",
                                     output_activation="softmax")
        delta = (t.a[-1] - y) * t.a[-1] * (1 - t.a[-1])
        nabla_w, nabla_b = [None] * len(weights), [None] * len(weights)
        for l in range(len(weights) - 1, -1, -1):
            nabla_w[l], nabla_b[l] = delta @ t.a[l].T, delta
            if l:
                delta = (weights[l].T @ delta) * t.a[l] * (1 - t.a[l])
        return nabla_w, nabla_b

    d = diagnose.backprop(softmax_extra_factor, cost="categorical_cross_entropy")
    assert d.equation == "BP1", d.message
    assert "Your δᴸ is the right δᴸ times a(1 − a) elementwise" in said(d)
    assert "there is no σ′ factor to multiply by" in said(d)
