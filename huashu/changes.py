"""What changed: entries added, changed or removed in recent commits of the library.

Read from git, so agents see new wording without reading diffs. Each commit is
compared with its first parent, entry by entry (by id, across all files the
commit touched, so moving an entry between files is a change, not a removal
plus an addition). Outside a git checkout, or without git, there is no history
and no page: never an error.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from huashu import model

# How many of the latest commits touching the library the page shows.
MAX_COMMITS = 30
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIELD_SEP = "\x1f"
_RECORD_SEP = "\x1e"


@dataclass(frozen=True)
class EntryChange:
    action: str  # "added", "changed" or "removed"
    entry_id: str
    title: str
    fields: tuple[str, ...] = ()  # for "changed": which fields differ
    old_text: str = ""
    new_text: str = ""


@dataclass(frozen=True)
class CommitChanges:
    sha: str
    date: datetime.date
    author: str
    subject: str
    entries: tuple[EntryChange, ...] = field(default=())


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8", check=False
        )
    except OSError:  # no git on this machine
        return None
    return result.stdout if result.returncode == 0 else None


def _entries_at(repo: Path, revision: str, paths: list[str]) -> dict[str, dict[str, Any]]:
    """Entries (id → fields, file defaults applied) in `paths` as of `revision`; unreadable files give none."""
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        text = _git(repo, "show", f"{revision}:{path}")
        if not text:
            continue
        try:
            data = yaml.load(text, Loader=_SAFE_LOADER)  # a safe loader: no tags run code
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            continue
        given_defaults = data.get("defaults")
        defaults: dict[str, Any] = given_defaults if isinstance(given_defaults, dict) else {}
        for entry in data["entries"]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(entry["id"], {**defaults, **entry})
    return found


def _main_text(entry: dict[str, Any]) -> str:
    """The text that stands for an entry of its kind (as the model declares), from raw YAML data."""
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in model.ENTRY_CLASSES:  # old versions may hold anything
        return ""
    text = entry.get(model.main_text_field(kind))
    return text.strip() if isinstance(text, str) else ""


def _compare(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[EntryChange]:
    changes = []
    for entry_id, entry in after.items():
        title = str(entry.get("title", entry_id))
        if entry_id not in before:
            changes.append(EntryChange("added", entry_id, title, new_text=_main_text(entry)))
        elif before[entry_id] != entry:
            old = before[entry_id]
            differ = tuple(sorted(k for k in {*old, *entry} if old.get(k) != entry.get(k)))
            changes.append(EntryChange("changed", entry_id, title, differ, _main_text(old), _main_text(entry)))
    for entry_id, entry in before.items():
        if entry_id not in after:
            changes.append(
                EntryChange("removed", entry_id, str(entry.get("title", entry_id)), old_text=_main_text(entry))
            )
    return changes


def recent_changes(library_dir: Path, max_commits: int = MAX_COMMITS) -> list[CommitChanges] | None:
    """The latest commits that changed entries, newest first; None outside a git checkout."""
    top = _git(library_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    repo = Path(top.strip())
    try:
        library = library_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:  # e.g. git reports a path in another form than the file system's
        return None
    log = _git(
        repo,
        "log",
        f"-n{max_commits}",
        f"--format={_RECORD_SEP}%H{_FIELD_SEP}%P{_FIELD_SEP}%as{_FIELD_SEP}%an{_FIELD_SEP}%s",
        "--",
        library,
    )
    if log is None:
        return None
    commits = []
    for record in log.split(_RECORD_SEP)[1:]:
        sha, parents, date, author, subject = record.strip("\n").split(_FIELD_SEP)
        parent = parents.split()[0] if parents else None
        changed = _changed_files(repo, parent, sha, library)
        if changed is None:  # the parent is not in a shallow clone: what changed is unknown
            continue
        before = _entries_at(repo, parent, changed) if parent else {}
        entries = _compare(before, _entries_at(repo, sha, changed))
        if entries:
            commits.append(CommitChanges(sha, datetime.date.fromisoformat(date), author, subject, tuple(entries)))
    return commits


def _changed_files(repo: Path, parent: str | None, sha: str, library: str) -> list[str] | None:
    if parent is None:
        listing = _git(repo, "ls-tree", "-r", "--name-only", sha, "--", library)
    else:
        listing = _git(repo, "diff", "--name-only", "--no-renames", parent, sha, "--", library)
    if listing is None:
        return None
    return sorted(p for p in listing.splitlines() if p.endswith((".yaml", ".yml")))
