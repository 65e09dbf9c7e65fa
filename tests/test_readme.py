"""README.md's and CONTRIBUTING.md's code blocks are tests: pytest-codeblocks
collects them (``testpaths`` and ``--codeblocks`` in pyproject.toml) and checks
what each python block prints against the output shown under it."""

import tomllib
from pathlib import Path

import pytest
from pytest_codeblocks.main import extract_from_file

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ["README.md", "CONTRIBUTING.md"]


def test_pytest_collects_the_documents_code_blocks():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"][
        "ini_options"]
    assert "--codeblocks" in options["addopts"]
    assert set(DOCUMENTS) <= set(options["testpaths"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_python_block_shows_its_output(name):
    """A python block that runs without its output shown would check only that
    it does not crash."""
    blocks = [b for b in extract_from_file(ROOT / name) if b.syntax == "python"]
    runnable = [b for b in blocks if not any("skip" in m for m in b.marks)]
    assert runnable, f"{name} has no python example that pytest-codeblocks runs"
    missing = [b.lineno for b in runnable if b.expected_output is None]
    assert not missing, (f"{name}: python blocks at lines {missing} need an "
                         "<!--pytest-codeblocks:expected-output--> block")
