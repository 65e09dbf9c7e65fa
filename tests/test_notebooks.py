"""The companion notebooks: configuration, kernel, committed outputs, and every
notebook executed.

``make notebooks`` (scripts/notebooks.py) executes each ``docs/notebooks/X.py``
and commits the outputs as ``X.ipynb``, which the site renders without
executing anything.  These tests execute every notebook again, in the same
kernel and the same way, check what it prints, and fail when the committed
outputs are not what the code prints now.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_outputs import inputs_digest, recorded_digest
from notebooks import execute, stale_cells, torch_available

from derivations.book import kernel

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "docs" / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("*.py"))
EXPECTED = ["circles-nielsen.py", "coursera-curve.py", "lecture-no-bias.py",
            "nnfs-chapter9.py", "udl-deep-relu.py"]


@pytest.fixture(scope="module")
def mkdocs_config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def test_the_five_notebooks_exist():
    assert NOTEBOOKS == EXPECTED


def test_plugin_renders_the_committed_notebooks_without_executing(mkdocs_config):
    cfg = mkdocs_config.plugins["mkdocs-jupyter"].config
    assert cfg["execute"] is False               # outputs come from `make notebooks`
    assert cfg["allow_errors"] is False          # its default is True
    assert cfg["include"] == ["notebooks/*.ipynb"]
    assert cfg["ignore"] == ["*.md"]             # pages are not jupytext Markdown
    # Its cache keys the HTML by the notebook's bytes and these options: with
    # nothing executed, the HTML depends on nothing else.
    assert cfg["cache"] is True
    assert cfg["include_source"] is True         # the .ipynb download beside the page
    assert cfg["include_requirejs"] is False     # no require.js from a CDN
    assert "notebooks/*.py" in str(mkdocs_config["exclude_docs"].patterns)


def test_nav_lists_the_pages(mkdocs_config):
    def flatten(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                if isinstance(value, list):
                    yield from flatten(value)
                else:
                    yield value

    pages = list(flatten(mkdocs_config["nav"]))
    for name in EXPECTED:
        assert f"notebooks/{name.replace('.py', '.ipynb')}" in pages
    assert "notation-map.md" in pages and "mistakes.md" in pages
    assert pages.index("notebooks/udl-deep-relu.ipynb") > pages.index("training.md")


def test_kernelspec_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    assert kernel.register() == kernel.KERNEL_NAME
    spec = KernelSpecManager().get_kernel_spec(kernel.KERNEL_NAME)
    assert spec.argv[0] == sys.executable
    assert Path(spec.resource_dir).name == kernel.KERNEL_NAME


def committed(name):
    return nbformat.read(NB_DIR / name.replace(".py", ".ipynb"), as_version=4)


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_notebook_is_the_executed_source(name):
    """docs/notebooks/X.ipynb has X.py's cells, every code cell executed, and the
    digest of the inputs its outputs were computed from."""
    import jupytext

    nb, source = committed(name), jupytext.read(NB_DIR / name)
    hint = f"run `make notebooks` and commit docs/notebooks/{name.replace('.py', '.ipynb')}"
    assert [(c.cell_type, c.source) for c in nb.cells] == \
           [(c.cell_type, c.source) for c in source.cells], f"the cells differ from {name}; {hint}"
    assert all(c.get("outputs") or c.get("execution_count") for c in nb.cells
               if c.cell_type == "code"), f"a code cell was not executed; {hint}"
    assert recorded_digest(NB_DIR / name.replace(".py", ".ipynb")) == \
        inputs_digest(NB_DIR / name, ROOT), f"{name}, src/ or the requirements changed; {hint}"


@pytest.mark.parametrize("name", EXPECTED)
def test_download_link_points_at_the_ipynb(name, site_dir):
    """Each page links its notebook, which the build copies beside the page."""
    ipynb = name.replace(".py", ".ipynb")
    assert f"[Download this notebook (.ipynb)]({ipynb})" in (NB_DIR / name).read_text("utf-8")
    assert (site_dir / "notebooks" / name.removesuffix(".py") / ipynb).is_file()


_executed = {}


def executed(name):
    """The notebook executed as `make notebooks` executes it (once per session)."""
    if name not in _executed:
        _executed[name] = execute(NB_DIR / name)
    return _executed[name]


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_outputs_are_what_the_code_prints_now(name):
    problems = stale_cells(committed(name), executed(name), torch_available())
    assert not problems, (f"docs/notebooks/{name.replace('.py', '.ipynb')} is stale; run "
                          "`make notebooks` and commit it:\n  " + "\n  ".join(problems))


def test_stale_outputs_are_detected():
    """The comparison fails on a changed number or word, and forgives only a
    different rounding of the last printed digit."""
    import copy

    fresh = committed("nnfs-chapter9.py")
    cell = next(c for c in fresh.cells if c.cell_type == "code" and "relative difference"
                in "".join(o.get("text", "") for o in c.get("outputs", [])))
    text = cell.outputs[0]["text"]
    assert stale_cells(fresh, copy.deepcopy(fresh), True) == []
    for changed, stale in [("any z exactly 0: False", "any z exactly 0: True"),
                           ("[[6. 6. 6.]]", "[[7. 6. 6.]]"),
                           ("0.44 -0.38", "0.45 -0.38")]:
        other = copy.deepcopy(fresh)
        for c in other.cells:
            for o in c.get("outputs", []):
                if "text" in o and changed in o["text"]:
                    o["text"] = o["text"].replace(changed, stale)
        assert stale_cells(fresh, other, True), f"{changed!r} -> {stale!r} went unnoticed"
    m = re.search(r"combined: (\d\.\de-\d+)", text)
    other = copy.deepcopy(fresh)
    other_cell = other.cells[fresh.cells.index(cell)]
    digit = m.group(1)[2]
    other_cell.outputs[0]["text"] = text.replace(
        m.group(1), m.group(1)[:2] + str((int(digit) + 1) % 10) + m.group(1)[3:])
    assert stale_cells(fresh, other, True) == [], "a rounding-level residue must not count"


def test_strict_build_rejects_a_notebook_with_old_outputs(tmp_path):
    """The build checks each committed notebook's input digest (docs_hooks/notebook_outputs.py)."""
    docs = tmp_path / "docs" / "notebooks"
    docs.mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    source = NB_DIR / "nnfs-chapter9.py"
    (docs / "nnfs-chapter9.py").write_text(source.read_text("utf-8") + "\n# %%\nprint(1)\n",
                                           encoding="utf-8")
    (docs / "nnfs-chapter9.ipynb").write_bytes((NB_DIR / "nnfs-chapter9.ipynb").read_bytes())
    script = ("import logging, sys; from mkdocs.commands.build import build; "
              "logging.basicConfig(level=logging.WARNING); "
              "from mkdocs.config import load_config; "
              "build(load_config(sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3], "
              "strict=True, nav=[{'Home': 'index.md'}, "
              "{'Nb': 'notebooks/nnfs-chapter9.ipynb'}]))")
    out = subprocess.run([sys.executable, "-c", script, str(ROOT / "mkdocs.yml"),
                          str(tmp_path / "docs"), str(tmp_path / "site")], cwd=ROOT,
                         env=dict(os.environ, EXEC_CACHE_DIR=str(tmp_path / "cache")),
                         capture_output=True, text=True, timeout=300, check=False)
    log = out.stdout + out.stderr
    assert out.returncode != 0, log[-3000:]
    assert "holds outputs computed from other code" in log and "make notebooks" in log, log[-3000:]


