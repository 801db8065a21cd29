"""The CI snippets in docs/ci/ and the pre-commit hook, used as their readers would use them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT

SNIPPETS = sorted((ROOT / "docs" / "ci").glob("*.y*ml"))


def _commands(node) -> list[str]:
    """Every shell command that runs qaimpact in a CI file (GitHub `run:`, GitLab `script:`)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                items = value if isinstance(value, list) else [value]
                found += [c for c in items if isinstance(c, str) and c.startswith("qaimpact ")]
            else:
                found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    return found


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: p.name)
def test_snippet_is_shown_verbatim_in_ci_md(snippet):
    assert snippet.read_text(encoding="utf-8") in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet", [s for s in SNIPPETS if "pre-commit" not in s.name], ids=lambda p: p.name)
def test_ci_snippet_commands_run_on_the_examples(snippet, cli, tmp_path, monkeypatch):
    config = yaml.safe_load(snippet.read_text(encoding="utf-8"))
    commands = _commands(config)
    assert commands, "the snippet runs qaimpact"
    shutil.copytree(EXAMPLES, tmp_path / "audits")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        args = shlex.split(command)[1:]
        cli(*args, "--today", "2026-11-22")
        if "--output" in args:
            assert (tmp_path / args[args.index("--output") + 1]).stat().st_size > 0


def test_github_snippets_have_the_workflow_shape():
    for name in ("github-actions.yml", "github-code-scanning.yml"):
        config = yaml.safe_load((ROOT / "docs" / "ci" / name).read_text(encoding="utf-8"))
        # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
        assert set(config) >= {"name", True, "jobs"}
        for job in config["jobs"].values():
            assert job["runs-on"]
            assert job["steps"]


def test_gitlab_snippet_publishes_the_junit_report():
    config = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = config["validate-audits"]
    assert job["artifacts"]["reports"]["junit"] in " ".join(job["script"])


@pytest.mark.parametrize(
    "config",
    [ROOT / "docs" / "ci" / "pre-commit-config.yaml", ROOT / ".pre-commit-config.yaml"],
    ids=["docs", "repo"],
)
def test_pre_commit_configs_pass_pre_commits_schema(config):
    from pre_commit.clientlib import load_config

    load_config(str(config))


def test_hook_manifest_passes_pre_commits_schema():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook["entry"] for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks == {
        "qaimpact-validate": "qaimpact validate --skip-non-audits",
        "qaimpact-fmt": "qaimpact fmt --check --skip-non-audits",
        "qaimpact-fmt-fix": "qaimpact fmt --skip-non-audits",
    }


def _git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_hook_works_from_a_separate_repository(tmp_path):
    """pre-commit clones qaimpact at a commit, installs it, and runs the hook on another repo."""
    source = tmp_path / "qaimpact"
    # Snapshot the working tree (committed or not) as a repository pre-commit can clone.
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv*", ".cache", "*.egg-info", "__pycache__")
    )
    _git("init", "-q", cwd=source)
    _git("add", "-A", cwd=source)
    _git("commit", "-qm", "snapshot", cwd=source)
    rev = _git("rev-parse", "HEAD", cwd=source)

    audits = tmp_path / "audits-repo"
    (audits / "audits").mkdir(parents=True)
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", audits / "audits" / "good.yaml")
    bad = (
        (EXAMPLES / "ccc-cfa-2026-0311.yaml")
        .read_text(encoding="utf-8")
        .replace("rating: good", "rating: great", 1)
    )
    (audits / "audits" / "bad.yaml").write_text(bad, encoding="utf-8")
    # A YAML file that is not an audit: the hooks pass over it with a note (issue 17).
    (audits / "audits" / "ci.yml").write_text("jobs:\n  test: {runs-on: ubuntu-latest}\n", encoding="utf-8")
    good = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text(encoding="utf-8")
    untidy = good.replace("reviewer: ", "reviewer:     ", 1)
    assert untidy != good
    (audits / "audits" / "untidy.yaml").write_text(untidy, encoding="utf-8")
    (audits / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source.as_uri()}\n    rev: {rev}\n    hooks:\n"
        "      - id: qaimpact-validate\n        files: ^audits/\n"
        "      - id: qaimpact-fmt-fix\n        files: ^audits/\n",
        encoding="utf-8",
    )
    _git("init", "-q", cwd=audits)
    _git("add", "-A", cwd=audits)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=audits,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "validate audits (qaimpact)" in output
    assert "audits/bad.yaml:" in output, output
    assert "error QA204 'great' is not a rating" in output, output
    assert "audits/good.yaml" not in output.replace("audits/bad.yaml", "")
    assert (
        "note: skipped audits/ci.yml: not an audit (it has no 'standards:', 'audit_id:' or other key of an "
        "audit)"
    ) in output
    assert "QA201" not in output
    # The fixing hook rewrote the untidy audit (and says so), and left the rest as they were.
    assert "format audits (qaimpact)" in output
    assert "note: audits/untidy.yaml reformatted" in output, output
    fixed = (audits / "audits" / "untidy.yaml").read_text(encoding="utf-8")
    assert "reviewer:     " not in fixed
    assert fixed.count("\nreviewer: ") == 1
    assert (audits / "audits" / "bad.yaml").read_text(encoding="utf-8") == bad
