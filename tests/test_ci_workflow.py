"""The GitHub Actions workflow is valid YAML and does what README.md says."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _load():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.get("on", data.get(True))
    return data


def _steps(job):
    return [(s.get("name", ""), s.get("uses", ""), s.get("run", ""), s) for s in job["steps"]]


def test_triggers():
    on = _load()["on"]
    assert "push" in on and "pull_request" in on, on


def test_test_job_runs_make_test_on_ubuntu_python_311_with_chromium():
    job = _load()["jobs"]["test"]
    assert job["runs-on"].startswith("ubuntu")
    steps = _steps(job)
    uses = [u for _, u, _, _ in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    py = [s for _, u, _, s in steps if u.startswith("actions/setup-python@")]
    assert py and str(py[0]["with"]["python-version"]) == "3.11"
    runs = "\n".join(r for _, _, r, _ in steps)
    assert "apt-get install" in runs and "chromium" in runs
    assert any(r.strip().startswith("make test") for _, _, r, _ in steps)
    assert job["env"]["REQUIRE_BROWSER"] == "1"
    assert "SITE_URL" in job["env"] and "REPO_URL" in job["env"]
    assert "github" in job["env"]["SITE_URL"] and "github" in job["env"]["REPO_URL"]


def test_pages_are_published_from_main_only():
    data = _load()
    test_steps = _steps(data["jobs"]["test"])
    by_use = {u.split("@")[0]: s for _, u, _, s in test_steps if u}
    for action in ("actions/configure-pages", "actions/upload-pages-artifact"):
        assert action in by_use, f"{action} missing"
        assert "refs/heads/main" in by_use[action]["if"] and "push" in by_use[action]["if"]
    assert by_use["actions/upload-pages-artifact"]["with"]["path"].rstrip("/") == "site"
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(u.startswith("actions/deploy-pages@") for _, u, _, _ in _steps(deploy))


WEEKLY = ROOT / ".github" / "workflows" / "weekly.yml"
README = ROOT / "README.md"


def test_pages_workflow_audits_and_publishes_the_book():
    job = _load()["jobs"]["test"]
    runs = [r.strip() for _, _, r, _ in _steps(job)]
    assert "make audit" in runs, runs
    first_test = next(i for i, r in enumerate(runs) if r.startswith("make test"))
    assert runs.index("make audit") > first_test
    # make test prints the book into site/, which the upload step publishes
    assert any("site/derivations.pdf" in r for r in runs)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/book_pdf.py" in test_recipe


def test_weekly_job_runs_make_test_on_the_newest_releases():
    data = yaml.safe_load(WEEKLY.read_text(encoding="utf-8"))
    on = data.get("on", data.get(True))
    assert on["schedule"] and "cron" in on["schedule"][0]
    cron = on["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2] == "*" and cron[3] == "*" and cron[4] != "*", cron
    (job,) = data["jobs"].values()
    runs = [s.get("run", "") for s in job["steps"]]
    assert any(r.strip() == "make test LATEST=1" for r in runs), runs
    assert job["env"]["REQUIRE_BROWSER"] == "1"
    # LATEST=1 really leaves the lock: every locked package, pins dropped, and npm's latest
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/install_latest.py" in makefile
    import install_latest  # scripts/ (on sys.path through conftest.py)

    assert len(install_latest.locked()) > 50


def test_readme_describes_the_weekly_job_and_the_host_compression():
    text = README.read_text(encoding="utf-8")
    assert "weekly.yml" in text and "newest release" in text
    assert "gzip" in text and "brotli" in text.lower()
