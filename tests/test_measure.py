"""The BP4 timing helper (derivations.book.measure): agreement and sane output, never speed."""

import builtins
import sys

import numpy as np
import pytest

from derivations.book import measure
from derivations.book.measure import (
    compare_bp4,
    format_timings,
    looped_outer,
    matrix_product,
    median_time,
    single_thread_supported,
    stacked_outer,
)


@pytest.mark.parametrize("way", [stacked_outer, looped_outer])
def test_bp4_ways_agree_with_the_matrix_product(way):
    rng = np.random.default_rng(0)
    A_prev, Delta = rng.standard_normal((4, 9)), rng.standard_normal((3, 9))
    expected = sum(Delta[:, [x]] @ A_prev[:, [x]].T for x in range(9)) / 9
    np.testing.assert_allclose(matrix_product(A_prev, Delta), expected)
    np.testing.assert_allclose(way(A_prev, Delta), expected)


def test_median_time_is_the_median_of_the_timed_calls(monkeypatch):
    """With a fake clock: the warm-up call is not timed, and the middle duration wins."""
    ticks = iter([0.0, 5.0, 10.0, 11.0, 20.0, 22.0])   # durations 5, 1, 2 after the warm-up
    monkeypatch.setattr(measure.time, "perf_counter", lambda: next(ticks))
    calls = []
    assert median_time(lambda *a: calls.append(a), 7, repeat=3) == 2.0
    assert calls == [(7,)] * 4                            # one warm-up call, then three timed


@pytest.mark.parametrize("single_thread", [True, False])
def test_compare_bp4_returns_positive_ratios(single_thread):
    rows = compare_bp4(n_l=8, n_prev=6, N=16, repeat=3, single_thread=single_thread)
    assert [r.name for r in rows] == ["matrix product", "stacked outer products",
                                      "looped outer products"]
    assert rows[0].ratio == 1.0
    for r in rows:
        assert r.median > 0 and r.ratio > 0
        assert r.ratio == pytest.approx(r.median / rows[0].median)


def test_format_timings_has_one_line_per_way():
    rows = compare_bp4(n_l=4, n_prev=4, N=4, repeat=1)
    text = format_timings(rows)
    assert len(text.splitlines()) == 4
    md = format_timings(rows, markdown=True)
    assert md.splitlines()[1] == "|---|---:|---:|"
    assert all(r.name in md for r in rows)


def test_single_thread_supported_follows_threadpoolctl(monkeypatch):
    assert single_thread_supported() is True              # installed with the test extra
    real_import = builtins.__import__

    def without_threadpoolctl(name, *args, **kwargs):
        if name == "threadpoolctl":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "threadpoolctl", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_threadpoolctl)
    assert single_thread_supported() is False
