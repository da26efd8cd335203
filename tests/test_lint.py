"""Lint: every rule has a fixture folder (fixtures/lint/<case>/) with its exact warnings."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, assemble_library

from huashu import lint, load_library, model

LINT_CASES = sorted(p.name for p in (FIXTURES / "lint").iterdir() if p.is_dir())
TODAY = datetime.date(2026, 11, 22)
# SOURCE_DATE_EPOCH for TODAY, so the command line sees the same date as the tests.
TODAY_EPOCH = str(int(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC).timestamp()))


def lint_lines(library: Path, base: Path, today: datetime.date = TODAY) -> list[str]:
    return [str(w) for w in lint.lint_library(load_library(library, base=base), today=today)]


@pytest.mark.parametrize("case", LINT_CASES)
def test_lint_case_reports_exact_warnings(case: str, tmp_path: Path) -> None:
    expected = (FIXTURES / "lint" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lint_lines(assemble_library(tmp_path, case, "lint"), tmp_path) == expected


def test_every_rule_has_a_fixture_that_triggers_it() -> None:
    seen = set()
    for case in LINT_CASES:
        for line in (FIXTURES / "lint" / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            seen.add(line.rsplit("[", 1)[1].rstrip("]"))
    assert seen == set(lint.CHECKS) == set(model.LINT_RULES)


def test_base_library_has_no_warnings(tmp_path: Path) -> None:
    assert lint_lines(assemble_library(tmp_path), tmp_path) == []


def test_bundled_library_lints_clean_before_its_review_dates() -> None:
    assert lint_lines(REPO / "scripts_library", REPO, today=datetime.date(2026, 11, 1)) == []


def test_review_period_arithmetic() -> None:
    from huashu.review import add_period, parse_period

    assert parse_period("6个月") == (6, 0)
    assert parse_period("1 年") == (12, 0)
    assert parse_period("2 weeks") == (0, 14)
    assert parse_period("0天") is None
    assert parse_period("半年") is None
    assert add_period(datetime.date(2026, 8, 31), (1, 0)) == datetime.date(2026, 9, 30)
    assert add_period(datetime.date(2024, 2, 29), (12, 0)) == datetime.date(2025, 2, 28)
    assert add_period(datetime.date(2026, 12, 20), (0, 14)) == datetime.date(2027, 1, 3)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    return subprocess.run([sys.executable, "-m", "huashu.cli", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_cli_lint_prints_warnings_and_fails_only_when_strict(tmp_path: Path) -> None:
    assemble_library(tmp_path, "placeholders", "lint")
    expected = (FIXTURES / "lint" / "placeholders" / "expected.txt").read_text(encoding="utf-8").splitlines()
    relaxed = run_cli("lint", cwd=tmp_path)
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stdout.splitlines()[:-1] == expected
    assert relaxed.stdout.splitlines()[-1] == "共 3 条提醒（undeclared-placeholder 2，unused-placeholder 1）。"
    strict = run_cli("lint", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout == relaxed.stdout


def test_cli_lint_limits_warnings_to_the_files_given(tmp_path: Path) -> None:
    library = assemble_library(tmp_path, "near-duplicate", "lint")
    only_phrases = run_cli("lint", "--strict", str((library / "phrases.yaml").relative_to(tmp_path)), cwd=tmp_path)
    assert only_phrases.returncode == 1
    assert [line.split(":")[0] for line in only_phrases.stdout.splitlines()[:-1]] == ["scripts_library/phrases.yaml"]
    clean_file = run_cli("lint", "--strict", "scripts_library/faq.yaml", cwd=tmp_path)
    assert (clean_file.returncode, clean_file.stdout) == (0, "话术库检查通过，没有提醒。\n")


def test_cli_lint_on_an_invalid_library_reports_errors(tmp_path: Path) -> None:
    assemble_library(tmp_path, "unknown-field")
    result = run_cli("lint", cwd=tmp_path)
    assert result.returncode == 1
    assert "未知字段 titel" in result.stderr and "Traceback" not in result.stderr


def test_cli_stats_counts_kinds_owners_and_review_state(tmp_path: Path) -> None:
    assemble_library(tmp_path, "review-overdue", "lint")
    result = run_cli("stats", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import json

    stats = json.loads(result.stdout)
    assert stats["date"] == "2026-11-22"
    assert stats["entries"] == 7
    assert stats["by_kind"] == {"phrase": 5, "procedure": 1, "faq": 1}
    assert stats["review"] == {"overdue": 2, "soon": 0, "ok": 5}
    quality = next(o for o in stats["by_owner"] if o["owner"] == "质检组")
    assert (quality["entries"], quality["overdue"], quality["ok"]) == (3, 2, 1)
    text = run_cli("stats", cwd=tmp_path)
    assert "已过复核日期 2" in text.stdout and "问候语（greetings）" in text.stdout


def test_cli_paths_outside_any_library_are_refused(tmp_path: Path) -> None:
    (tmp_path / "stray.yaml").write_text("entries: []\n", encoding="utf-8")
    result = run_cli("validate", "stray.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "stray.yaml：不在任何话术库里（找不到 categories.yaml）"


def test_cli_usage_errors_are_in_chinese(tmp_path: Path) -> None:
    result = run_cli("new", "phrase", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "huashu new：缺少必填参数：--category, --title"
    assert "Traceback" not in result.stderr


# --- forbidden wording: precision on ordinary sentences, recall on real uses ----------------


def data_lines(name: str) -> list[str]:
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


ORDINARY_SENTENCES = data_lines("ordinary_sentences.txt")
FORBIDDEN_USES = [tuple(line.split("\t")) for line in data_lines("forbidden_uses.txt")]
# What the issue reported as flagged though agents should say it.
REPORTED_FALSE_POSITIVES = ["稍等一会儿", "明天再来办理", "我不能马上确定"]
MAX_FALSE_POSITIVE_RATE = 0.05


@pytest.fixture(scope="module")
def bundled_forbidden_wording() -> lint.ForbiddenWording:
    forbidden = lint.ForbiddenWording.of(load_library(REPO / "scripts_library", base=REPO))
    assert forbidden is not None
    return forbidden


def test_forbidden_wording_rarely_flags_ordinary_sentences(bundled_forbidden_wording: lint.ForbiddenWording) -> None:
    assert len(ORDINARY_SENTENCES) >= 300
    flagged = {s: found for s in ORDINARY_SENTENCES if (found := bundled_forbidden_wording.find(s))}
    rate = len(flagged) / len(ORDINARY_SENTENCES)
    print(f"forbidden-wording false positives: {len(flagged)}/{len(ORDINARY_SENTENCES)} = {rate:.1%}")
    for sentence, (words, source) in flagged.items():
        print(f"  {sentence}  ←“{words}”（{source.id}）")
    assert rate <= MAX_FALSE_POSITIVE_RATE
    assert not set(REPORTED_FALSE_POSITIVES) & set(flagged)


@pytest.mark.parametrize(("source_id", "sentence"), FORBIDDEN_USES)
def test_forbidden_wording_finds_real_uses(
    bundled_forbidden_wording: lint.ForbiddenWording, source_id: str, sentence: str
) -> None:
    found = bundled_forbidden_wording.find(sentence)
    assert found is not None, sentence
    words, source = found
    assert source.id == source_id
    assert lint.fold(words) and lint.fold(words) in lint.fold(sentence)
