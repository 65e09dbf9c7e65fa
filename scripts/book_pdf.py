#!/usr/bin/env python3
"""Print the whole book -- every page of the nav, in nav order -- to one PDF.

    python scripts/book_pdf.py --site-dir site        # writes site/derivations.pdf

The pages come from the built site, so the PDF has exactly what the site has:
the math typeset at build time, the figures, the code and its output, every
worked answer opened.  They are joined into one print page (a title page, a
table of contents, then one chapter per nav entry, each starting on a new
page), which headless Chromium prints to A4 with page numbers and an outline
(PDF bookmarks) of the headings.

Links between pages become links inside the PDF: every id is prefixed with
its page's name (``vectorized--bp2-vectorized``), so ``vectorized.md#bp2-...``
from another chapter, an in-page ``#anchor`` and a ``\\eqref`` all jump to their
place in the book.  Links to files that are not pages (a notebook's .ipynb)
point at the published site (``site_url``).

The print page is written into the site directory, served from 127.0.0.1
(scripts/site_server.py) so that its stylesheets and fonts load as on the
site, and deleted after printing.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from site_pages import nav_entries, page_url
from site_server import CHROMIUM_ARGS, find_chromium, serve

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "derivations.pdf"
PRINT_PAGE = "_book-print.html"

#: Print layout on top of the site's own stylesheets.
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html { font-size: 100%; }
body { margin: 0; background: #fff; }
.book-title { break-after: page; padding-top: 30vh; }
.book-title h1 { font-size: 2.4em; margin-bottom: 0.4em; }
.book-contents { break-after: page; }
.book-contents ol { font-size: 1.1em; line-height: 1.9; }
.book-chapter { break-before: page; }
.md-typeset { font-size: 0.84rem; }  /* 10 pt */
.md-typeset pre > code { white-space: pre-wrap; overflow-wrap: anywhere; }
.md-typeset div.arithmatex, .md-typeset .md-typeset__scrollwrap {
  overflow: visible; background: none;
}
.md-typeset table:not([class]) { font-size: 0.9em; }
.md-typeset h2, .md-typeset h3, .md-typeset h4 { break-after: avoid; }
.md-typeset img, .md-typeset div.arithmatex, .md-typeset .highlight { break-inside: avoid; }
.md-typeset a { color: inherit; }
"""

_DROP = ("script", "button", "a.headerlink", "a.anchor-link", "a.md-content__button",
         "aside.md-source-file", ".md-feedback", "nav.md-code__nav")


