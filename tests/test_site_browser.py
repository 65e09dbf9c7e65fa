"""The built site in a real browser: headless Chromium driven by Playwright.

The site is served from 127.0.0.1 as its host serves it (scripts/site_server.py:
gzip, the sitemap rewritten so that instant navigation works as at site_url).

* Every page, loaded directly: the math is in the HTML (an ``mjx-container`` in
  each arithmatex element, every glyph drawn, no ``merror``, no TeX left in the
  text), no MathJax script, no console or page errors, no request leaving
  localhost and no failed request, images loaded with alt text, a copy button
  on every code block.
* Every page reached by in-site clicks (the footer's "Next" through the whole
  nav, instant navigation into, through and out of the notebooks), then back
  and forward through all of them; the sidebar into a notebook and out.
* The palette toggle, dark and light, on a chapter and a notebook.
* At 390 px, light and dark: no page pans sideways, and every box that scrolls
  sideways can be reached by the keyboard and has a name.
* Search finds "BP2".

Full-page screenshots (1280 px light; 390 px light and dark) go to
artifacts/screenshots/.  Uses Debian's Chromium (/usr/bin/chromium); without it
the tests skip and the terminal summary says how to install it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from audit import PHONE_JS, SHOW_ALL_JS
from conftest import ROOT, find_chromium, load_site_config, nav_pages, note_browser_skip, page_url
from site_server import CHROMIUM_ARGS, serve

pytestmark = pytest.mark.browser

CONFIG = load_site_config()
PAGES = nav_pages(CONFIG)
NOTEBOOKS = [p for p in PAGES if not p.endswith(".md")]
SHOTS = ROOT / "artifacts" / "screenshots"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def base_url(site_dir):
    with serve(site_dir, CONFIG["site_url"] or "") as url:
        yield url


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

IN_VIEW_COPY_JS = """
(sel) => Array.from(document.querySelectorAll('article pre > code')).every(code => {
  const r = code.parentElement.getBoundingClientRect();
  const seen = r.bottom > 0 && r.top < innerHeight && r.height > 0;
  return !seen || code.parentElement.querySelector(sel);
})
"""

#: Open every collapsed answer and scroll through the page a screen at a time, as a
#: reader does; then close the answers again.  Material mounts a code block (its copy
#: button) when the block first comes into view (`content.lazy` in mkdocs.yml):
#: mounting every block at load was the largest part of a long page's blocking time
#: on a phone.
SCROLL_THROUGH_JS = """
async () => {
  const frames = n => new Promise(r => {
    const step = () => (n-- > 0 ? requestAnimationFrame(step) : r());
    step();
  });
  const closed = Array.from(document.querySelectorAll('article details:not([open])'));
  closed.forEach(d => { d.open = true; });
  for (const set of document.querySelectorAll('article .tabbed-set')) {  // every tab, in view
    const tabs = Array.from(set.querySelectorAll(':scope > input'));
    const was = tabs.find(t => t.checked);
    for (const tab of tabs) {
      tab.click();
      set.scrollIntoView();
      await frames(2);
    }
    if (was) was.click();
  }
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight * 0.9) {
    window.scrollTo(0, y);
    await frames(2);
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await frames(2);
  closed.forEach(d => { d.open = false; });
  window.scrollTo(0, 0);
  return true;
}
"""


def settle(page):
    """Wait for the fonts (the math's glyphs are drawn with MathJax's woff fonts)."""
    page.wait_for_function("document.fonts.ready.then(() => true)", timeout=TIMEOUT_MS)


def open_page(page, url):
    page.goto(url, wait_until="load")
    settle(page)
    # Material mounts the code blocks in view (copy buttons) from its document$ subscription.
    page.wait_for_function(IN_VIEW_COPY_JS, arg=COPY_BUTTON, timeout=TIMEOUT_MS)


def shot_name(page_path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", page_path.rsplit(".", 1)[0]).strip("-") or "index"


def url_of(base_url: str, page: str) -> str:
    path = page_url(page)
    return base_url + (path[:-len("index.html")] if path.endswith("index.html") else path)


RAW_TEX_JS = r"""
() => {
  // The article's text outside code, scripts and rendered math: TeX left here was not typeset.
  const art = document.querySelector('article').cloneNode(true);
  art.querySelectorAll('pre, code, script, style, mjx-container, .highlight')
     .forEach(e => e.remove());
  const text = art.textContent;
  const m = text.match(new RegExp(
      String.raw`\\\(|\\\[|\$\$|\$[^$\s][^$\n]{0,200}?\$|` +
      String.raw`\\(?:frac|mathbf|sum|partial|sigma|delta|begin)\b`));
  return m ? text.slice(Math.max(0, m.index - 40), m.index + 60).replace(/\s+/g, ' ') : null;
}
"""



def check_math(page, where: str) -> list[str]:
    """The page's math, as a reader sees it: every arithmatex element typeset, every
    glyph drawn, no TeX error and no TeX left in the text."""
    problems = []
    math = page.evaluate(MATH_STATE_JS)
    if math["unrendered"]:
        problems.append(f"{where}: {len(math['unrendered'])} of {math['total']} math elements "
                        f"not typeset, e.g. {math['unrendered'][:2]}")
    if math["errors"]:
        problems.append(f"{where}: TeX errors {math['errors'][:3]}")
    if math["blank"]:
        problems.append(f"{where}: {math['blank']} math glyphs without their CSS (blank)")
    if math["containers"] < math["total"]:
        problems.append(f"{where}: {math['containers']} mjx-container for {math['total']} "
                        "math elements")
    raw = page.evaluate(RAW_TEX_JS)
    if raw:
        problems.append(f"{where}: raw TeX on the page: ...{raw}...")
    return problems


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_browser(page_path, context, base_url):
    ctx, page, rec = context
    open_page(page, url_of(base_url, page_path))
    problems = check_math(page, page_path)
    math = page.evaluate(MATH_STATE_JS)
    source = Path(CONFIG["docs_dir"]) / page_path
    if "$" in source.read_text(encoding="utf-8") and math["total"] == 0:
        problems.append("the page source has $ math but the page has no arithmatex element")
    if page.evaluate("typeof window.MathJax") != "undefined":
        problems.append("the page loads MathJax: its math should be in the HTML")

    for img in page.evaluate(IMAGES_JS):
        if img["width"] <= 0:
            problems.append(f"image did not load: {img['src']}")
        if not img["alt"]:
            problems.append(f"image without alt text: {img['src']}")

    page.evaluate(SCROLL_THROUGH_JS)
    missing_copy = [c["text"] for c in page.evaluate(COPY_JS, COPY_BUTTON) if not c["copy"]]
    if missing_copy:
        problems.append(f"{len(missing_copy)} code blocks without a copy button, "
                        f"e.g. {missing_copy[:2]}")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate(SHOW_ALL_JS)  # a full-page screenshot shows what a reader scrolls through
    page.screenshot(path=str(SHOTS / f"{shot_name(page_path)}.png"), full_page=True)

    problems += rec.problems()
    assert rec.requests, "no requests recorded"
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_every_page_reached_by_in_site_clicks(context, base_url):
    """Start at the home page and click "Next" in the footer through the whole nav:
    instant navigation (no reload) into, through and out of the notebooks, math
    typeset on arrival; then back through every page and forward again."""
    ctx, page, rec = context
    open_page(page, base_url)
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
    assert page.evaluate("window.__stillHere") == "yes", "back/forward reloaded the page"
    problems += rec.problems()
    assert not problems, "\n".join(problems)


def test_sidebar_into_a_notebook_and_out(context, base_url):
    """The sidebar: open the notebooks' section, click a notebook, then a chapter."""
    ctx, page, rec = context
    start = next(p for p in PAGES if p == "vectorized.md")
    open_page(page, url_of(base_url, start))
    page.evaluate("window.__stillHere = 'yes'")
    problems = []
    for target in (NOTEBOOKS[-1], "mini-batches.md"):
        href = url_of("", target).rstrip("/").rsplit("/", 1)[-1] + "/"
        link = page.locator(f"nav.md-nav--primary a.md-nav__link[href$='{href}']").first
        if not link.is_visible():  # a collapsed section: open it by its label
            section = link.locator("xpath=ancestor::li[contains(@class,'md-nav__item--nested')]")
            section.locator("label.md-nav__link").first.click()
        link.click()
        page.wait_for_url(url_of(base_url, target))
        settle(page)
        problems += check_math(page, f"{target} (sidebar)")
    assert page.evaluate("window.__stillHere") == "yes", "navigation reloaded the page"
    problems += rec.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("target", ["vectorized.md", NOTEBOOKS[0]])
