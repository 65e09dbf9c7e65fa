"""What only builds the book (the site), kept apart from the library a reader imports.

* ``facts``: the named numbers a page's prose quotes, and the claims made about them;
* ``figures``: the chapters' figures, drawn with matplotlib at build time;
* ``companions``: the five source notebooks' networks rebuilt, and the
  notation map that checks their conventions against ours;
* ``measure``: the timings a page prints (BP4 three ways);
* ``kernel``: the Jupyter kernel that runs the notebook pages.

``import derivations`` does not import this package, nor matplotlib.
"""
