"""The built site in a real browser: headless Chromium driven by Playwright.

The site is served from 127.0.0.1 (http.server, ephemeral port).  Every page:
math typeset (an ``mjx-container`` in each arithmatex element, no ``merror``),
no console or page errors, no request leaving localhost and no failed request,
images loaded with alt text, a copy button on every code block.  Across the
site: search finds "BP2", instant navigation keeps math rendered, the palette
toggle switches light/dark.  Full-page screenshots go to artifacts/screenshots/.

Uses Debian's Chromium (/usr/bin/chromium); without it the tests skip and the
terminal summary says how to install it.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, find_chromium, load_site_config, nav_pages, note_browser_skip, page_url

pytestmark = pytest.mark.browser

CONFIG = load_site_config()
PAGES = nav_pages(CONFIG)
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site.  The sitemap's addresses are rewritten from
    site_url to this server's address, as if the site were deployed at its
    site_url: Material's instant navigation only follows links that the
    sitemap lists (it keeps the sitemap's port and path)."""

    site_url = ""
    base_url = ""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        if self.path.split("?")[0] == "/sitemap.xml" and self.site_url and self.base_url:
            path = Path(self.directory) / "sitemap.xml"
            if path.is_file():
                body = path.read_text(encoding="utf-8").replace(
                    self.site_url, self.base_url).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()

    def end_headers(self):
        # Cacheable assets, as on GitHub Pages.
        if not self.path.endswith((".html", "/", ".xml")):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


@pytest.fixture(scope="module")
def base_url(site_dir):
    site_url = CONFIG["site_url"] or ""
    handler_cls = type("Handler", (_SiteHandler,), {"site_url": site_url.rstrip("/") + "/"})
    handler = functools.partial(handler_cls, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    handler_cls.base_url = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        reason = ("Chromium not found (/usr/bin/chromium or `chromium` on PATH): "
                  "the browser tests did not run")
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason + " and REQUIRE_BROWSER is set", pytrace=False)
        note_browser_skip(reason)
        pytest.skip("!!! " + reason + " -- apt-get install chromium !!!")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Recorder:
    """Everything a page does on the network and the console."""

    def __init__(self, base_url: str):
        self.base = urlsplit(base_url)
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []

    def local(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or (
            parts.scheme in ("http", "https") and parts.netloc == self.base.netloc)

    def route(self, route):
        url = route.request.url
        if self.local(url):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def attach(self, context, page):
        context.route("**/*", self.route)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})")
                if self.local(r.url) else None)
        page.on("response", lambda r: self.failed.append(f"{r.url} (HTTP {r.status})")
                if r.status >= 400 else None)
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def problems(self) -> list[str]:
        out = [f"request leaving localhost: {u}" for u in self.outside]
        out += [f"failed request: {u}" for u in self.failed]
        out += self.errors
        return out


@pytest.fixture
def context(browser, base_url):
    ctx = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900},
                              service_workers="block")
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    rec = Recorder(base_url)
    rec.attach(ctx, page)
    try:
        yield ctx, page, rec
    finally:
        ctx.close()


WAIT_MATH_JS = """
async () => {
  const arith = Array.from(document.querySelectorAll('article .arithmatex'));
  if (arith.length === 0 && !document.querySelector('article .jupyter-wrapper')) return true;
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  await MathJax.startup.promise;
  return arith.every(el => el.querySelector('mjx-container'));
}
"""

MATH_STATE_JS = """
() => {
  const arith = Array.from(document.querySelectorAll('article .arithmatex'));
  return {
    total: arith.length,
    unrendered: arith.filter(el => !el.querySelector('mjx-container'))
                     .map(el => el.textContent.slice(0, 120)),
    errors: Array.from(document.querySelectorAll('mjx-merror, merror, [data-mjx-error]'))
                 .map(el => (el.getAttribute('data-mjx-error') || el.textContent).slice(0, 200)),
    containers: document.querySelectorAll('article mjx-container').length,
    // CHTML draws each glyph with CSS (mjx-c::before); a glyph without it is blank.
    blank: Array.from(document.querySelectorAll('article mjx-container mjx-c'))
                .filter(c => !c.textContent &&
                        getComputedStyle(c, '::before').content === 'none').length,
    tags: Array.from(document.querySelectorAll('article mjx-container mjx-mtd[id^="mjx-eqn"], '
                     + 'article mjx-container mjx-labels')).length,
  };
}
"""

