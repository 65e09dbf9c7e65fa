"""Guards over the built HTML of the site.

* every python code block a Markdown page displays is one the block runner
  (test_docs_blocks.py) executes -- nothing shown escapes the tests;
* no ``--8<--`` survives anywhere, and no page admits being unfinished;
* every internal link, anchor and asset reference resolves;
* headings nest without skipping levels;
* every link has a name a screen reader can read: text outside math (math is
  typeset with its glyphs hidden from assistive technology);
* the nav holds the twelve chapters (the home page first), in order;
* each form shows BP1..BP4, tagged ``\\tag{BPn}``, under an element ``#bpN-FORM``.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import is_markdown, load_site_config, nav_pages, page_url
from test_docs_blocks import MD_PAGES, page_blocks

CONFIG = load_site_config()
PAGES = nav_pages(CONFIG)

CHAPTERS = [
    ("Home", "index.md"),
    ("Notation and the forward pass", "notation.md"),
    ("The scalar chain", "scalar.md"),
    ("Index form", "index-form.md"),
    ("Vectorized form", "vectorized.md"),
    ("Mini-batches", "mini-batches.md"),
    ("The four equations side by side", "side-by-side.md"),
    ("Checking the equations", "checking.md"),
    ("The algorithm and training", "training.md"),
    ("Softmax and cross-entropy", "softmax.md"),
    ("Backpropagation as reverse mode", "reverse-mode.md"),
    ("What the equations tell us", "consequences.md"),
]
#: Where each form's four equations live.
FORMS = {
    "scalar": "scalar.md",
    "index": "index-form.md",
    "vectorized": "vectorized.md",
    "batched": "mini-batches.md",
    "rowmajor": "mini-batches.md",   # required once any #bpN-rowmajor exists
}
#: Words that mark an unfinished page.  "placeholder" describing a value ("w[0] is a
#: placeholder") is prose, not a marker.
UNFINISHED = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|being written|coming soon"
                        r"|lorem ipsum|(?<!is a )(?<!as a )\bplaceholder\b", re.IGNORECASE)
RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


@lru_cache(maxsize=None)
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(soup: BeautifulSoup):
    found = soup.select_one("article.md-content__inner")
    assert found is not None, "no Material article element"
    return found


def normalise_code(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def python_blocks_in_html(node) -> list[str]:
    """The text of every python code block (Material / pymdownx.highlight markup)."""
    out = []
    seen = set()
    for div in node.select("div.highlight"):
        classes = div.get("class", [])
        code = div.find("code")
        if code is None:
            continue
        lang_classes = set(classes) | set(code.get("class", []))
        if not ({"language-python", "highlight-python"} & lang_classes):
            continue
        seen.add(id(code))
        out.append(normalise_code(code.get_text()))
    for code in node.select("code.language-python"):
        if id(code) not in seen and code.parent is not None and code.parent.name == "pre":
            out.append(normalise_code(code.get_text()))
    return out


def html_pages(site_dir: Path) -> list[tuple[str, Path]]:
    return [(p, site_dir / page_url(p)) for p in PAGES]


# ---------------------------------------------------------------------------


def test_every_page_was_built(site_dir):
    missing = [f"{p} -> {f}" for p, f in html_pages(site_dir) if not f.is_file()]
    assert not missing, "pages in the nav without HTML: " + ", ".join(missing)
    assert len(PAGES) >= len(CHAPTERS)


@pytest.mark.parametrize("page", MD_PAGES)
def test_displayed_python_was_executed(page, site_dir):
    """Each python block on the page is one of the blocks the runner executes."""
    shown = python_blocks_in_html(article(soup_of(site_dir / page_url(page))))
    blocks, _ = page_blocks(page)
    run = {normalise_code(b.displayed) for b in blocks} | {normalise_code(b.code) for b in blocks}
    missing = [code for code in shown if code not in run]
    assert not missing, (
        f"docs/{page}: {len(missing)} python block(s) on the built page are not among the "
        "blocks tests/test_docs_blocks.py runs (fenced with something other than ```python, "
        "generated, or shown as a result in python?):\n\n" + "\n----\n".join(missing[:5]))
    exec_shown = [b for b in blocks if b.exec and b.source]
    assert len(shown) >= len([b for b in blocks if not b.exec]) + len(exec_shown), (
        f"docs/{page}: the page shows fewer python blocks ({len(shown)}) than its source has")


def test_some_python_is_displayed(site_dir):
    total = sum(len(python_blocks_in_html(article(soup_of(f)))) for p, f in html_pages(site_dir)
                if is_markdown(p))
    assert total > 0, "no python code block found in the built HTML of any page"


def test_no_snippet_markers_or_unfinished_text(site_dir):
    html_files = sorted(site_dir.rglob("*.html"))
    assert len(html_files) >= len(PAGES)
    problems = []
    for f in html_files:
        text = f.read_text(encoding="utf-8")
        if "--8<--" in text:
            problems.append(f"{f.relative_to(site_dir)}: contains an unexpanded --8<--")
    for page, f in html_pages(site_dir):
        body = article(soup_of(f)).get_text(" ")
        for m in UNFINISHED.finditer(body):
            start = max(0, m.start() - 60)
            problems.append(f"{page}: unfinished text {m.group(0)!r}: "
                            f"...{' '.join(body[start:m.end() + 60].split())}...")
    assert not problems, "\n".join(problems)


def _ids(soup) -> set[str]:
    return {el["id"] for el in soup.find_all(id=True)} | {
        el["name"] for el in soup.find_all("a", attrs={"name": True})}


def _resolve(site_dir: Path, page_file: Path, url: str) -> tuple[Path | None, str]:
    """The file a relative URL points to from page_file, and its fragment."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, ""
    base = "/" + page_file.relative_to(site_dir).as_posix()
    target = urljoin(base, unquote(parts.path)) if parts.path else base
    path = site_dir / target.lstrip("/")
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def test_internal_links_and_anchors_resolve(site_dir):
    problems = []
    checked_links = checked_anchors = 0
    site_url = urlsplit(CONFIG["site_url"] or "")
    for page, f in html_pages(site_dir):
        soup = soup_of(f)
        for a in soup.find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if parts.scheme or parts.netloc:
                if site_url.netloc and parts.netloc == site_url.netloc:
                    problems.append(f"{page}: absolute link to the site itself: {href}")
                continue
            target, frag = _resolve(site_dir, f, href)
            checked_links += 1
            if not target.is_file():
                problems.append(f"{page}: broken link {href!r} (no {target.relative_to(site_dir)})")
                continue
            if frag and target.suffix == ".html":
                checked_anchors += 1
                if frag not in _ids(soup_of(target)):
                    problems.append(f"{page}: link {href!r}: no element id={frag!r} in "
                                    f"{target.relative_to(site_dir)}")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"),
                          ("source", "src")):
            for el in soup.find_all(tag, attrs={attr: True}):
                url = el[attr]
                if tag == "link" and not RESOURCE_RELS & set(el.get("rel", [])):
                    continue  # canonical, alternate: addresses, not loads
                if url.startswith("data:"):
                    continue
                parts = urlsplit(url)
                if parts.scheme or parts.netloc:
                    problems.append(f"{page}: <{tag}> loads {url} from outside the site")
                    continue
                target, _ = _resolve(site_dir, f, url)
                checked_links += 1
                if not target.is_file():
                    problems.append(f"{page}: <{tag} {attr}={url!r}>: no such file")
    assert not problems, "\n".join(problems)
    assert checked_links > 5 * len(PAGES), "suspiciously few links checked"