def outputs(nb, kind="text"):
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if kind == "text" and o.get("output_type") == "stream":
                out.append(o["text"])
            elif kind == "html" and "data" in o and "text/html" in o["data"]:
                out.append(o["data"]["text/html"])
            elif kind == "stderr" and o.get("name") == "stderr":
                out.append(o["text"])
    return out


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_executes_in_the_project_environment(name):
    nb = executed(name)
    text = "".join(outputs(nb))
    expected = (f"Executed by the kernel in {kernel.interpreter_location()} "
                f"(virtual environment: {sys.prefix != sys.base_prefix};")
    assert expected in text
    assert outputs(nb, "stderr") == []
    assert "FAIL" not in text and "Traceback" not in text


def test_udl_notebook():
    text = "".join(outputs(executed("udl-deep-relu.py")))
    assert text.count("agrees with the printed values: True") == 4
    assert text.count("allclose with forward differences: True") == 10
    assert "UDL's indicator in BP2 gives the same errors: True" in text
    assert re.search(r"network output f_K = a\^L = -0\.923 ", text)
    assert re.search(r"loss = 478\.11784299 ", text)
    assert re.search(r"within the bound 1e-0\d: True", text)
    assert any("data:image/svg+xml" in h for h in outputs(executed("udl-deep-relu.py"), "html"))