def slug(page: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", page.rsplit(".", 1)[0]).strip("-") or "index"


def site_path(page_file: Path, site: Path, url: str) -> str | None:
    """The site-relative path (no leading /) a relative URL in page_file points to."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "data:", "mailto:")):
        return None
    base = "/" + page_file.relative_to(site).as_posix()
    return urljoin(base, unquote(parts.path)).lstrip("/")


def chapter(site: Path, page: str, pages_by_path: dict[str, str], site_url: str):
    """One page's article, its ids prefixed and its links pointed into the book."""
    from bs4 import BeautifulSoup

    page_file = site / page_url(page)
    soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise SystemExit(f"{page_file}: no article element")
    me = slug(page)
    for sel in _DROP:
        for el in article.select(sel):
            el.decompose()
    for det in article.find_all("details"):
        det["open"] = ""
    for el in article.find_all(id=True):
        el["id"] = f"{me}--{el['id']}"
    for a in article.find_all("a", href=True):
        href = a["href"]
        if href.startswith("#"):
            a["href"] = f"#{me}--{unquote(href[1:])}"
            continue
        target = site_path(page_file, site, href)
        if target is None:
            continue
        frag = unquote(urlsplit(href).fragment)
        key = target if target.endswith(".html") else posixpath.join(target, "index.html")
        other = pages_by_path.get(key.lstrip("/"))
        if other is not None:
            a["href"] = f"#{slug(other)}--{frag}" if frag else f"#{slug(other)}"
        else:  # a file the book does not contain: the published site has it
            a["href"] = urljoin(site_url or "", quote(target)) if site_url else target
    for tag, attr in (("img", "src"), ("link", "href"), ("source", "src")):
        for el in article.find_all(tag, attrs={attr: True}):
            target = site_path(page_file, site, el[attr])
            if target is not None:
                el[attr] = target
    section = soup.new_tag("section", attrs={"class": "book-chapter", "id": me})
    section.extend(list(article.contents))
    return soup, section


def book_html(site: Path, config) -> str:
    from bs4 import BeautifulSoup

    entries = nav_entries(config)
    pages_by_path = {page_url(p): p for _, p in entries}
    first = BeautifulSoup((site / page_url(entries[0][1])).read_text(encoding="utf-8"),
                          "html.parser")
    site_url = config["site_url"] or ""
    sheets = []
    for link in first.head.find_all("link", rel="stylesheet"):
        target = site_path(site / page_url(entries[0][1]), site, link["href"])
        if target is not None:
            sheets.append(f'<link rel="stylesheet" href="{target}">')
    verified = first.select_one(".md-copyright__highlight")
    verified_text = " ".join(verified.get_text(" ").split()) if verified else ""
    verified_text = verified_text.split(" The whole book")[0]

    chapters, contents, ids, hrefs = [], [], set(), set()
    for title, page in entries:
        _, section = chapter(site, page, pages_by_path, site_url)
        ids |= {el["id"] for el in section.find_all(id=True)} | {section["id"]}
        hrefs |= {(page, a["href"][1:]) for a in section.find_all("a", href=True)
                  if a["href"].startswith("#")}
        chapters.append(str(section))
        contents.append(f'<li><a href="#{slug(page)}">{title}</a></li>')
    broken = sorted(f"{page}: #{target}" for page, target in hrefs if target not in ids)
    if broken:
        raise SystemExit("links that lead nowhere in the book:\n  " + "\n  ".join(broken))
    name = config["site_name"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title>
{''.join(sheets)}
<style>{PRINT_CSS}</style></head>
<body data-md-color-scheme="default" data-md-color-primary="indigo">
<div class="md-typeset">
<section class="book-title"><h1>{name}</h1>
<p>The whole text of the site{f' <a href="{site_url}">{site_url}</a>' if site_url else ''},
every chapter and companion notebook in order, with its equations, code and figures.</p>
<p>{verified_text}</p></section>
<section class="book-contents"><h2>Contents</h2><ol>{''.join(contents)}</ol></section>
{''.join(chapters)}
</div></body></html>"""


def print_pdf(site: Path, config, out: Path) -> tuple[int, float]:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Chromium not found (/usr/bin/chromium or $CHROMIUM): "
                         "apt-get install chromium")
    page_file = site / PRINT_PAGE
    page_file.write_text(book_html(site, config), encoding="utf-8")
    start = time.perf_counter()
    try:
        with serve(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                         args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.emulate_media(media="print")
            tab.goto(base + PRINT_PAGE, wait_until="networkidle", timeout=120_000)
            tab.evaluate("document.fonts.ready.then(() => true)")
            tab.pdf(path=str(out), format="A4", print_background=True, outline=True,
                    tagged=True, display_header_footer=True,
                    header_template="<span></span>",
                    footer_template='<div style="font-size:8px;width:100%;text-align:center;'
                                    'color:#555"><span class="pageNumber"></span> / '
                                    '<span class="totalPages"></span></div>',
                    margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
            browser.close()
    finally:
        page_file.unlink(missing_ok=True)
    from pypdf import PdfReader

    return len(PdfReader(str(out)).pages), time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site-dir", type=Path, default=ROOT / "site")
    ap.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml")
    ap.add_argument("--out", type=Path, help=f"default: SITE_DIR/{PDF_NAME}")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    from site_report import load_config

    site = args.site_dir.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} holds no built site: run `make build` first")
    config = load_config(args.config_file.resolve())
    out = (args.out or site / PDF_NAME).resolve()
    pages, seconds = print_pdf(site, config, out)
    print(f"{out}: {pages} pages, {out.stat().st_size / 1e6:.1f} MB, printed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