#: Elements whose content assistive technology does not read as link text: the
#: typeset math (MathJax CHTML, its glyphs aria-hidden) and anything aria-hidden.
HIDDEN_FROM_NAME = 'mjx-container, .arithmatex, [aria-hidden="true"]'


def link_name(a) -> str:
    """The name a link offers a screen reader: aria-label or title, else its text
    outside math and hidden elements, and the alt text of its images."""
    for attr in ("aria-label", "title"):
        if a.get(attr, "").strip():
            return a[attr].strip()
    a = copy.copy(a)
    for el in a.select(HIDDEN_FROM_NAME):
        el.decompose()
    alts = " ".join(img.get("alt", "") for img in a.find_all("img"))
    return f"{a.get_text(' ', strip=True)} {alts}".strip()


def test_every_link_has_text_outside_math(site_dir):
    """axe's link-name rule, before the audit: a link whose only content is math,
    ``[$\\delta^L = a^L - y$](#...)``, has no accessible name, because the math is
    typeset at build time with its glyphs aria-hidden.  Write words in the link.
    Links MathJax itself puts inside math (``$\\eqref{...}$``) are hidden with it
    and read from its MathML, so they are not counted."""
    problems = []
    checked = 0
    for f in sorted(site_dir.rglob("*.html")):
        for a in soup_of(f).find_all("a", href=True):
            if a.find_parent(["mjx-container"]) or a.find_parent(attrs={"aria-hidden": "true"}):
                continue
            checked += 1
            if not link_name(a):
                problems.append(f"{f.relative_to(site_dir)}: link to {a['href']!r} has no text "
                                f"outside math: {str(a)[:120]}")
    assert not problems, "\n".join(problems)
    assert checked > 20 * len(PAGES), "suspiciously few links checked"


