"""The notation map: every convention row checked by code, for every source."""

from pathlib import Path

import pytest

from derivations.activations import relu_prime
from derivations.companions import conventions, udl

PAGE = Path(__file__).resolve().parents[1] / "docs" / "notation-map.md"

#: Cells that state "does not apply" instead of a convention.
NOT_APPLICABLE = {("reduction", "udl"), ("relu0", "circles"), ("relu0", "coursera")}


@pytest.mark.parametrize("row", conventions.ROWS, ids=lambda r: r.key)
@pytest.mark.parametrize("source", list(conventions.SOURCES))
def test_each_cell_holds(row, source):
    result = row.check(source)
    if (row.key, source) in NOT_APPLICABLE:
        assert result is None
    else:
        assert result is True, (row.key, source)


def test_required_rows_are_present():
    keys = [r.key for r in conventions.ROWS]
    for key in ("weights", "biases", "z", "a", "error", "cost", "layout", "storage", "factor",
                "reduction", "relu0", "names"):
        assert key in keys
    for row in conventions.ROWS:
        assert set(row.cells) == set(conventions.SOURCES)


def test_checks_detect_a_wrong_claim():
    """The checks are not vacuous: flip a source's stated convention and it fails."""
    storage = next(r for r in conventions.ROWS if r.key == "storage")
    W, n_in, n_out = conventions.case("lecture")["probe"]
    assert W.shape == (n_in, n_out) and W.shape != (n_out, n_in)
    factor = next(r for r in conventions.ROWS if r.key == "factor")
    c = conventions.case("coursera")
    assert not all(abs(gs - go).max() < 1e-12 for gs, go in zip(c["grads_src"], c["grads_ours"]))
    assert factor.check("coursera") and storage.check("lecture")


def test_relu_prime_at_zero_conventions():
    assert udl.indicator(0.0) == 1.0
    assert relu_prime(0.0) == 0.0
    assert conventions.case("nnfs")["relu_prime_0"] == 0.0
    assert conventions.case("lecture")["relu_prime_0"] == 0.0


def test_table_renders_every_source_and_no_failures():
    table = conventions.table_markdown()
    header = table.splitlines()[0]
    for title in conventions.SOURCES.values():
        assert title in header
    assert "✗" not in table
    assert len(table.splitlines()) == 2 + len(conventions.ROWS)
    assert table.count("✓") == len(conventions.ROWS) * len(conventions.SOURCES) - len(
        NOT_APPLICABLE)


def test_page_prints_the_table_from_code():
    text = PAGE.read_text(encoding="utf-8")
    assert "conventions.table_markdown(" in text
    assert '```python exec="on" session="notation-map"' in text
    assert "| **" not in text          # no hand-written copy of the table
