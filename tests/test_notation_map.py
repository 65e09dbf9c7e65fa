"""The notation map: every convention row checked by code, for every source."""

from pathlib import Path

import pytest

from derivations.activations import relu_prime
from derivations.book.companions import conventions, udl

PAGE = Path(__file__).resolve().parents[1] / "docs" / "notation-map.md"

#: Cells that state "does not apply" instead of a convention.
NOT_APPLICABLE = {("reduction", "udl"), ("relu0", "circles"), ("relu0", "coursera")}


@pytest.mark.parametrize("row", conventions.ROWS, ids=lambda r: r.key)
@pytest.mark.parametrize("source", list(conventions.SOURCES))
def test_each_cell_holds(row, source):
    result = row.holds(source)
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


def _row(key):
    return next(r for r in conventions.ROWS if r.key == key)


@pytest.mark.parametrize(("source", "claim", "caught_by"), [
    ("lecture", {"in_by_out": False}, ("weights", "storage", "factor")),
    ("nnfs", {"in_by_out": False}, ("weights", "layout", "storage", "factor")),
    ("ours", {"in_by_out": True}, ("weights", "layout", "storage", "factor")),
    ("coursera", {"factor": 1.0}, ("cost", "factor")),
    ("udl", {"factor": 2.0}, ("cost", "factor")),
    ("nnfs", {"example_axis": 1}, ("layout", "reduction")),
    ("circles", {"batch": "sum"}, ("reduction",)),
    ("nnfs", {"batch": "mean"}, ("reduction",)),
    ("udl", {"relu_prime_0": 0.0}, ("relu0",)),
    ("lecture", {"relu_prime_0": 1.0}, ("relu0",)),
], ids=lambda v: str(v))
def test_checks_detect_a_wrong_claim(monkeypatch, source, claim, caught_by):
    """Inject a wrong convention into a source's record: exactly its rows turn False."""
    before = conventions.results()
    wrong = conventions.SOURCES[source]._replace(**claim)
    monkeypatch.setitem(conventions.SOURCES, source, wrong)
    after = conventions.results()
    assert {key for (key, s), v in after.items() if v != before[(key, s)]} == set(caught_by)
    assert all(after[(key, source)] is False for key in caught_by)


@pytest.mark.parametrize("source", ["udl", "lecture", "nnfs", "coursera", "ours"])
def test_the_names_row_checks_the_named_gradients_themselves(monkeypatch, source):
    """A named gradient that is not the derivative of the source's cost fails its own row."""
    params, named, cost = conventions.case(source)["named"]
    i = next(i for i, g in enumerate(named) if g is not None)
    off = [g if j != i else 1.001 * g for j, g in enumerate(named)]
    monkeypatch.setitem(conventions.case(source), "named", (params, off, cost))
    assert _row("names").holds(source) is False
    assert _row("factor").holds(source) is True        # not the factor row's verdict


def test_relu_prime_at_zero_conventions():
    assert udl.indicator(0.0) == 1.0
    assert relu_prime(0.0) == 0.0
    assert conventions.case("nnfs")["relu_prime_0"] == 0.0
    assert conventions.case("lecture")["relu_prime_0"] == 0.0


def test_table_renders_every_source_and_no_failures():
    table = conventions.table_markdown()
    header = table.splitlines()[0]
    for source in conventions.SOURCES.values():
        assert source.title in header
    assert "✗" not in table
    assert len(table.splitlines()) == 2 + len(conventions.ROWS)
    assert table.count("✓") == len(conventions.ROWS) * len(conventions.SOURCES) - len(
        NOT_APPLICABLE)


def test_page_prints_the_table_from_code():
    text = PAGE.read_text(encoding="utf-8")
    assert "conventions.table_markdown(" in text
    assert '```python exec="on" session="notation-map"' in text
    assert "| **" not in text          # no hand-written copy of the table