def test_link_name_ignores_math_and_reads_words():
    soup = BeautifulSoup(
        '<p><a href="#x"><span class="arithmatex"><mjx-container><mjx-math aria-hidden="true">'
        '</mjx-math><mjx-assistive-mml>δ</mjx-assistive-mml></mjx-container></span></a>'
        '<a href="#y">why <span class="arithmatex"><mjx-container></mjx-container></span></a>'
        '<a href="/" aria-label="Home"><svg></svg></a></p>', "html.parser")
    assert [link_name(a) for a in soup.find_all("a")] == ["", "why", "Home"]


def test_headings_nest_in_order(site_dir):
    problems = []
    for page, f in html_pages(site_dir):
        levels = [(int(h.name[1]), h.get_text(" ", strip=True).rstrip("¶").strip())
                  for h in article(soup_of(f)).find_all(HEADINGS)]
        if not levels:
            problems.append(f"{page}: no headings")
            continue
        if levels[0][0] != 1:
            problems.append(f"{page}: first heading is h{levels[0][0]} ({levels[0][1]!r}), not h1")
        h1s = [t for lv, t in levels if lv == 1]
        if len(h1s) != 1:
            problems.append(f"{page}: {len(h1s)} h1 headings: {h1s}")
        for (prev, _), (lv, title) in zip(levels, levels[1:], strict=False):
            if lv > prev + 1:
                problems.append(f"{page}: h{prev} -> h{lv} jump at {title!r}")
    assert not problems, "\n".join(problems)


def test_nav_lists_the_chapters_in_order(site_dir):
    nav = CONFIG["nav"]
    entries = []
    for item in nav:
        assert isinstance(item, dict), f"nav entry without a title: {item!r}"
        (title, target), = item.items()
        entries.append((title, target))
    assert entries[:len(CHAPTERS)] == CHAPTERS, (
        "mkdocs.yml nav must start with the chapters, in order:\n"
        + "\n".join(f"  {t}: {p}" for t, p in CHAPTERS))
    # ... and the built site shows them so.
    soup = soup_of(site_dir / "index.html")
    primary = soup.select_one("nav.md-nav--primary > ul.md-nav__list")
    assert primary is not None, "no primary navigation in the built page"
    shown = [" ".join(li.find(["a", "label"]).get_text(" ", strip=True).split())
             for li in primary.find_all("li", recursive=False)]
    assert shown[:len(CHAPTERS)] == [t for t, _ in CHAPTERS], shown


def _section_text(el) -> str:
    """The element and what follows it up to the next heading of its level or above."""
    level = int(el.name[1]) if el.name in HEADINGS else 7
    parts = [el.decode()]
    for sib in el.find_next_siblings():
        if sib.name in HEADINGS and int(sib.name[1]) <= level:
            break
        if sib.name in HEADINGS and level == 7:
            break
        parts.append(sib.decode())
    return "".join(parts)


def tags_in(html: str) -> set[int]:
    """The n of every equation tagged (BPn) in typeset math: MathJax puts the tag in the
    MathML for screen readers as <mlabeledtr><mtd><mtext>(BPn)</mtext>."""
    soup = BeautifulSoup(html, "html.parser")
    found = set()
    for row in soup.select(".arithmatex mlabeledtr"):
        label = row.find("mtext")
        m = re.fullmatch(r"\(BP([1-4])\)", label.get_text(strip=True)) if label else None
        if m:
            found.add(int(m.group(1)))
    return found


