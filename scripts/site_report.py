#!/usr/bin/env python3
"""Report how long an author waits, and what each page of the site costs a reader.

    python scripts/site_report.py                 # time a cold build, make serve and an
                                                  # edit (author_timings.py), then measure
                                                  # the pages of that cold build
    python scripts/site_report.py --site-dir site # measure an existing build (no timing)
    python scripts/site_report.py --no-browser    # sum the files the HTML references instead

For every page in the nav it lists the bytes a first visit transfers: the HTML
(with the figures inlined as data-URI SVG counted separately) and every asset the
page loads -- recorded in headless Chromium (fonts and MathJax components that are
loaded by script included), or, with --no-browser, parsed from the HTML.  Sizes
are given raw and gzip-compressed (GitHub Pages compresses text).  Assets that
every page shares (Material's bundle, MathJax, the search index) are downloaded
once and then cached, so a reader pays them on the first page only.

The report is informational; it prints the targets (cold build at most 10 s,
first page of `make serve` at most 8 s, an edit visible within 3 s; heaviest
page below 2 MB without figures) and whether they are met, and exits 0.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import author_timings
from site_pages import nav_entries as nav_pages
from site_pages import page_url

ROOT = Path(__file__).resolve().parents[1]
PAGE_LIMIT = 2_000_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DATA_URI = re.compile(rb"""(?:src|href)=["'](data:[^"']*)["']""")


def human(n: float) -> str:
    for unit in ("B", "kB", "MB"):
        if abs(n) < 1000 or unit == "MB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:.1f} MB"


@functools.lru_cache(maxsize=None)
def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def load_config(config_file: Path):
    from mkdocs.config import load_config as _load

    cwd = os.getcwd()
    os.chdir(config_file.parent)
    try:
        return _load(config_file=str(config_file))
    finally:
        os.chdir(cwd)


def url_to_file(site: Path, path: str) -> Path | None:
    f = site / unquote(path).lstrip("/")
    if f.is_dir():
        f = f / "index.html"
    return f if f.is_file() else None


def assets_from_html(site: Path, html_file: Path) -> list[Path]:
    """Local files the HTML references (scripts, stylesheets, images), plus what
    they load by themselves that we know of (MathJax fonts, the search index)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    rel_base = html_file.parent
    found: list[Path] = []
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for el in soup.find_all(tag, attrs={attr: True}):
            if tag == "link" and not {"stylesheet", "icon"} & set(el.get("rel", [])):
                continue
            url = el[attr]
            if url.startswith("data:") or urlsplit(url).scheme:
                continue
            f = (rel_base / unquote(urlsplit(url).path)).resolve()
            if f.is_file():
                found.append(f)
    if any("/assets/mathjax/" in f.as_posix() for f in found):
        # startup.js loads these itself (see docs/javascripts/mathjax.js)
        mj = site / "assets/mathjax"
        found += [mj / n for n in ("core.js", "input/tex.js", "output/chtml.js",
                                   "output/chtml/fonts/tex.js", "a11y/assistive-mml.js")
                  if (mj / n).is_file()]
        fonts = mj / "output/chtml/fonts/woff-v2"
        found += [fonts / n for n in ("MathJax_Zero.woff", "MathJax_Main-Regular.woff",
                                      "MathJax_Math-Italic.woff", "MathJax_Size1-Regular.woff")
                  if (fonts / n).is_file()]
    found += sorted((site / "assets/javascripts/workers").glob("search.*.js"))
    index = site / "search" / "search_index.json"
    if index.is_file():
        found.append(index)
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def assets_in_browser(site: Path, pages: list[str], chromium: str) -> dict[str, list[Path]]:
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out: dict[str, list[Path]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                         args=CHROMIUM_ARGS)
            for page in pages:
                ctx = browser.new_context(service_workers="block")  # cold cache each page
                tab = ctx.new_page()
                urls: list[str] = []
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                          or r.request.url.startswith("data:") else r.abort())
                tab.on("request", lambda r, urls=urls: urls.append(r.url))
                path = page_url(page)
                rel = path[:-len("index.html")] if path.endswith("index.html") else path
                tab.goto(f"{base}/{rel}",
                         wait_until="load")
                try:
                    tab.wait_for_function(
                        "async () => !window.MathJax || !MathJax.startup"
                        " || !MathJax.startup.promise"
                        " || (await MathJax.startup.promise, true)", timeout=30_000)
                    tab.wait_for_load_state("networkidle", timeout=30_000)
                except Exception as exc:  # noqa: BLE001 -- a report, not a test
                    print(f"  ({page}: {exc.__class__.__name__} while waiting; measured so far)")
                files = []
                for u in dict.fromkeys(urls):
                    parts = urlsplit(u)
                    if parts.scheme == "data" or not u.startswith(base):
                        continue
                    f = url_to_file(site, parts.path)
                    if f is not None:
                        files.append(f.resolve())
                out[page] = files
                ctx.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def find_chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.access(path, os.X_OK):
            return path
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml")
    ap.add_argument("--site-dir", type=Path, help="measure this build instead of building")
    ap.add_argument("--no-browser", action="store_true", help="parse HTML instead of Chromium")
    args = ap.parse_args(argv)

    config = load_config(args.config_file.resolve())
    pages = nav_pages(config)
    tmp = None
    timings = None
    if args.site_dir:
        site = args.site_dir.resolve()
    else:
        print("Timing a cold build, make serve and an edit, in a scratch copy ...", flush=True)
        timings = author_timings.measure()
        print("\n".join(author_timings.report(timings)), flush=True)
        tmp = timings.scratch
        site = timings.build_dir

    chromium = None if args.no_browser else find_chromium()
    if chromium:
        print("Measuring each page in headless Chromium (cold cache) ...", flush=True)
        loaded = assets_in_browser(site, [p for _, p in pages], chromium)
        how = "recorded in headless Chromium"
    else:
        if not args.no_browser:
            print("Chromium not found: summing the files the HTML references instead.")
        loaded = {p: assets_from_html(site, site / page_url(p)) for _, p in pages}
        how = "parsed from the HTML"

    home = pages[0][1]
    home_assets = set(loaded.get(home, []))
    rows = []
    shared: dict[Path, int] = {}
    for _title, page in pages:
        html = site / page_url(page)
        raw = html.read_bytes()
        figures = sum(len(m) for m in DATA_URI.findall(raw))
        html_raw, html_gz = sizes(html)
        assets = [f for f in dict.fromkeys(loaded.get(page, [])) if f != html.resolve()]
        own = [f for f in assets if f not in home_assets]
        for f in assets:
            shared[f] = shared.get(f, 0) + 1
        nofig_gz = len(gzip.compress(DATA_URI.sub(b'src=""', raw), 6))
        rows.append(dict(
            page=page, html=html_raw, figures=figures, n=len(assets),
            cold_gz_nofig=nofig_gz + sum(sizes(f)[1] for f in assets),
            cold_raw=html_raw + sum(sizes(f)[0] for f in assets),
            cold_gz=html_gz + sum(sizes(f)[1] for f in assets),
            mathjax=sum(sizes(f)[0] for f in assets if "/assets/mathjax/" in f.as_posix()),
            warm_raw=html_raw + sum(sizes(f)[0] for f in own),
            warm_gz=html_gz + sum(sizes(f)[1] for f in own)))

    print()
    print(f"Bytes each page transfers (assets {how}).")
    print("  cold: first page of a visit, empty cache -- HTML + every asset it loads;")
    print("  warm: after the home page -- HTML + assets the home page did not load.")
    print("  raw = uncompressed; gzip = on the wire from a server that compresses "
          "(GitHub Pages does).  figures = inline data-URI images inside the HTML.")
    head = (f"{'page':30} {'HTML':>9} {'figures':>9} {'assets':>6} {'MathJax':>8} "
            f"{'cold raw':>9} {'cold gzip':>9} {'warm raw':>9} {'warm gzip':>9}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['page'][:30]:30} {human(r['html']):>9} {human(r['figures']):>9} {r['n']:>6} "
              f"{human(r['mathjax']):>8} {human(r['cold_raw']):>9} {human(r['cold_gz']):>9} "
              f"{human(r['warm_raw']):>9} {human(r['warm_gz']):>9}")
    print()
    common = [f for f, k in shared.items() if k == len(rows)]
    common_raw = sum(sizes(f)[0] for f in common)
    print(f"Loaded by every page (downloaded once, then cached): {len(common)} files, "
          f"{human(common_raw)} raw, {human(sum(sizes(f)[1] for f in common))} gzip")
    for f in sorted(common, key=lambda f: -sizes(f)[0])[:8]:
        print(f"    {human(sizes(f)[0]):>9}  {f.relative_to(site.resolve()).as_posix()}")
    total_site = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"Whole site on disk: {human(total_site)}")
    print()
    print("Targets (heaviest page, figures excluded)")

    def verdict(value, limit):
        ok = value < limit
        return f"{'<' if ok else '>='} {human(limit)}  {'OK' if ok else 'MISSED'}"

    for key, label in (("cold_raw", "cold, raw"), ("warm_raw", "warm, raw"),
                       ("cold_gz_nofig", "cold, on the wire (gzip)")):
        fig = (lambda r: 0) if key.endswith("_nofig") else (lambda r: r["figures"])
        worst = max(rows, key=lambda r: r[key] - fig(r))
        value = worst[key] - fig(worst)
        print(f"  {label:26} {human(value):>9} ({worst['page']}) {verdict(value, PAGE_LIMIT)}")
    if timings is not None:
        print()
        print("\n".join(author_timings.report(timings)))
    else:
        print("  authoring times: not measured (--site-dir given)")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
