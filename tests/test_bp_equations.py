"""BP1–BP4 against central finite differences, for every form × activation × cost.

Policy (derivations.gradcheck): central differences in float64 with ε = EPS,
relative error ‖g − ĝ‖ / max(‖g‖, ‖ĝ‖) ≤ BOUND, inputs KINK_MARGIN away from
ReLU's kink.  BP1 and BP2 compare δ itself with ∂C/∂z (z perturbed directly).
"""

import functools
import subprocess
import sys

import numpy as np
import pytest

from derivations.check import ACTIVATION_NAMES, CASES, Row, check_case, make_case, summary
from derivations.gradcheck import BOUND, EPS, central_difference

COMBOS = [
    (form, activation, cost)
    for form, (sizes, _) in CASES.items()
    for activation in ACTIVATION_NAMES
    for cost in ("quadratic", "cross_entropy", "categorical_cross_entropy")
    if not (cost == "categorical_cross_entropy" and sizes[-1] == 1)
]
IDS = ["-".join(c) for c in COMBOS]


@functools.cache
def errors(form, activation, cost):
    sizes, N = CASES[form]
    return check_case(form, make_case(sizes, N, activation, cost, seed=1))


def test_policy_is_float64_central_with_stated_bound():
    """The checks difference centrally, in float64, at ε = EPS, and fail rows above BOUND."""
    theta = np.array([1.0])
    g = central_difference(lambda: float(theta[0] ** 3), theta)
    # ((1 + ε)³ − (1 − ε)³) / 2ε = 3 + ε²: a central quotient at the stated ε.
    # A forward one would be off by 3ε, a float32 one by rounding far above ε².
    assert g.dtype == np.float64
    assert g[0] - 3.0 == pytest.approx(EPS**2, rel=0.2)
    assert (EPS, BOUND) == (1e-5, 1e-7)     # the values the pages and the README state
    at = Row("batched", "sigmoid", "quadratic", dict.fromkeys(("BP1", "BP2", "BP3", "BP4"), BOUND))
    above = at._replace(errors={**at.errors, "BP2": BOUND * 1.01})
    assert at.passed and not above.passed
    assert f"eps = {EPS:g}, float64" in summary([at]) and f"≤ {BOUND:g}" in summary([at])
    assert "0 of 1 rows pass" in summary([above])


@pytest.mark.parametrize(("form", "activation", "cost"), COMBOS, ids=IDS)
def test_bp1_matches_finite_differences(form, activation, cost):
    assert errors(form, activation, cost)["BP1"] <= BOUND


@pytest.mark.parametrize(("form", "activation", "cost"), COMBOS, ids=IDS)
def test_bp2_matches_finite_differences(form, activation, cost):
    assert errors(form, activation, cost)["BP2"] <= BOUND


@pytest.mark.parametrize(("form", "activation", "cost"), COMBOS, ids=IDS)
def test_bp3_matches_finite_differences(form, activation, cost):
    assert errors(form, activation, cost)["BP3"] <= BOUND


@pytest.mark.parametrize(("form", "activation", "cost"), COMBOS, ids=IDS)
def test_bp4_matches_finite_differences(form, activation, cost):
    assert errors(form, activation, cost)["BP4"] <= BOUND


def test_check_command_passes_every_row():
    out = subprocess.run([sys.executable, "-m", "derivations", "check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = [line for line in out.stdout.splitlines() if line.split(" ")[0] in CASES]
    assert len(rows) == len(COMBOS)
    assert all(r.rstrip().endswith("pass") for r in rows)


def test_check_command_markdown_table_has_a_row_per_case():
    out = subprocess.run([sys.executable, "-m", "derivations", "check", "--markdown"],
                         capture_output=True, text=True, check=True)
    table = [line for line in out.stdout.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(COMBOS)  # header + rows