def test_every_form_shows_the_four_tagged_equations(site_dir):
    problems = []
    forms = dict(FORMS)
    rowmajor_present = any(
        f"bp{n}-rowmajor" in _ids(soup_of(f)) for _, f in html_pages(site_dir) for n in range(1, 5))
    if not rowmajor_present:
        forms.pop("rowmajor")
    for form, page in forms.items():
        f = site_dir / page_url(page)
        if not f.is_file():
            problems.append(f"{page}: not built, so the {form} form's equations are missing")
            continue
        soup = soup_of(f)
        for n in range(1, 5):
            anchor = f"bp{n}-{form}"
            el = soup.find(id=anchor)
            if el is None:
                problems.append(f"{page}: no element with id {anchor!r} (heading "
                                f"'... {{ #{anchor} }}')")
                continue
            if n not in tags_in(_section_text(el)):
                problems.append(f"{page}: the section #{anchor} shows no display equation "
                                f"tagged (BP{n}) (\\tag{{BP{n}}})")
        tags = tags_in(str(soup.select_one("article")))
        if tags != {1, 2, 3, 4}:
            problems.append(f"{page}: tagged BP equations {sorted(tags)}, expected [1, 2, 3, 4]")
    assert not problems, "\n".join(problems)


def test_math_is_typeset_in_the_html_and_no_page_loads_mathjax(site_dir):
    """Every arithmatex element holds MathJax's CHTML with MathML for screen readers;
    no page, notebook pages included, loads a MathJax script or carries nbconvert's
    MathJax-2 configuration; every page links the MathJax fonts' stylesheet."""
    problems = []
    typeset = 0
    for page, f in html_pages(site_dir):
        soup = soup_of(f)
        for el in article(soup).select(".arithmatex"):
            container = el.find("mjx-container")
            if container is None or container.find("mjx-assistive-mml") is None:
                problems.append(f"{page}: math not typeset: {el.get_text()[:80]!r}")
            typeset += 1
        scripts = [s.get("src", "") + s.get_text()[:200] for s in soup.find_all("script")]
        if any("mathjax" in s.lower() for s in scripts):
            problems.append(f"{page}: a script mentions MathJax")
        if soup.find("script", type="text/x-mathjax-config"):
            problems.append(f"{page}: nbconvert's MathJax-2 configuration is on the page")
        if not soup.select('link[rel=stylesheet][href*="assets/mathjax/fonts-"]'):
            problems.append(f"{page}: no link to the MathJax fonts' stylesheet")
    assert not problems, "\n".join(problems[:20])
    assert typeset > 20 * len(PAGES)


NEW_CHAPTERS = ("softmax.md", "reverse-mode.md", "consequences.md")


@pytest.mark.parametrize("chapter", NEW_CHAPTERS)
def test_the_later_chapters_have_the_house_skeleton(chapter, site_dir):
    """Each later chapter: the house headings, at least 1,500 words of prose (code,
    math, tables and figures not counted), 25 math spans, a figure drawn at build,
    worked answers, and links to it from the home page, side-by-side and notation."""
    art = copy.copy(article(soup_of(site_dir / page_url(chapter))))
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in art.select("h2")]
    for wanted in ("What we want to know", "Summary", "Exercises"):
        assert wanted in headings, f"{chapter}: no '{wanted}' section"
    math = len(art.select("mjx-container"))
    figures = len(art.select("img"))
    answers = len(art.select("details.success"))
    for el in art.select("pre, code, script, style, mjx-container, .highlight, table, img"):
        el.decompose()
    words = len(art.get_text(" ").split())
    assert words >= 1500, f"{chapter}: {words} words of prose"
    assert math >= 25, f"{chapter}: {math} math spans"
    assert figures >= 1, f"{chapter}: no figure"
    assert answers >= 1, f"{chapter}: no worked answer"
    target = page_url(chapter).removesuffix("index.html")
    for page in ("index.md", "side-by-side.md", "notation.md"):
        here = site_dir / page_url(page)
        hrefs = {urljoin(page_url(page), unquote(a["href"])).split("#")[0]
                 for a in article(soup_of(here)).select("a[href]")}
        assert target in hrefs or target + "index.html" in hrefs, \
            f"{page} does not link to {chapter}"
