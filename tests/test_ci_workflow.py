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
