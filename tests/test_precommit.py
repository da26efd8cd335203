"""The repository's pre-commit hooks, set up as the editor guide says and run by a real `git commit`.

Each test works in an editor's clone after `make`: the repository's hook configuration, a
library, and `.venv/` (the test run's own virtual environment, which `make` created). The
shell is an editor's: the venv is not activated, so its `bin/` is not on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, assemble_library

GUIDE = REPO / "docs" / "guide" / "editing.md"
VENV_BIN = Path(sys.prefix) / "bin"


def guide_setup_command() -> list[str]:
    """The one-time setup the editor guide tells editors to run."""
    (command,) = re.findall(r"运行一次 `([^`]+)`，\n以后每次 `git commit`", GUIDE.read_text(encoding="utf-8"))
    return shlex.split(command)


def editor_env(project: Path) -> dict[str, str]:
    """An editor's shell: git on PATH, the project's venv not activated."""
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != VENV_BIN.resolve()
    )
    assert shutil.which("git", path=path), "git must be reachable without the venv"
    assert shutil.which("huashu", path=path) is None, "with huashu on PATH these tests could not fail"
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    return {
        **env,
        "PATH": path,
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "SOURCE_DATE_EPOCH": "1795000000",  # 2026-11-18, before the fixtures fall due, whenever the test runs
        "GIT_AUTHOR_NAME": "王编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "王编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
    }


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=project, env=editor_env(project), capture_output=True, text=True, timeout=120)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """An editor's clone after `make`, with its library committed."""
    project = tmp_path / "project"
    project.mkdir()
    for name in (".pre-commit-config.yaml", ".gitignore"):
        shutil.copy(REPO / name, project)
    assemble_library(project)
    (project / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    assert (project / ".venv" / "bin" / "huashu").exists() and (project / ".venv" / "bin" / "pre-commit").exists()
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "话术库"]):
        assert run(project, "git", *command).returncode == 0
    return project


@pytest.fixture
def installed(clone: Path) -> Path:
    """The clone after the guide's one-time setup."""
    setup = run(clone, *guide_setup_command())
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (clone / ".git" / "hooks" / "pre-commit").exists()
    return clone


def commit(project: Path, message: str) -> subprocess.CompletedProcess[str]:
    assert run(project, "git", "add", "-A").returncode == 0
    return run(project, "git", "commit", "-m", message)


def head(project: Path) -> str:
    return run(project, "git", "rev-parse", "HEAD").stdout.strip()


def edit(project: Path, old: str, new: str, file: str = "scripts_library/phrases.yaml") -> None:
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_guide_setup_then_commit_runs_the_hooks(installed: Path) -> None:
    edit(installed, "title: 结束语", "title: 结束语（通用）")
    result = commit(installed, "改标题")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"huashu validate（话术库校验）\.+Passed", output), output
    assert "话术库检查通过，没有提醒。" in output  # lint is verbose
    assert run(installed, "git", "log", "-1", "--format=%s").stdout.strip() == "改标题"


REFUSED_COMMITS = {
    "an error": (
        "title: 结束语",
        "titel: 结束语",
        "scripts_library/phrases.yaml:12:5: entries[1].titel: 未知字段 titel（是不是想写 title？）",
    ),
    # A warning fails the site's strict build, so it stops the commit too.
    "a warning": (
        "text: 感谢您的来电，再见！",
        "text: 请输入密码，以 # 号键结束",
        "scripts_library/phrases.yaml:13:11: entries[1].text: 提醒：“ #”和后面的“号键结束”被当成了注释，没有读进来；"
        "要保留，请给整个值加上引号，如 '请输入密码，以 # 号键结束'；如果确实是注释，请把它单独写一行",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_COMMITS))
def test_a_commit_with_a_problem_is_refused_with_the_chinese_message(installed: Path, case: str) -> None:
    old, new, message = REFUSED_COMMITS[case]
    before = head(installed)
    edit(installed, old, new)
    result = commit(installed, case)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert message in output, output
    assert "not found" not in output
    assert head(installed) == before


def test_lint_hook_shows_warnings_for_the_changed_file_only(installed: Path) -> None:
    edit(installed, "answer: 先倾听，再道歉。", "answer: 待填写", file="scripts_library/faq.yaml")
    assert run(installed, "git", "commit", "-q", "--no-verify", "-am", "问答待填写").returncode == 0
    edit(
        installed,
        "entries:\n",
        "entries:\n  - id: hello-copy\n    title: 复制的问候\n    text: 您好，很高兴为您服务。\n",
    )
    result = commit(installed, "加一条")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output  # lint warns, does not block
    assert "与 hello-copy 的 text 相同" in output and "[near-duplicate]" in output
    assert "scripts_library/faq.yaml:" not in output


def test_hooks_pass_on_a_clean_library_when_run_by_hand(clone: Path) -> None:
    result = run(clone, ".venv/bin/pre-commit", "run", "--color", "never", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "话术库校验通过" not in result.stdout  # quiet when fine
    assert "huashu lint" in result.stdout and "话术库检查通过，没有提醒。" in result.stdout
