"""The repository's pre-commit hooks, run by pre-commit itself on a real git checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, assemble_library
from test_editor_site import git


def pre_commit(project: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # `language: system` hooks find `huashu` on PATH, as in an activated venv.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "SOURCE_DATE_EPOCH": "1795000000",  # 2026-11-18, before the fixtures fall due, whenever the test runs
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def checkout(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / ".pre-commit-config.yaml", project)
    assemble_library(project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    return project


def test_hooks_pass_on_a_clean_library(tmp_path: Path) -> None:
    project = checkout(tmp_path)
    result = pre_commit(project, "scripts_library/phrases.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "话术库校验通过" not in result.stdout  # quiet when fine
    assert "huashu lint" in result.stdout and "话术库检查通过，没有提醒。" in result.stdout  # lint is verbose


def test_validate_hook_blocks_a_broken_file(tmp_path: Path) -> None:
    project = checkout(tmp_path)
    phrases = project / "scripts_library" / "phrases.yaml"
    phrases.write_text(phrases.read_text(encoding="utf-8").replace("title: 结束语", "titel: 结束语"), encoding="utf-8")
    result = pre_commit(project, "scripts_library/phrases.yaml")
    assert result.returncode == 1
    assert "scripts_library/phrases.yaml:12:5: entries[1].titel: 未知字段 titel（是不是想写 title？）" in result.stdout


def test_lint_hook_shows_warnings_for_the_changed_file_only(tmp_path: Path) -> None:
    project = checkout(tmp_path)
    phrases = project / "scripts_library" / "phrases.yaml"
    phrases.write_text(
        phrases.read_text(encoding="utf-8")
        + "  - id: hello-copy\n    title: 复制的问候\n    text: 您好，很高兴为您服务。\n",
        encoding="utf-8",
    )
    result = pre_commit(project, "scripts_library/phrases.yaml", "scripts_library/faq.yaml")
    assert result.returncode == 0, result.stdout
    assert "entries[2].text: hello-copy：与 hello 的 text 相同" in result.stdout
    assert "scripts_library/faq.yaml:" not in result.stdout
