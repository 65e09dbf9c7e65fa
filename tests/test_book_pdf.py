"""The book: `make pdf` (scripts/book_pdf.py) prints every page of the nav, in
nav order, to derivations.pdf, which the site publishes and links from every
page's footer.  Opened with pypdf: its length, its chapters (outline entries,
each on the page where the chapter starts, in nav order, titled as the pages'
h1), no TeX left unrendered, links inside the book that land where they point.

``make test`` writes $SITE_DIR/derivations.pdf before the tests run; without
it the PDF is printed here from the site under test (needs Chromium).
"""

from __future__ import annotations

import re

import pytest
from book_pdf import slug
from bs4 import BeautifulSoup
from conftest import load_site_config, nav_pages, page_url
from site_pages import nav_entries

pypdf = pytest.importorskip("pypdf")

CONFIG = load_site_config()
PAGES = nav_pages(CONFIG)
#: TeX that typesetting would have consumed: delimiters and common macros.
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\(?:frac|tfrac|mathbf|mathrm|sum|partial|sigma|delta|"
                     r"begin|end|tag|left|right|odot|top|nabla|varepsilon)\b")


@pytest.fixture(scope="module")
def pdf_path(site_dir, tmp_path_factory):
    path = site_dir / "derivations.pdf"
    if path.is_file():
        return path
    from book_pdf import print_pdf
    from site_server import find_chromium

    if find_chromium() is None:
        pytest.skip("no derivations.pdf in the site and no Chromium to print one")
    out = tmp_path_factory.mktemp("book") / "derivations.pdf"
    print_pdf(site_dir, CONFIG, out)
    return out


@pytest.fixture(scope="module")
def reader(pdf_path):
    return pypdf.PdfReader(str(pdf_path))


@pytest.fixture(scope="module")
def page_texts(reader):
    return [page.extract_text() or "" for page in reader.pages]


def h1_of(site_dir, page: str) -> str:
    soup = BeautifulSoup((site_dir / page_url(page)).read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.select_one("article h1").get_text(" ").replace("¶", "").split())


def chapter_starts(reader) -> list[tuple[str, int]]:
    """(title, page index) of the outline's top-level entries."""
    return [(item.title, reader.get_destination_page_number(item))
            for item in reader.outline if not isinstance(item, list)]


def test_chapters_in_nav_order_each_on_its_own_pages(reader, site_dir):
    starts = chapter_starts(reader)
    title_page, chapters = starts[0], starts[1:]
    assert title_page == (CONFIG["site_name"], 0), starts[:2]
    assert [t for t, _ in chapters] == [h1_of(site_dir, p) for p in PAGES], (
        "the PDF's chapters are not the nav's pages in order:\n"
        + "\n".join(f"  {t}" for t, _ in chapters))
    pages = [n for _, n in chapters]
    assert pages[0] >= 2, "the first chapter should follow the title page and the contents"
    assert all(b > a for a, b in zip(pages, pages[1:])), f"chapter start pages {pages}"


def test_page_count(reader):
    """Every chapter starts a new page after the title page and the contents."""
    n = len(reader.pages)
    assert len(PAGES) + 2 <= n < 600, f"{n} pages"


def test_the_whole_text_is_in_the_book(site_dir, page_texts):
    """Nine in ten of the words (of four letters or more) that the site's pages show
    outside math and code appear in the PDF's text (PDF text extraction runs some
    words together, so not all)."""
    site_words = set()
    for page in PAGES:
        soup = BeautifulSoup((site_dir / page_url(page)).read_text(encoding="utf-8"),
                             "html.parser")
        article = soup.select_one("article")
        for el in article.select("script, style, mjx-container, pre, a.headerlink"):
            el.decompose()
        site_words |= {w for w in article.get_text(" ").split() if w.isalpha() and len(w) > 3}
    pdf_words = {w for t in page_texts for w in t.split()}
    found = len(site_words & pdf_words) / len(site_words)
    assert found >= 0.9, (f"{found:.0%} of the site's words are in the PDF; missing e.g. "
                          f"{sorted(site_words - pdf_words)[:20]}")


def test_contents_lists_every_chapter(page_texts):
    contents = " ".join(page_texts[1].split())
    assert contents.startswith("Contents"), contents[:80]
    missing = [t for t, _ in nav_entries(CONFIG) if " ".join(t.split()) not in contents]
    assert not missing, f"the contents page lacks {missing}"


def test_no_raw_tex(page_texts):
    found = [(n + 1, m.group(0), t[max(0, m.start() - 40):m.end() + 40])
             for n, t in enumerate(page_texts) for m in RAW_TEX.finditer(t)]
    assert not found, f"TeX left in the PDF: {found[:5]}"


def test_links_inside_the_book_land_where_they_point(reader):
    named = {name.lstrip("/"): reader.get_destination_page_number(dest)
             for name, dest in reader.named_destinations.items()}
    internal, broken = 0, []
    for n, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link" or "/Dest" not in annot:
                continue
            internal += 1
            dest = str(annot["/Dest"]).lstrip("/")
            if dest not in named:
                broken.append((n + 1, dest))
    assert not broken, f"links to destinations the PDF lacks: {broken[:5]}"
    assert internal >= len(PAGES) + 20, f"only {internal} links inside the book"
    # the contents page: entry k jumps to the page where chapter k starts
    starts = [p for _, p in chapter_starts(reader)[1:]]
    assert [named.get(slug(p)) for p in PAGES] == starts


def test_the_book_is_linked_from_the_home_page(site_dir):
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in home.find_all("a", href=True)
             if a["href"].endswith("derivations.pdf")]
    assert links, "the home page does not link the PDF"
    assert all((site_dir / "index.html").parent.joinpath(h).resolve().is_file() for h in links)
