#!/usr/bin/env python3
"""Execute the companion notebooks and commit their outputs as the .ipynb the site renders.

    python scripts/notebooks.py               # execute every docs/notebooks/*.py, write *.ipynb
    python scripts/notebooks.py --check       # execute, compare with the committed .ipynb
    python scripts/notebooks.py udl-deep-relu # only these

``NAME.py`` (jupytext, percent format) is the source an author edits.
``NAME.ipynb`` beside it is what the site renders and readers download: the
same cells, executed in this environment's kernel, with a digest of the inputs
in its metadata (``docs_hooks/notebook_outputs.py`` makes the strict build fail
when that digest is out of date).  ``make notebooks`` runs this with the
optional PyTorch extra installed, so the lecture notebook's autograd
cross-check is part of the committed page.

``--check`` (and ``tests/test_notebooks.py``) compare outputs cell by cell.
Text must be equal, except where another CPU's BLAS (another summation order)
may print differently: two numbers below 1e-9 in magnitude (rounding-level
residues, differences of two exact computations) count as equal, and a number
printed to full precision may differ in its last digits (relative 1e-9).
Inline SVG figures are compared the same way, raster images pixel by pixel
(mean difference below 1/255).  Cells tagged ``needs-torch`` are compared only
where PyTorch is installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "docs" / "notebooks"
sys.path.insert(0, str(ROOT / "docs_hooks"))

from notebook_outputs import inputs_digest  # noqa: E402

TORCH_TAG = "needs-torch"
TINY = 1e-9
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_DATA_URI = re.compile(r"data:image/(?P<kind>[\w+.-]+);base64,(?P<data>[A-Za-z0-9+/=]+)")


def sources(names=None) -> list[Path]:
    found = sorted(NB_DIR.glob("*.py"))
    if names:
        found = [p for p in found if p.stem in set(names) or p.name in set(names)]
    return found


def execute(source: Path):
    """The notebook of ``source``, executed in the project kernel, ready to commit."""
    import jupytext
    from nbclient import NotebookClient

    from derivations.book import kernel

    nb = jupytext.read(source)
    NotebookClient(nb, kernel_name=kernel.register(), allow_errors=False, timeout=600,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    for n, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)   # wall-clock timestamps
        # jupytext draws random cell ids; these stay put while a cell does.
        cell.id = hashlib.sha256(f"{n}\0{cell.source}".encode()).hexdigest()[:8]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["derivations"] = {"inputs": inputs_digest(source, ROOT)}
    return nb


def write(source: Path) -> Path:
    import nbformat

    target = source.with_suffix(".ipynb")
    nbformat.write(execute(source), target)
    return target


# ---------------------------------------------------------------------------
# Comparing outputs
# ---------------------------------------------------------------------------

def _numbers_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    if not re.search(r"[.eE]", a + b):
        return False  # integers: counts, sizes, epochs
    x, y = float(a), float(b)
    return max(abs(x), abs(y)) < TINY or abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def texts_agree(a: str, b: str) -> bool:
    """Equal text, numbers compared as the module docstring says."""
    words_a, words_b = _NUMBER.split(a), _NUMBER.split(b)
    nums_a, nums_b = _NUMBER.findall(a), _NUMBER.findall(b)
    return (words_a == words_b and len(nums_a) == len(nums_b)
            and all(_numbers_agree(x, y) for x, y in zip(nums_a, nums_b)))


def _images_agree(kind: str, a: bytes, b: bytes) -> bool:
    if a == b:
        return True
    if kind.startswith("svg"):
        return texts_agree(a.decode("utf-8"), b.decode("utf-8"))
    import numpy as np
    from PIL import Image, ImageSequence

    frames = [[np.asarray(f.convert("RGB"), dtype=float) for f in ImageSequence.Iterator(
        Image.open(io.BytesIO(data)))] for data in (a, b)]
    return (len(frames[0]) == len(frames[1])
            and all(fa.shape == fb.shape and np.abs(fa - fb).mean() < 1.0
                    for fa, fb in zip(*frames)))


def _html_agree(a: str, b: str) -> bool:
    images_a, images_b = list(_DATA_URI.finditer(a)), list(_DATA_URI.finditer(b))
    if _DATA_URI.sub("IMAGE", a) != _DATA_URI.sub("IMAGE", b) or len(images_a) != len(images_b):
        return False
    return all(ia["kind"] == ib["kind"] and _images_agree(
        ia["kind"], base64.b64decode(ia["data"]), base64.b64decode(ib["data"]))
        for ia, ib in zip(images_a, images_b))


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_agrees(a: dict, b: dict) -> bool:
    if a.get("output_type") != b.get("output_type") or a.get("name") != b.get("name"):
        return False
    if "text" in a or "text" in b:
        return texts_agree(_text(a.get("text", "")), _text(b.get("text", "")))
    data_a, data_b = a.get("data", {}), b.get("data", {})
    if set(data_a) != set(data_b):
        return False
    for mime in data_a:
        x, y = _text(data_a[mime]), _text(data_b[mime])
        same = _html_agree(x, y) if mime == "text/html" else (
            _images_agree(mime.split("/")[1], base64.b64decode(x), base64.b64decode(y))
            if mime.startswith("image/") else texts_agree(x, y))
        if not same:
            return False
    return True


def stale_cells(committed, fresh, torch_available: bool) -> list[str]:
    """Where the committed notebook's outputs differ from a fresh execution."""
    problems = []
    if [c.cell_type for c in committed.cells] != [c.cell_type for c in fresh.cells]:
        return ["the cells differ (run `make notebooks`)"]
    for n, (old, new) in enumerate(zip(committed.cells, fresh.cells), 1):
        if old.source != new.source:
            problems.append(f"cell {n}: its source differs from the .py")
            continue
        if old.cell_type != "code" or (TORCH_TAG in new.metadata.get("tags", [])
                                       and not torch_available):
            continue
        outs_old, outs_new = old.get("outputs", []), new.get("outputs", [])
        if len(outs_old) != len(outs_new) or not all(
                _output_agrees(a, b) for a, b in zip(outs_old, outs_new)):
            shown = "".join(_text(o.get("text", "")) for o in outs_new)[:400]
            problems.append(f"cell {n}: the committed outputs are not what the code prints "
                            f"now; now it prints {shown!r}")
    return problems


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="notebook names (default: all)")
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed .ipynb instead of writing it")
    args = ap.parse_args(argv)
    todo = sources(args.names)
    if not todo:
        raise SystemExit(f"no notebooks named {args.names} in {NB_DIR}")
    if not torch_available():
        print("note: PyTorch is not installed; cells tagged needs-torch print that instead "
              "(`make notebooks` installs it)")
    with ProcessPoolExecutor(2) as pool:
        if not args.check:
            for target in pool.map(write, todo):
                print(f"wrote {target.relative_to(ROOT)}")
            return 0
        import nbformat

        failed = 0
        for source, fresh in zip(todo, pool.map(execute, todo)):
            committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
            problems = stale_cells(committed, fresh, torch_available())
            failed += bool(problems)
            print(f"{source.stem}: " + ("stale\n  " + "\n  ".join(problems) if problems
                                       else "current"))
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
