"""The package's shape: the library apart from the book, forms side by side."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "derivations"
FORM_MODULES = ["scalar", "index", "vectorized", "batched", "rowmajor"]


def _loaded_after(code):
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_import_derivations_leaves_the_book_and_matplotlib_alone():
    loaded = _loaded_after("import derivations")
    assert not [m for m in loaded if m.startswith("derivations.book")]
    assert not [m for m in loaded if m.split(".")[0] in ("matplotlib", "PIL", "torch")]


def test_every_library_module_leaves_the_book_alone():
    library = sorted(p.stem for p in SRC.glob("*.py") if p.stem != "__main__")
    loaded = _loaded_after("import " + ", ".join(f"derivations.{m}" for m in library))
    assert "derivations.mistakes" in loaded and "derivations.check" in loaded
    assert not [m for m in loaded if m.startswith("derivations.book") or m == "matplotlib"]


def test_the_book_is_a_subpackage_with_the_site_scaffolding():
    import derivations.book as book

    assert book.__doc__
    for module in ("figures", "companions", "measure", "kernel"):
        assert (SRC / "book" / module).exists() or (SRC / "book" / f"{module}.py").exists()


def _imports(module):
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("module", FORM_MODULES)
def test_forms_stand_side_by_side(module):
    """A form imports numpy, the algorithm and validation (batched: its fast loop), no other form."""
    allowed = {"numpy", "derivations.algorithm", "derivations.validate"}
    if module == "batched":
        allowed.add("derivations.fast")
    assert _imports(module) <= allowed, _imports(module) - allowed