IMAGES_JS = """
async () => {
  const imgs = Array.from(document.querySelectorAll('article img'));
  await Promise.all(imgs.map(img => img.complete ? null :
      new Promise(res => { img.addEventListener('load', res);
                           img.addEventListener('error', res); })));
  return imgs.map(img => ({src: img.currentSrc.slice(0, 80), width: img.naturalWidth,
                           alt: (img.getAttribute('alt') || '').trim()}));
}
"""

#: Material's copy button (9.8: nav.md-code__nav > button[data-md-type=copy]; older: .md-clipboard)
COPY_BUTTON = "button.md-code__button[data-md-type='copy'], button.md-clipboard"

COPY_JS = """
(sel) => Array.from(document.querySelectorAll('article pre > code')).map(code => ({
  text: code.textContent.slice(0, 60),
  copy: !!code.parentElement.querySelector(sel),
}))
"""

ALL_COPY_JS = """
(sel) => Array.from(document.querySelectorAll('article pre > code'))
             .every(code => code.parentElement.querySelector(sel))
"""


def wait_for_math(page):
    page.wait_for_function(WAIT_MATH_JS, timeout=TIMEOUT_MS)


def open_page(page, url):
    page.goto(url, wait_until="load")
    wait_for_math(page)
    # Material adds the copy buttons from its document$ subscription.
    page.wait_for_function(ALL_COPY_JS, arg=COPY_BUTTON, timeout=TIMEOUT_MS)


def shot_name(page_path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", page_path.rsplit(".", 1)[0]).strip("-") or "index"


def url_of(base_url: str, page: str) -> str:
    path = page_url(page)
    return base_url + (path[:-len("index.html")] if path.endswith("index.html") else path)


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_browser(page_path, context, base_url):
    ctx, page, rec = context
    open_page(page, url_of(base_url, page_path))
    problems = []

    math = page.evaluate(MATH_STATE_JS)
    if math["unrendered"]:
        problems.append(f"{len(math['unrendered'])} of {math['total']} math elements not "
                        f"typeset, e.g. {math['unrendered'][:3]}")
    if math["errors"]:
        problems.append(f"MathJax errors: {math['errors'][:5]}")
    if math["blank"]:
        problems.append(f"{math['blank']} math glyphs have no font CSS: the math is blank "
                        "(was something typeset before the site's typeset cleared the cache?)")
    if math["containers"] < math["total"]:
        problems.append(f"{math['containers']} mjx-container for {math['total']} math elements")
    source = Path(CONFIG["docs_dir"]) / page_path
    if source.suffix == ".md" and "$" in source.read_text(encoding="utf-8") and math["total"] == 0:
        problems.append("the page source has $ math but the page has no arithmatex element")

    for img in page.evaluate(IMAGES_JS):
        if img["width"] <= 0:
            problems.append(f"image did not load: {img['src']}")
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")

    missing_copy = [c["text"] for c in page.evaluate(COPY_JS, COPY_BUTTON) if not c["copy"]]
    if missing_copy:
        problems.append(f"{len(missing_copy)} code blocks without a copy button, "
                        f"e.g. {missing_copy[:2]}")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot_name(page_path)}.png"), full_page=True)

    problems += rec.problems()
    assert rec.requests, "no requests recorded"
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_search_finds_bp2(context, base_url):
    ctx, page, rec = context
    open_page(page, base_url)
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box sits in the header
    box.press_sequentially("BP2", delay=80)  # Material searches on key events
    selector = ".md-search-result__item a.md-search-result__link"
    page.locator(selector).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)")
    # one snapshot: Material re-renders the list while results arrive
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    pages_found = {urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs if h}
    forms = {"scalar", "index-form", "vectorized", "mini-batches", "side-by-side"}
    assert pages_found & forms, f"search for BP2 found {hrefs}"
    assert not rec.problems(), rec.problems()


def test_instant_navigation_keeps_math(context, base_url):
    ctx, page, rec = context
    open_page(page, base_url)
    page.evaluate("window.__stillHere = 'yes'")
    target = "vectorized/"
    link = page.locator(f"nav.md-nav--primary a.md-nav__link[href$='{target}']").first
    link.click()
    page.wait_for_url(re.compile(re.escape(target) + r"$"))
    wait_for_math(page)
    assert page.evaluate("window.__stillHere") == "yes", (
        "navigation reloaded the page: navigation.instant is not working")
    math = page.evaluate(MATH_STATE_JS)
    assert math["total"] > 0, "the vectorized page shows no math"
    assert not math["unrendered"] and not math["errors"] and not math["blank"], math
    # and back again: the first page's math is typeset anew
    page.go_back()
    page.wait_for_url(base_url)
    wait_for_math(page)
    math = page.evaluate(MATH_STATE_JS)
    assert not math["unrendered"] and not math["errors"] and not math["blank"], math
    assert not rec.problems(), rec.problems()