def test_circles_notebook():
    nb = executed("circles-nielsen.py")
    text = "".join(outputs(nb))
    assert "allclose (rtol 1e-12, atol 1e-15): True" in text
    assert re.search(r"within the bound 1e-0\d: True", text)
    accuracy = float(re.search(r"training accuracy after 200 epochs: ([\d.]+)%", text).group(1))
    assert accuracy > 95
    html = outputs(nb, "html")
    assert any("data:image/gif;base64," in h and 'alt="Animation' in h for h in html)


def test_lecture_notebook():
    text = "".join(outputs(executed("lecture-no-bias.py")))
    assert text.count("agrees with the source's printed gradient: True") == 3
    assert text.count("(matches the source's print: True)") == 3
    try:
        import torch  # noqa: F401
    except ImportError:
        assert "PyTorch is not installed" in text
    else:
        diff = float(re.search(r"relative difference from our gradients ([\d.e+-]+)", text)
                     .group(1))
        assert diff < 1e-12


def test_nnfs_notebook():
    text = "".join(outputs(executed("nnfs-chapter9.py")))
    assert text.count("matches the chapter's print: True") == 3
    assert text.count("match the chapter's print: True True") == 2
    assert "engine's delta^L / N equals the combined gradient: True" in text
    assert "any z exactly 0: False" in text


def test_coursera_notebook():
    nb = executed("coursera-curve.py")
    text = "".join(outputs(nb))
    rows = re.findall(r"(J_[Wb]\d) .*? vs 2 x ours: ([\d.e+-]+) .*? C_src: ([\d.e+-]+)", text)
    assert sorted(r[0] for r in rows) == ["J_W1", "J_W2", "J_W3", "J_b1", "J_b2", "J_b3"]
    assert all(float(a) < 1e-12 and float(b) < 1e-7 for _, a, b in rows)
    before, after = map(float, re.search(r"C_src: ([\d.]+) before, ([\d.]+) after", text).groups())
    assert after < before / 10
    assert any("data:image/svg+xml" in h for h in outputs(nb, "html"))


def test_kernel_metadata_is_plain_python3():
    """Downloads open in any Jupyter: the notebooks name the ordinary python3 kernel."""
    for name in EXPECTED:
        meta = json.loads((NB_DIR / name.replace(".py", ".ipynb")).read_text())["metadata"]
        assert meta["kernelspec"]["name"] == "python3"


def test_rendered_notebook_requests_nothing_from_a_cdn(mkdocs_config):
    """The HTML mkdocs-jupyter makes loads no script or stylesheet from another host.

    The MathJax <script> of nbconvert's template points at our local
    notebook-math.js; require.js is off; the template's mermaid loader only
    imports when a page has a mermaid diagram, and the notebooks have none.
    """
    from mkdocs_jupyter import convert

    cfg = mkdocs_config.plugins["mkdocs-jupyter"].config
    html = convert.nb2html(str(NB_DIR / "nnfs-chapter9.ipynb"), execute=False,
                           custom_mathjax_url=cfg["custom_mathjax_url"],
                           include_requirejs=cfg["include_requirejs"])
    srcs = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", html)
    assert f'<script src="{cfg["custom_mathjax_url"]}">' in html
    assert not [s for s in srcs if re.match(r"^(https?:)?//", s)]
    assert not [s for s in srcs if "require" in s]
    assert '<div class="jp-Mermaid">' not in html      # so the mermaid loader never imports
