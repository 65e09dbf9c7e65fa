// Boxes that scroll sideways -- a wide display equation, table or notebook
// cell -- must be reachable by the keyboard (arrow keys scroll a
// focused box) and say what they are.  Whether a box scrolls depends on the
// screen, so this is decided here, on every page (Material's document$ fires
// on the first load and after each instant navigation) and when the window
// is resized: a box that overflows gets tabindex="0", a role and a name
// (tables: a labelled region; the others: a labelled group) and the
// attribute data-scrolls (extra.css draws its focus ring); a box that fits
// loses them again.  Code blocks follow Material's rule: focusable where the
// pointer can hover, not on touch screens.
(function () {
  "use strict";
  var BOXES = [
    ["div.arithmatex", "group", "Equation, scrolls sideways"],
    // Material's code blocks, where the pointer hovers -- Material's own rule for
    // them; it decides once, and a block laid out later (content-visibility) is
    // decided here when it is shown.
    [".highlight pre > code", "group", "Code, scrolls sideways", "(hover)"],
    [".md-typeset__scrollwrap", "region", "Table, scrolls sideways"],
    [".jp-InputArea-editor .highlight-ipynb", "group", "Code, scrolls sideways"],
    [".jp-OutputArea-output", "group", "Output, scrolls sideways"]
  ];

  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) return "Table: " + caption.textContent.trim();
    for (var el = wrap; el && !el.matches("article"); el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          return "Table: " + prev.textContent.replace(/¶$/, "").trim() + ", scrolls sideways";
        }
      }
    }
    return "Table, scrolls sideways";
  }

  function mark() {
    var article = document.querySelector("article");
    if (!article) return;
    BOXES.forEach(function (box) {
      if (box[3] && !matchMedia(box[3]).matches) return;
      article.querySelectorAll(box[0]).forEach(function (el) {
        // A box the browser has not laid out yet (content-visibility) is
        // measured when it is shown (contentvisibilityautostatechange).
        if (el.checkVisibility && !el.checkVisibility({contentVisibilityAuto: true})) return;
        var scrolls = el.scrollWidth - el.clientWidth > 1;
        if (scrolls === el.hasAttribute("data-scrolls")) return;
        if (scrolls) {
          var want = {tabindex: "0", role: box[1],
                      "aria-label": box[1] === "region" ? tableName(el) : box[2]};
          var added = Object.keys(want).filter(function (a) { return !el.hasAttribute(a); });
          added.forEach(function (a) { el.setAttribute(a, want[a]); });
          el.setAttribute("data-scrolls", added.join(" "));
        } else {  // remove only what was added here
          el.getAttribute("data-scrolls").split(" ").forEach(function (a) {
            if (a) el.removeAttribute(a);
          });
          el.removeAttribute("data-scrolls");
        }
      });
    });
  }

  var pending = 0;
  function later() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  }
  document$.subscribe(later);
  window.addEventListener("resize", later);
  // A block laid out only near the screen (content-visibility: auto in
  // extra.css) measures its real width when it is shown.
  document.addEventListener("contentvisibilityautostatechange", later, true);
  if (document.fonts) document.fonts.ready.then(later);
})();
