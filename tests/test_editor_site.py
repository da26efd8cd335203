"""What editors' work looks like on the site: review marks, 待复核, 最近更新, live preview."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import assemble_library, make_project, mkdocs_build
from htmlscan import parse, with_class
from playwright.sync_api import Browser
from test_lint import TODAY_EPOCH

# Real site builds and browsers: `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow


def build_with_date(project: Path) -> subprocess.CompletedProcess[str]:
    os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
    try:
        return mkdocs_build(project)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def page_text(path: Path) -> str:
    body = next(e for e in parse(path) if e.tag == "article")
    return re.sub(r"\s+", " ", body.text)


def test_overdue_entries_are_marked_and_listed_by_owner(tmp_path: Path) -> None:
    library = assemble_library(tmp_path / "lib", "review-overdue", "lint")
    project = make_project(tmp_path / "project", library)
    result = build_with_date(project)
    assert result.returncode == 0, result.stdout + result.stderr
    greetings = parse(project / "site" / "greetings" / "index.html")
    marked = {}
    for block in with_class(greetings, "hs-footer"):
        entry_id = with_class(block.inner, "hs-id")[0].text
        marks = with_class(block.inner, "hs-overdue")
        marked[entry_id] = marks[0].text if marks else None
    assert marked == {
        "stale-by-default": "待复核：已超期 53 天",
        "stale-own-date": "待复核：已超期 295 天",
        "fresh": None,
        "hello": None,
        "goodbye": None,
    }
    review = page_text(project / "site" / "review" / "index.html")
    assert "截至 2026-11-22：2 条已过复核日期，0 条将在 30 天内到期" in review
    assert "质检组（2 条）" in review
    # most overdue first, with due date and file
    assert review.index("自己的复核日期已过期") < review.index("按文件的复核周期已过期")
    assert "2026-01-31295 天scripts_library/old.yaml" in review  # due date, days over, file: adjacent cells
    nav = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="review/"' in nav


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "王编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "王编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_recent_changes_page_from_git_history(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", assemble_library(tmp_path / "lib"))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "初始话术库", "--date", "2026-11-01T09:00:00+08:00")
    phrases = project / "scripts_library" / "phrases.yaml"
    text = phrases.read_text(encoding="utf-8")
    text = text.replace("text: 您好，很高兴为您服务！", "text: 您好，很高兴为您服务，请问有什么可以帮您？")
    text = text.split("  - id: goodbye")[0] + "  - id: welcome-back\n    title: 老客户问候\n    text: 欢迎再次来电！\n"
    phrases.write_text(text, encoding="utf-8")
    (project / "docs" / "notes.md").write_text("# 不是话术库的改动\n", encoding="utf-8")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "问候语改成主动询问", "--date", "2026-11-20T10:00:00+08:00")
    phrases.write_text(text.replace("  - id: welcome-back\n", "  - id: welcome-back\n   title: [\n"), encoding="utf-8")
    git(project, "commit", "-q", "-am", "改坏了", "--date", "2026-11-21T10:00:00+08:00")
    phrases.write_text(text.replace("reviewed: 2026-10-01", "reviewed: 2026-11-21"), encoding="utf-8")
    git(project, "commit", "-q", "-am", "修好，并复核", "--date", "2026-11-21T11:00:00+08:00")

    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = parse(project / "site" / "changes" / "index.html")
    headings = [h.text.strip() for h in page if h.tag == "h2"]
    assert [h.split(" · ")[0] for h in headings] == ["2026-11-21", "2026-11-20", "2026-11-01"]
    assert headings[0].startswith("2026-11-21 · 修好，并复核")  # the commit that broke the file is not news
    reviewed = with_class(page, "hs-changes")[0].find_all("li")
    assert [with_class(li.inner, "hs-change-action")[0].text for li in reviewed] == ["更新", "更新"]
    assert all("（仅更新最近复核日期，内容未变）" in li.text and not li.find_all("ins") for li in reviewed)
    assert headings[1].startswith("2026-11-20 · 问候语改成主动询问")
    latest = with_class(page, "hs-changes")[1]
    changes = {with_class(li.inner, "hs-id")[0].text: li for li in latest.find_all("li")}
    assert set(changes) == {"hello", "welcome-back", "goodbye"}
    assert with_class(changes["hello"].inner, "hs-change-action")[0].text == "修改"
    assert "（改了话术原文）" in changes["hello"].text
    assert changes["hello"].find_all("del")[0].text == "您好，很高兴为您服务！"
    assert changes["hello"].find_all("ins")[0].text == "您好，很高兴为您服务，请问有什么可以帮您？"
    assert with_class(changes["welcome-back"].inner, "hs-change-action")[0].text == "新增"
    assert changes["welcome-back"].find_all("a")[0].attrs["href"] == "../greetings/#welcome-back"
    assert with_class(changes["goodbye"].inner, "hs-change-action")[0].text == "删除"
    assert changes["goodbye"].find_all("a") == []  # gone from the site: no dead link
    assert "王编辑" in page_text(project / "site" / "changes" / "index.html")
    first = with_class(page, "hs-changes")[2]
    assert len(first.find_all("li")) == 4  # every entry of the first commit was added
    assert 'href="changes/"' in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_no_git_checkout_means_no_changes_page_and_no_error(bundled_site: Path) -> None:
    assert not (bundled_site / "changes").exists()
    assert "最近更新" not in (bundled_site / "index.html").read_text(encoding="utf-8")


# --- live preview -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError):  # not listening yet
        return 0, ""


def wait_for(condition, timeout: float = 60.0, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


@contextmanager
def live_preview(tmp_path: Path) -> Iterator[tuple[Path, str, Path, subprocess.Popen[bytes]]]:
    """`mkdocs serve` on a copy of the base library, once its first build is up: yields the
    project, the greetings page's URL, the server's log and the server."""
    project = make_project(tmp_path / "project", assemble_library(tmp_path / "lib"))
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    page_url = f"http://127.0.0.1:{port}/greetings/"
    try:
        wait_for(lambda: fetch(page_url)[0] == 200, what="the first build")
        yield project, page_url, log_path, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def break_library(project: Path, log_path: Path, old: str, new: str) -> str:
    """Write a mistake into phrases.yaml and wait for the rebuild that reports it; the good text."""
    phrases = project / "scripts_library" / "phrases.yaml"
    good = phrases.read_text(encoding="utf-8")
    phrases.write_text(good.replace(old, new), encoding="utf-8")
    wait_for(lambda: "话术库校验失败" in log_path.read_text(encoding="utf-8"), what="the error report")
    time.sleep(1)  # let the failed rebuild finish completely
    return good


def test_serve_keeps_the_last_good_build_while_the_library_is_broken(tmp_path: Path) -> None:
    with live_preview(tmp_path) as (project, page_url, log_path, server):
        assert "您好，很高兴为您服务！" in fetch(page_url)[1]

        good = break_library(project, log_path, "    title: 结束语\n", "    titel: 结束语\n")
        output = log_path.read_text(encoding="utf-8")
        assert "scripts_library/phrases.yaml:12:5: entries[1].titel: 未知字段 titel（是不是想写 title？）" in output
        assert "预览服务器继续提供上一次成功构建的页面" in output
        assert "Traceback" not in output
        assert server.poll() is None, "the server must keep running"
        status, html = fetch(page_url)
        assert status == 200 and "您好，很高兴为您服务！" in html and "结束语" in html
        assert "话术库有 1 处错误" in html and "未知字段 titel" in html  # the banner: one mistake, one error

        phrases = project / "scripts_library" / "phrases.yaml"
        phrases.write_text(good.replace("您好，很高兴为您服务！", "您好，欢迎致电！"), encoding="utf-8")
        wait_for(lambda: "您好，欢迎致电！" in fetch(page_url)[1], what="the rebuild after the fix")
        assert "hs-build-errors" not in fetch(page_url)[1]
        assert server.poll() is None


def test_error_banner_shows_quoted_content_as_text(tmp_path: Path, browser: Browser) -> None:
    """An error message quotes what the editor wrote: in the banner it is text, never markup."""
    hostile_id = '<img src=x onerror="window.__pwned=1">'
    with live_preview(tmp_path) as (project, page_url, log_path, _):
        break_library(project, log_path, "  - id: goodbye\n", f"  - id: '{hostile_id}'\n")
        page = browser.new_page()
        page.goto(page_url)
        banner = page.text_content(".hs-build-errors")
        assert banner is not None and f"“{hostile_id}”不是有效的 id" in banner
        assert page.locator(".hs-build-errors img").count() == 0
        assert page.evaluate("window.__pwned") is None
        page.close()