def test_palette_toggle_switches_scheme(target, context, base_url):
    ctx, page, rec = context
    open_page(page, url_of(base_url, target))
    toggle = page.locator("form[data-md-component='palette'] label:visible").first
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    problems = check_math(page, f"{target} (dark)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot_name(target)}-toggled-dark.png"))
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    problems += check_math(page, f"{target} (light again)")
    problems += rec.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_fits(scheme, browser, base_url):
    """390 px wide: no page pans sideways; a box that scrolls sideways (a wide
    equation, table or code block) is reachable by the keyboard and named; the
    math is typeset.  Full-page screenshots of every page."""
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844},
                              is_mobile=True, has_touch=True, service_workers="block")
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    rec = Recorder(base_url)
    rec.attach(ctx, page)
    problems = []
    try:
        for target in PAGES:
            open_page(page, url_of(base_url, target))
            page.evaluate(SHOW_ALL_JS)
            layout = page.evaluate(PHONE_JS)
            if layout["pans"]:
                problems.append(f"{target}: the page pans {layout['pans']} px sideways")
            for box in layout["scrollers"]:
                if not (box["focusable"] and box["named"]):
                    problems.append(f"{target}: a {box['kind']} scrolls {box['hidden']} px but "
                                    f"is not reachable by the keyboard and named: {box['text']!r}")
            problems += check_math(page, f"{target} (390 px {scheme})")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{shot_name(target)}-390-{scheme}.png"),
                            full_page=True)
    finally:
        ctx.close()
    problems += rec.problems()
    assert not problems, "\n".join(problems)