def test_palette_toggle_switches_scheme(context, base_url):
    ctx, page, rec = context
    target = next((p for p in PAGES if p == "vectorized.md"), PAGES[0])
    open_page(page, url_of(base_url, target))
    scheme = page.get_attribute("body", "data-md-color-scheme")
    assert scheme == "default", scheme
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    wait_for_math(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot_name(target)}-dark.png"), full_page=True)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert not rec.problems(), rec.problems()


def test_mathjax_is_served_by_the_site(context, base_url):
    """MathJax 3.2.2 comes from assets/mathjax/ and typesets \\tag{...}."""
    ctx, page, rec = context
    open_page(page, base_url)
    version = page.evaluate("window.MathJax && MathJax.version")
    assert version == "3.2.2", version
    rendered = page.evaluate("""async () => {
        const div = document.createElement('div');
        div.className = 'arithmatex';
        div.textContent = '\\\\[ \\\\delta^l = (w^{l+1})^T \\\\delta^{l+1} \\\\tag{BP2} \\\\]';
        document.querySelector('article').appendChild(div);
        await MathJax.typesetPromise([div]);
        return {html: div.innerHTML.length, err: !!div.querySelector('mjx-merror'),
                text: div.textContent};
    }""")
    assert rendered["html"] > 0 and not rendered["err"], rendered
    assert "BP2" in rendered["text"], rendered
    mathjax = [u for u in rec.requests if "/assets/mathjax/" in u]
    for component in ("startup.js", "core.js", "input/tex.js", "output/chtml.js"):
        assert any(u.endswith("/assets/mathjax/" + component) for u in mathjax), (
            component, rec.requests)
    assert any(".woff" in u for u in mathjax), "MathJax fonts were not loaded from the site"
    assert not rec.problems(), rec.problems()


RAW_TEX_JS = """
() => {
  // The article's text outside code, scripts and rendered math: TeX left here was not typeset.
  const art = document.querySelector('article').cloneNode(true);
  art.querySelectorAll('pre, code, script, style, mjx-container, .highlight').forEach(e => e.remove());
  const text = art.textContent;
  const m = text.match(/\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$\\n]{0,200}?\\$|\\\\(?:frac|mathbf|sum|partial|sigma|delta|begin)\\b/);
  return m ? text.slice(Math.max(0, m.index - 40), m.index + 60).replace(/\\s+/g, ' ') : null;
}
"""


def check_math(page, where: str) -> list[str]:
    problems = []
    math = page.evaluate(MATH_STATE_JS)
    if math["unrendered"]:
        problems.append(f"{where}: {len(math['unrendered'])} of {math['total']} math elements "
                        f"not typeset, e.g. {math['unrendered'][:2]}")
    if math["errors"]:
        problems.append(f"{where}: MathJax errors {math['errors'][:3]}")
    if math["blank"]:
        problems.append(f"{where}: {math['blank']} math glyphs without font CSS (blank)")
    raw = page.evaluate(RAW_TEX_JS)
    if raw:
        problems.append(f"{where}: raw TeX on the page: ...{raw}...")
    return problems


def settle(page):
    """Wait until the page's math is final (client-side MathJax, where a page has it)."""
    page.wait_for_function("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        await document.fonts.ready;
        return true;
    }""", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def test_every_page_reached_by_in_site_clicks(context, base_url):
    """Start at the home page and click "Next" in the footer through the whole nav:
    instant navigation (no reload) into, through and out of the notebooks, math
    typeset on arrival; then back through every page and forward again."""
    ctx, page, rec = context
    page.goto(base_url, wait_until="load")
    settle(page)
    page.evaluate("window.__stillHere = 'yes'")
    problems = check_math(page, PAGES[0])
    for target in PAGES[1:]:
        page.locator("a.md-footer__link--next").click()
        page.wait_for_url(url_of(base_url, target))
        settle(page)
        if page.evaluate("window.__stillHere") != "yes":
            problems.append(f"{target}: the click reloaded the page (instant navigation is off)")
        problems += check_math(page, f"{target} (by click)")
    for target in reversed(PAGES[:-1]):
        page.go_back()
        page.wait_for_url(url_of(base_url, target))
        settle(page)
        problems += check_math(page, f"{target} (back)")
    for target in PAGES[1:]:
        page.go_forward()
        page.wait_for_url(url_of(base_url, target))
        settle(page)
        problems += check_math(page, f"{target} (forward)")
    problems += rec.problems()
    assert not problems, "\n".join(problems)
