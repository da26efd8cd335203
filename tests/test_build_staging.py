"""A build replaces the site whole: an interrupted build leaves the last complete site,
and two builds at once leave exactly one of them (real `mkdocs build` processes)."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, mkdocs_build

pytestmark = pytest.mark.slow

# A hook that kills its own build abruptly (as a power cut or `kill -9` would) once
# some pages are written: the build can neither finish nor clean up.
KILL_HOOK = """
import os, signal
_written = 0
def on_post_page(output, page, config):
    global _written
    _written += 1
    if _written == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return output
"""


def snapshot(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()
    }


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def add_entry(project: Path) -> None:
    phrases = project / "scripts_library" / "phrases.yaml"
    phrases.write_text(
        phrases.read_text(encoding="utf-8") + "  - id: new-one\n    title: 新话术\n    text: 新的一句话。\n",
        encoding="utf-8",
    )


def test_an_interrupted_build_leaves_the_last_complete_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "base_library")
    assert mkdocs_build(project).returncode == 0
    complete = snapshot(project / "site")

    add_entry(project)
    (project / "hooks" / "kill_midway.py").write_text(KILL_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    original_config = config.read_text(encoding="utf-8")
    config.write_text(original_config.replace("hooks:\n", "hooks:\n  - hooks/kill_midway.py\n"), encoding="utf-8")
    killed = mkdocs_build(project)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert snapshot(project / "site") == complete, "the killed build changed the published site"

    config.write_text(original_config, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "新话术" in (project / "site" / "greetings" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == [".site.lock"], "the killed build's staging folder is cleared by the next"


def test_two_builds_at_once_leave_exactly_one_of_them(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", FIXTURES / "base_library")
    second = make_project(tmp_path / "second", FIXTURES / "base_library")
    categories = second / "scripts_library" / "categories.yaml"
    renamed = categories.read_text(encoding="utf-8").replace("id: greetings", "id: opening")
    categories.write_text(renamed, encoding="utf-8")
    for name in ("phrases.yaml", "cards.yaml"):
        path = second / "scripts_library" / name
        path.write_text(path.read_text(encoding="utf-8").replace("greetings", "opening"), encoding="utf-8")
    alone = {}
    for project in (first, second):
        assert mkdocs_build(project).returncode == 0
        alone[project.name] = set(snapshot(project / "site"))

    shared = tmp_path / "shared" / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(shared)],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for project in (first, second)
    ]
    for build in builds:
        _, errors = build.communicate(timeout=300)
        assert build.returncode == 0, errors[-2000:]
    published = set(snapshot(shared))
    assert published in (alone["first"], alone["second"]), "pages of both versions are mixed"
    assert alone["first"] != alone["second"]


def test_a_failed_write_is_a_clear_message_and_keeps_the_last_site(tmp_path: Path) -> None:
    """A full disk (here: a file-size limit, a real EFBIG) ends the build in Chinese, not a traceback."""
    project = make_project(tmp_path / "project", FIXTURES / "base_library")
    assert mkdocs_build(project).returncode == 0
    complete = snapshot(project / "site")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_files,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (
        f"写入站点失败（超过了系统允许的文件大小）：{project / 'site'} 保持上一次构建的样子，没有半成品；"
        "请检查系统的文件大小限制（ulimit -f）后重试"
    ) in result.stderr
    assert snapshot(project / "site") == complete
    assert leftovers(project) == [".site.lock"]