def test_checking_answer_4_reads_whole_on_a_phone(browser, base_url):
    """The worked answer to exercise 4 of the checking chapter: every line of its
    math fits a 390 px screen."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              service_workers="block")
    page = ctx.new_page()
    try:
        open_page(page, url_of(base_url, "checking.md"))
        answer = page.locator("article details").filter(has_text="kink is at least one step")
        assert answer.count() == 1, "checking.md: the answer to exercise 4 was not found"
        answer.locator("summary").click()
        widths = answer.evaluate("""d => Array.from(d.querySelectorAll('mjx-container'))
            .map(c => { const box = c.closest('div.arithmatex');
                        return [c.getBoundingClientRect().right,
                                box ? box.scrollWidth - box.clientWidth : 0]; })""")
        assert widths, "the answer has no math"
        assert all(right <= 390 and hidden <= 0 for right, hidden in widths), widths
    finally:
        ctx.close()


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


def test_math_fonts_come_from_the_site_and_tags_render(context, base_url):
    """No MathJax script anywhere; the glyphs' woff fonts load from assets/mathjax/;
    \\tag{BP2} is typeset as a label (with MathML for screen readers)."""
    ctx, page, rec = context
    open_page(page, url_of(base_url, "vectorized.md"))
    assert page.evaluate("typeof window.MathJax") == "undefined"
    tags = page.evaluate("""() => ({
        labels: document.querySelectorAll('article mjx-container mjx-labels').length,
        mathml: Array.from(document.querySelectorAll('article mjx-assistive-mml mlabeledtr'))
                     .map(t => t.textContent.trim()).filter(t => /^\\(BP[1-4]\\)/.test(t)),
    })""")
    assert tags["labels"] >= 4 and len(tags["mathml"]) >= 4, tags
    scripts = [u for u in rec.requests if u.endswith(".js")]
    assert not [u for u in scripts if "mathjax" in u.lower()], scripts
    fonts = [u for u in rec.requests if ".woff" in u]
    assert fonts and all("/assets/mathjax/woff-v2/" in u for u in fonts), fonts
    assert not rec.problems(), rec.problems()
