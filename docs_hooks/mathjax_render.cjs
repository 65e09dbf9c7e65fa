// Typesets the site's TeX at build time with MathJax's own node package
// (mathjax-full, pinned in package.json), for docs_hooks/mathjax.py.
//
// Protocol: one JSON object per line on stdin, one per line on stdout.
//   first line out:  {"fonts": "<@font-face rules>", "version": "3.2.2"}
//   in:  {"id": 7, "items": [{"tex": "a^2", "display": false}, ...]}
//   out: {"id": 7, "html": ["<mjx-container ...>", ...], "css": "...", "errors": [...]}
// The items of one request are one page: they are typeset as one MathJax
// document, so \tag numbers, \label and \eqref work across the page's equations
// (forward references included).  Output: CHTML (the glyphs drawn by the
// site's woff fonts through CSS) with assistive MathML for screen readers.
// "css" holds the page's CHTML styles (only the glyphs and constructs it uses),
// without the @font-face rules, which come once in the first line.
"use strict";

const path = require("path");
const readline = require("readline");
const MJ = path.join(process.env.MATHJAX_FULL || path.join(__dirname, "..", "node_modules", "mathjax-full"), "js");
const {mathjax} = require(path.join(MJ, "mathjax.js"));
const {TeX} = require(path.join(MJ, "input/tex.js"));
const {CHTML} = require(path.join(MJ, "output/chtml.js"));
const {liteAdaptor} = require(path.join(MJ, "adaptors/liteAdaptor.js"));
const {RegisterHTMLHandler} = require(path.join(MJ, "handlers/html.js"));
const {AssistiveMmlHandler} = require(path.join(MJ, "a11y/assistive-mml.js"));
const {AllPackages} = require(path.join(MJ, "input/tex/AllPackages.js"));
// Named entities (&lt; ...) in MathML output; without it the lite adaptor asks
// to load them asynchronously and MathJax throws "MathJax retry".
require(path.join(MJ, "util/entities/all.js"));
const {VERSION} = require(path.join(MJ, "components/version.js"));

const FONT_URL = process.argv[2] || "woff-v2";
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// The packages a browser's MathJax loads or autoloads, less the ones that hide
// errors (noerrors, noundefined: an unknown macro must fail the build) and the
// loaders (autoload, require); textmacros is not autoloaded in a browser either.
const PACKAGES = AllPackages.filter((p) =>
  !["noerrors", "noundefined", "autoload", "require", "textmacros", "bussproofs"].includes(p));
// Metrics a browser would measure: 16 px em, 8 px ex, an 80 em line.
const EM = 16, EX = 8, WIDTH = 80 * 16;

function newDocument() {
  const tex = new TeX({packages: PACKAGES, tags: "ams", useLabelIds: true});
  const chtml = new CHTML({fontURL: FONT_URL, adaptiveCSS: true});
  return mathjax.document("", {InputJax: tex, OutputJax: chtml});
}

function splitCss(css) {
  const fonts = [], rest = [];
  for (const rule of css.split(/\n\n+/)) {
    (rule.startsWith("@font-face") ? fonts : rest).push(minify(rule));
  }
  return {fonts: fonts.join("\n"), css: rest.join("")};
}

function minify(rule) {
  return rule.replace(/\/\*.*?\*\//g, "").replace(/\s*\n\s*/g, "").replace(/:\s+/g, ":")
    .replace(/\s*\{\s*/g, "{").replace(/;\}/g, "}").trim();
}

function render(items) {
  const doc = newDocument();
  const MathItem = doc.options.MathItem;
  // A text node in the document for each item to start at: CHTML measures
  // characters outside its fonts (the lite adaptor estimates their width) in
  // a box it appends beside the item.
  const host = adaptor.node("div");
  adaptor.append(adaptor.body(doc.document), host);
  const at = adaptor.text("");
  adaptor.append(host, at);
  for (const it of items) {
    const m = new MathItem(it.tex, doc.inputJax[0], it.display,
                           {node: at, n: 0, delim: ""}, {node: at, n: 0, delim: ""});
    m.setMetrics(EM, EX, WIDTH, 100000, 1);
    doc.math.push(m);
  }
  // The items have no place in a DOM: find and measure are done by hand.
  doc.processed.set("findMath");
  doc.processed.set("getMetrics");
  doc.compile().typeset().assistiveMml();
  const html = [], errors = [];
  let i = 0;
  for (const m of doc.math) {
    const out = adaptor.outerHTML(m.typesetRoot);
    if (out.includes("<mjx-merror")) {
      const err = adaptor.getAttribute(adaptor.tags(m.typesetRoot, "mjx-merror")[0], "data-mjx-error");
      errors.push({index: i, tex: items[i].tex, message: err || "error"});
    }
    html.push(out);
    i += 1;
  }
  const {css} = splitCss(adaptor.textContent(doc.outputJax.styleSheet(doc)));
  return {html, css, errors};
}

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

const empty = newDocument();
send({version: VERSION, fonts: splitCss(adaptor.textContent(empty.outputJax.styleSheet(empty))).fonts});

readline.createInterface({input: process.stdin, crlfDelay: Infinity}).on("line", (line) => {
  if (!line.trim()) return;
  let req;
  try {
    req = JSON.parse(line);
    send({id: req.id, ...render(req.items)});
  } catch (err) {
    send({id: req ? req.id : null, error: String(err && err.stack || err)});
  }
});
