// MathJax 3 configuration for pymdownx.arithmatex (generic mode).
// MathJax itself is served by the site (assets/mathjax/, see docs_hooks/mathjax.py).
window.MathJax = {
  loader: {
    // startup.js (extra_javascript) loads these from assets/mathjax/; core.js and
    // the TeX font data come as their dependencies.  No context menu (426 kB).
    load: ["input/tex", "output/chtml", "a11y/assistive-mml"]
  },
  tex: {
    // arithmatex emits \( \) and \[ \]; notebook cells (mkdocs-jupyter) keep $ and $$.
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
    // \tag{BP2} and \label / \eqref within a page
    tags: "ams",
    useLabelIds: true
  },
  options: {
    // Only typeset what arithmatex marked as math (and notebook cells).
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jupyter-wrapper"
  },
  startup: {
    // Typeset from document$ below, once per page (first load and instant navigation).
    typeset: false,
    ready: function () {
      MathJax.startup.defaultReady();
      var first = true;
      document$.subscribe(function () {
        var navigated = !first;
        first = false;
        MathJax.startup.promise = MathJax.startup.promise
          .then(function () {
            // After instant navigation the CHTML font CSS must be rebuilt for the
            // new page; on the first page nothing is cached yet, and clearing
            // would drop the CSS of anything a page script typeset already.
            if (navigated) MathJax.startup.output.clearCache();
            MathJax.typesetClear();
            MathJax.texReset();
            return MathJax.typesetPromise();
          })
          .catch(function (err) {
            console.error("MathJax typeset failed: " + err.message);
          });
      });
    }
  }
};
