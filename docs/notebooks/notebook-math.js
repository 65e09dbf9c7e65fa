// Math in the companion notebooks (mkdocs-jupyter pages).
//
// mkdocs-jupyter leaves the notebooks' Markdown math as text between $ … $
// and $$ … $$.  The site's MathJax (served from assets/mathjax/) typesets only
// elements marked the way pymdownx.arithmatex marks them, so this script
// wraps each piece of math in the same markup -- <span class="arithmatex">\( … \)</span>
// or <div class="arithmatex">\[ … \]</div> -- before MathJax runs.
// It replaces the CDN MathJax that nbconvert's template would load
// (mkdocs.yml points custom_mathjax_url here), so nothing leaves the site.
//
// Timing: on a first load this script runs while the page is parsed and
// converts at DOMContentLoaded, before Material's document$ fires the site's
// typeset.  On instant navigation Material re-runs the scripts of the new page
// and waits for them before document$ fires, so the conversion again comes
// first.  It must not typeset by itself: the site's typeset clears MathJax's
// CSS cache, which would blank any math typeset before it.
(function () {
  "use strict";
  var MATH = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g;

  function wrapTextNode(node) {
    var text = node.nodeValue;
    MATH.lastIndex = 0;
    if (!MATH.test(text)) return;
    MATH.lastIndex = 0;
    var frag = document.createDocumentFragment();
    var last = 0;
    var m;
    while ((m = MATH.exec(text)) !== null) {
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      var display = m[1] !== undefined;
      var el = document.createElement(display ? "div" : "span");
      el.className = "arithmatex";
      el.textContent = display ? "\\[" + m[1] + "\\]" : "\\(" + m[2] + "\\)";
      frag.appendChild(el);
      last = MATH.lastIndex;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
  }

  function convert() {
    var cells = document.querySelectorAll(".jupyter-wrapper .jp-MarkdownCell .jp-RenderedMarkdown");
    cells.forEach(function (cell) {
      if (cell.getAttribute("data-math-wrapped")) return;
      cell.setAttribute("data-math-wrapped", "1");
      var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) {
          return n.parentNode.closest("code, pre, .arithmatex")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(wrapTextNode);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", convert);
  } else {
    convert();
  }
})();
