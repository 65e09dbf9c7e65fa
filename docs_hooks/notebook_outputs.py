"""MkDocs hook: the companion notebooks' committed outputs must be current.

The site renders ``docs/notebooks/NAME.ipynb`` as committed, with the outputs
``make notebooks`` computed (mkdocs-jupyter does not execute anything).  Each
such notebook records in its metadata (``derivations.inputs``) a digest of
everything its outputs were computed from: its source ``NAME.py``, every file
under ``src/`` and the pinned requirements.  A notebook whose digest differs
from the current one, or that has none, is reported as a WARNING, so
``mkdocs build --strict`` fails instead of publishing stale numbers.

``tests/test_notebooks.py`` also re-executes every notebook and compares the
outputs themselves.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pageblocks

log = logging.getLogger("mkdocs.hooks.notebook_outputs")

#: Besides the notebook's source and src/: what pins the environment.
REQUIREMENTS = ("requirements/lock.txt", "requirements/torch.txt")


def inputs_digest(source: Path, root: Path) -> str:
    """sha256 of what a notebook's outputs are computed from."""
    h = hashlib.sha256()
    h.update(Path(source).read_bytes() + b"\0")
    h.update(pageblocks.code_digest(Path(root) / "src").encode() + b"\0")
    for name in REQUIREMENTS:
        path = Path(root) / name
        h.update(path.read_bytes() if path.is_file() else b"")
    return h.hexdigest()


def recorded_digest(notebook: Path) -> str | None:
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("derivations", {}).get("inputs")


def on_files(files, *, config):
    root = Path(config["config_file_path"]).resolve().parent
    for f in files.documentation_pages():
        notebook = Path(f.abs_src_path)
        source = notebook.with_suffix(".py")
        if notebook.suffix != ".ipynb" or not source.is_file():
            continue
        if recorded_digest(notebook) != inputs_digest(source, root):
            log.warning("Doc file '%s' holds outputs computed from other code than %s, src/ "
                        "and the requirements now hold; run `make notebooks` and commit it",
                        f.src_uri, source.name)
    return files
