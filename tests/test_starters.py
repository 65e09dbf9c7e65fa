"""The exercises' starter files: served by the site, checked by the command the
exercise gives, failing as shipped, passing once completed.

Each starter (docs/starters/NAME.py) belongs to an exercise whose answer is a
block of the chapter (session ``starter-FORM``): the starter with its blanks
filled in.  The tests run the exercise's own command on the starter as shipped
(exit 1, BP1 not written yet), then on the answer (exit 0), and check that the
answer keeps every line of the starter but the blanks.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from pageblocks import extract_fences

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: starter -> (chapter, session of the answer block, form)
STARTERS = {
    "scalar_equations.py": ("scalar.md", "starter-scalar", "scalar"),
    "index_equations.py": ("index-form.md", "starter-index", "index"),
    "vectorized_backprop.py": ("vectorized.md", "starter-vectorized", "vectorized"),
    "batched_equations.py": ("mini-batches.md", "starter-batched", "batched"),
    "rowmajor_equations.py": ("mini-batches.md", "starter-rowmajor", "rowmajor"),
}
BLANK = re.compile(r"NotImplementedError|zeros_like\(.*# BP\d")


def test_every_starter_belongs_to_an_exercise():
    assert sorted(p.name for p in (DOCS / "starters").glob("*.py")) == sorted(STARTERS)


def _command(name):
    """The exercise's command that checks ``name``, as its words."""
    page, _, _ = STARTERS[name]
    text = (DOCS / page).read_text(encoding="utf-8")
    assert f"](starters/{name})" in text, f"docs/{page} does not link the starter {name}"
    commands = [line.strip() for fence in extract_fences(text) if fence.lang == "bash"
                for line in fence.code.splitlines() if f"diagnose {name}" in line]
    assert len(commands) == 1, (page, commands)
    words = shlex.split(commands[0])
    assert words[:4] == ["python", "-m", "derivations", "diagnose"]
    return [sys.executable, *words[1:]]


def _answer(name):
    page, session, _ = STARTERS[name]
    fences = [f for f in extract_fences((DOCS / page).read_text(encoding="utf-8"))
              if f.lang == "python" and f.options.get("session") == session]
    assert len(fences) == 1, (page, session)
    return fences[0].code


def _run(name, code, tmp_path):
    (tmp_path / name).write_text(code, encoding="utf-8")
    return subprocess.run(_command(name), cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("name", list(STARTERS))
def test_the_starter_as_shipped_fails_with_bp1_not_written(name, tmp_path):
    done = _run(name, (DOCS / "starters" / name).read_text(encoding="utf-8"), tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith(("BP1 is not written yet", "BP1 is wrong")), done.stdout
    said = " ".join(done.stdout.split())
    assert "written yet" in said
    assert f"the {STARTERS[name][2]} form" in said


@pytest.mark.parametrize("name", list(STARTERS))
def test_the_completed_starter_passes(name, tmp_path):
    done = _run(name, _answer(name), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Correct")


@pytest.mark.parametrize("name", list(STARTERS))
def test_the_answer_is_the_starter_completed(name):
    """Every line of the starter's code, but the blanks, is in the answer."""
    starter = (DOCS / "starters" / name).read_text(encoding="utf-8")
    code = starter[min(i for i in (starter.find("\nimport"), starter.find("\ndef ")) if i >= 0):]
    answer = {line.strip() for line in _answer(name).splitlines()}
    kept = [line.strip() for line in code.splitlines()
            if line.strip() and not BLANK.search(line)]
    missing = [line for line in kept if line not in answer]
    assert not missing, f"the answer to {name} lacks the starter's lines {missing}"


@pytest.mark.parametrize("name", list(STARTERS))
def test_the_site_serves_the_starter(name, site_dir):
    served = site_dir / "starters" / name
    assert served.is_file(), f"the built site has no starters/{name}"
    assert served.read_bytes() == (DOCS / "starters" / name).read_bytes()


def test_a_half_written_starter_moves_on_to_the_next_equation(tmp_path):
    """Fill in BP1 of the vectorized starter: the check now stops at BP2."""
    starter = (DOCS / "starters" / "vectorized_backprop.py").read_text(encoding="utf-8")
    filled = starter.replace("delta[L] = np.zeros_like(a[L])  ",
                             "delta[L] = (a[L] - y) * sigmoid_prime(z[L])")
    assert filled != starter
    done = _run("vectorized_backprop.py", filled, tmp_path)
    assert done.returncode == 1 and done.stdout.startswith("BP2 is wrong"), done.stdout
    assert "is BP2 written yet?" in " ".join(done.stdout.split())
