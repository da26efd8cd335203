"""Shared helpers: temporary huashu projects built with the real MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, serve
from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")


def assemble_library(tmp_path: Path, case: str | None = None, cases: str = "invalid") -> Path:
    """The valid base library, with a fixture case's files laid over it (fixtures/<cases>/<case>)."""
    library = tmp_path / "scripts_library"
    shutil.copytree(FIXTURES / "base_library", library)
    if case:
        case_dir = FIXTURES / cases / case
        for path in case_dir.rglob("*"):
            relative = path.relative_to(case_dir)
            if path.is_dir() or relative.name in ("expected.txt", "_remove"):
                continue
            (library / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, library / relative)
        remove = case_dir / "_remove"
        if remove.exists():
            for name in remove.read_text(encoding="utf-8").split():
                (library / name).unlink()
    return library


def make_project(root: Path, library: Path | None = None) -> Path:
    """A copy of this repository's site setup in `root`, with `library` as its scripts_library."""
    root.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)
    shutil.copytree(library or REPO / "scripts_library", root / "scripts_library")
    return root


def mkdocs_build(project: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build` command in `project`, with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


# Fixtures that build a real site or start Chromium: a test using one is "slow",
# left out of `make test-fast` (pytest -m "not slow"), always part of `make test`.
SLOW_FIXTURES = frozenset({"bundled_site", "site_url", "browser"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled library built once per test session; returns the site folder."""
    project = make_project(tmp_path_factory.mktemp("bundled"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def site_url(bundled_site: Path) -> Iterator[str]:
    """The bundled site served over HTTP on localhost."""
    with serve(bundled_site) as url:
        yield url


def open_page(browser: Browser, url: str, *, clipboard: bool = False) -> Page:
    """A fresh context and page; fails the test on any JavaScript error."""
    context = browser.new_context()
    if clipboard:
        origin = url.split("/", 3)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin="/".join(origin[:3]))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def wait_for_search(page: Page) -> None:
    page.wait_for_function("() => window.huashu && window.huashu.isComplete && window.huashu.isComplete()")
