"""Build-time math (docs_hooks/mathjax.py and its node renderer): what it reads
from a page, how it marks a notebook's math, and what MathJax makes of it --
\\tag, \\label and \\eqref across a page's equations (a forward reference too),
MathML for screen readers, a TeX error reported rather than drawn, glyph CSS
without the @font-face rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs_hooks"))

import mathjax  # noqa: E402  (docs_hooks/mathjax.py)


@pytest.fixture(scope="module")
def renderer():
    r = mathjax._Renderer(mathjax.mathjax_package(ROOT))
    try:
        yield r
    finally:
        r.close()


def render(renderer, items):
    return renderer.answer(renderer.submit(items))


def test_math_items_reads_arithmatex_markup_in_page_order():
    page = ('<p>Let <span class="arithmatex">\\(a &lt; b\\)</span>.</p>'
            '<div class="arithmatex">\\[\nx^2 \\tag{BP1}\n\\]</div>'
            '<div class="arithmatex">\\begin{align}y\\end{align}</div>')
    assert mathjax.math_items(page) == [
        {"tex": "a < b", "display": False},
        {"tex": "\nx^2 \\tag{BP1}\n", "display": True},
        {"tex": "\\begin{align}y\\end{align}", "display": True},
    ]


def test_notebook_math_is_marked_and_mathjax2_removed():
    nb = ('<div class="jupyter-wrapper"><!-- Load mathjax --><script src="x.js"> </script>'
          '<script type="text/x-mathjax-config">MathJax.Hub.Config({})</script>'
          '<!-- End of mathjax configuration -->'
          '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
          '<p>Cost $C = \\frac12 x$ and <code>$HOME</code></p>'
          '<div><p>nested $y$</p></div>'
          '<p>$$\nz = 1\n$$</p></div>'
          '<div class="jp-OutputArea"><pre>price: $5 and $6</pre></div></div>')
    out = mathjax.notebook_math(nb)
    assert "x-mathjax-config" not in out and "x.js" not in out
    assert '<span class="arithmatex">\\(C = \\frac12 x\\)</span>' in out
    assert '<span class="arithmatex">\\(y\\)</span>' in out
    assert '<div class="arithmatex">\\[\nz = 1\n\\]</div>' in out
    assert "<code>$HOME</code>" in out                 # code is not math
    assert "price: $5 and $6" in out                    # nor is a cell's output
    assert [i["display"] for i in mathjax.math_items(out)] == [False, False, True]


def test_tags_labels_and_forward_references(renderer):
    msg = render(renderer, [
        {"tex": "\\text{see } \\eqref{bp2}", "display": False},   # before its label
        {"tex": "\\delta^l = w \\delta \\tag{BP2}\\label{bp2}", "display": True},
    ])
    assert not msg["errors"]
    ref, eq = msg["html"]
    assert 'href="#mjx-eqn%3Abp2"' in ref and "MathJax_ref" in ref
    assert 'id="mjx-eqn:bp2"' in eq and "<mjx-labels" in eq
    assert "<mjx-assistive-mml" in eq and "<mtext>(BP2)</mtext>" in eq   # for screen readers
    assert 'aria-hidden="true"' in eq                                  # the visual copy


def test_a_tex_error_is_reported(renderer):
    msg = render(renderer, [{"tex": "x + \\nosuchmacro", "display": False}])
    assert msg["errors"] and "nosuchmacro" in msg["errors"][0]["message"]


def test_page_css_has_the_glyphs_but_not_the_fonts(renderer):
    msg = render(renderer, [{"tex": "\\sigma'(z)", "display": False}])
    css = msg["css"]
    assert "mjx-c.mjx-c1D70E" in css       # σ, italic
    assert "@font-face" not in css
    fonts = renderer.hello["fonts"]
    assert fonts.count("@font-face") >= 20 and 'url("woff-v2/MathJax_Main-Regular.woff")' in fonts
