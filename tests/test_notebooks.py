"""The companion notebooks: configuration, kernel, and every notebook executed.

mkdocs-jupyter executes the notebooks at build time; these tests execute them
again with nbclient, in the same kernel, and check what they print.
"""

import json
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from derivations.companions import kernel

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


def test_plugin_is_configured_to_execute_strictly_and_fresh(mkdocs_config):
    cfg = mkdocs_config.plugins["mkdocs-jupyter"].config
    assert cfg["execute"] is True
    assert cfg["allow_errors"] is False          # its default is True
    assert cfg["cache"] is False                 # no stale outputs
    assert cfg["include_source"] is True
    assert cfg["include_requirejs"] is False     # no require.js from a CDN
    assert cfg["kernel_name"] == kernel.KERNEL_NAME
    assert cfg["include"] == ["notebooks/*.py"]


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
        assert f"notebooks/{name}" in pages
    assert "notation-map.md" in pages and "mistakes.md" in pages
    assert pages.index("notebooks/udl-deep-relu.py") > pages.index("training.md")


def test_kernelspec_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    assert kernel.register() == kernel.KERNEL_NAME
    spec = KernelSpecManager().get_kernel_spec(kernel.KERNEL_NAME)
    assert spec.argv[0] == sys.executable
    assert Path(spec.resource_dir).name == kernel.KERNEL_NAME


@pytest.mark.parametrize("name", EXPECTED)
def test_downloadable_ipynb_matches_the_source(name):
    """docs/notebooks/X.ipynb (the download) has the same cells as X.py."""
    source = jupytext.read(NB_DIR / name)
    download = nbformat.read(NB_DIR / name.replace(".py", ".ipynb"), as_version=4)
    assert [(c.cell_type, c.source) for c in download.cells] == \
           [(c.cell_type, c.source) for c in source.cells], (
        f"docs/notebooks/{name} changed; regenerate its download with "
        f"'.venv/bin/jupytext --to ipynb docs/notebooks/{name}'")
    assert all(not c.get("outputs") for c in download.cells)


@pytest.mark.parametrize("name", EXPECTED)
def test_download_link_points_at_the_ipynb(name):
    text = (NB_DIR / name).read_text(encoding="utf-8")
    assert f"(../{name.replace('.py', '.ipynb')})" in text


_executed = {}


def executed(name):
    """The notebook executed in the project kernel (once per test session)."""
    if name not in _executed:
        from nbclient import NotebookClient

        nb = jupytext.read(NB_DIR / name)
        NotebookClient(nb, kernel_name=kernel.register(), allow_errors=False, timeout=300,
                       resources={"metadata": {"path": str(ROOT)}}).execute()
        _executed[name] = nb
    return _executed[name]


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
    assert "): pass" in text
    assert any("data:image/svg+xml" in h for h in outputs(executed("udl-deep-relu.py"), "html"))


def test_circles_notebook():
    nb = executed("circles-nielsen.py")
    text = "".join(outputs(nb))
    assert "allclose (rtol 1e-12, atol 1e-15): True" in text
    assert "): pass" in text
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
    html = convert.nb2html(str(NB_DIR / "nnfs-chapter9.py"), execute=False,
                           custom_mathjax_url=cfg["custom_mathjax_url"],
                           include_requirejs=cfg["include_requirejs"])
    srcs = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", html)
    assert f'<script src="{cfg["custom_mathjax_url"]}">' in html
    assert not [s for s in srcs if re.match(r"^(https?:)?//", s)]
    assert not [s for s in srcs if "require" in s]
    assert '<div class="jp-Mermaid">' not in html      # so the mermaid loader never imports
