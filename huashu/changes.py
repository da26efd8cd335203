"""What changed: entries added, changed or removed in recent commits of the library.

Read from git, so agents see new wording without reading diffs. Each commit is
compared with its first parent, entry by entry (by id, across all files the
commit touched, so moving an entry between files is a change, not a removal
plus an addition). Outside a git checkout, or without git, there is no history
and no page: never an error.

A file a commit left unreadable (broken YAML, or an entry without an id) was
never published: the site refuses to build from it. Such a commit shows nothing
for that file, and the commit that repairs it is compared with the file's last
readable version, so agents see what the repair changed in the end, not every
entry removed and added again. A change to metadata only (review date, owner,
tags…: fields whose role says they are not read or said) is shown as such.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from huashu import model
from huashu.errors import printable
from huashu.load import MAX_FILE_BYTES, parse_file
from huashu.model import Role

# How many of the latest commits touching the library the page shows.
MAX_COMMITS = 30
# A commit's fields, one per line (none can hold a line break), commits separated by NUL (git log -z).
_LOG_FORMAT = "%H%n%P%n%as%n%an%n%s"


# Texts an agent reads or says; a change to fields of other roles leaves the wording as it was.
_WORDING_ROLES = frozenset({Role.TITLE, Role.SAY, Role.FORBIDDEN, Role.GUIDE})
# Each field's name for editors: its title up to the explanation ("最近复核日期（YYYY-MM-DD）" → "最近复核日期").
_FIELD_NAMES = {
    f.name: re.split("[（：，]", f.metadata["title"])[0]
    for cls in model.ENTRY_CLASSES.values()
    for f in model.editor_fields(cls)
}
# An entry's fields (id → raw YAML values, file defaults applied), as one revision of the library has them.
Entries = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class EntryChange:
    action: str  # "added", "changed", "metadata" (changed, but none of what is read or said) or "removed"
    entry_id: str
    title: str
    fields: tuple[str, ...] = ()  # for "changed" and "metadata": which fields differ
    old_text: str = ""
    new_text: str = ""

    @property
    def field_names(self) -> list[str]:
        """The fields that differ as editors know them: "最近复核日期", "负责人或负责小组"."""
        return [_FIELD_NAMES.get(name, name) for name in self.fields]


@dataclass(frozen=True)
class CommitChanges:
    sha: str
    date: datetime.date
    author: str
    subject: str
    entries: tuple[EntryChange, ...] = field(default=())


def _git_bytes(repo: Path, *args: str) -> bytes | None:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except OSError:  # no git on this machine
        return None
    return result.stdout if result.returncode == 0 else None


def _git(repo: Path, *args: str) -> str | None:
    """git's output as text; history may hold any bytes, which never stop the page."""
    output = _git_bytes(repo, *args)
    return None if output is None else output.decode("utf-8", errors="replace")


# Told about each old version of a file that is left out (too large, not UTF-8, aliases,
# nested too deep, not entries): history is as untrusted as the working tree.
SkipNote = Callable[[str], None]


def _file_entries(repo: Path, revision: str, path: str, skipped: SkipNote) -> Entries | None:
    """The entries of one file as of `revision`: none if it is absent there, None if it cannot be read."""
    size = _git(repo, "cat-file", "-s", f"{revision}:{path}")
    if size is None:
        return {}
    where = f"{path}（{revision[:7]} 版本）"
    if int(size) > MAX_FILE_BYTES:
        skipped(f"最近更新：跳过 {where}：文件过大（{int(size)} 字节）")
        return None
    raw = _git_bytes(repo, "show", f"{revision}:{path}") or b""
    source, errors = parse_file(raw, where)
    if source is None:
        skipped(f"最近更新：跳过 {where}：{errors[0].message if errors else '无法读取'}")
        return None
    try:
        # Safe to construct: parse_file refused aliases and deep nesting, and no tag runs code.
        data = yaml.SafeLoader("").construct_document(source.root)
    except (yaml.YAMLError, TypeError, ValueError):  # e.g. a list as a key, a date that does not exist
        return None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    given_defaults = data.get("defaults")
    defaults: dict[str, Any] = given_defaults if isinstance(given_defaults, dict) else {}
    found: Entries = {}
    for entry in data["entries"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("id"), str)):
            return None  # an entry that cannot be told apart from the others
        if not all(isinstance(key, str) for key in (*entry, *defaults)):
            return None  # field names that are not names
        found.setdefault(entry["id"], {**defaults, **entry})
    return found


def _last_readable(repo: Path, revision: str, path: str, skipped: SkipNote) -> Entries:
    """The entries of `path` in its latest readable version at or before `revision`."""
    history = _git(repo, "log", "--first-parent", "--format=%H", revision, "--", path) or ""
    for earlier in history.split():
        entries = _file_entries(repo, earlier, path, skipped)
        if entries is not None:
            return entries
    return {}


def _main_text(entry: dict[str, Any]) -> str:
    """The text that stands for an entry of its kind (as the model declares), from raw YAML data."""
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in model.ENTRY_CLASSES:  # old versions may hold anything
        return ""
    text = entry.get(model.main_text_field(kind))
    return text.strip() if isinstance(text, str) else ""


def _compare(before: Entries, after: Entries) -> list[EntryChange]:
    changes = []
    for entry_id, entry in after.items():
        title = str(entry.get("title", entry_id))
        if entry_id not in before:
            changes.append(EntryChange("added", entry_id, title, new_text=_main_text(entry)))
        elif before[entry_id] != entry:
            old = before[entry_id]
            differ = tuple(sorted(k for k in {*old, *entry} if old.get(k) != entry.get(k)))
            action = "changed" if _wording_differs(old, entry, differ) else "metadata"
            changes.append(EntryChange(action, entry_id, title, differ, _main_text(old), _main_text(entry)))
    for entry_id, entry in before.items():
        if entry_id not in after:
            changes.append(
                EntryChange("removed", entry_id, str(entry.get("title", entry_id)), old_text=_main_text(entry))
            )
    return changes


def _wording_differs(old: dict[str, Any], new: dict[str, Any], differ: tuple[str, ...]) -> bool:
    """Whether what agents read or say changed: a field of a wording role, the role of a text
    (a phrase turned into forbidden wording), the kind, or a field the model does not know."""
    old_roles, new_roles = _field_roles(old), _field_roles(new)
    if old_roles is None or old_roles != new_roles:
        return True
    return any(new_roles.get(name, Role.SAY) in _WORDING_ROLES for name in differ)


def _field_roles(entry: dict[str, Any]) -> dict[str, Role] | None:
    """Each field of the entry's kind → the role of its text as `entry_texts` gives it (a forbidden
    phrase's own wording is FORBIDDEN); None for a kind the model does not know."""
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in model.ENTRY_CLASSES:
        return None
    cls = model.ENTRY_CLASSES[kind]
    avoid = model.is_forbidden(entry)
    roles = {f.name: f.metadata["role"] for f in model.editor_fields(cls)}
    for text in model.text_fields(cls):
        # Steps and references to phrases hold words to say, whatever the list field itself is declared as.
        held = Role.SAY if text.record or text.reference else text.role
        roles[text.name] = text.avoid_role if avoid and text.avoid_role else held
    return roles


def recent_changes(
    library_dir: Path, max_commits: int = MAX_COMMITS, on_skip: SkipNote | None = None
) -> list[CommitChanges] | None:
    """The latest commits that changed entries, newest first; None outside a git checkout.

    Args:
        on_skip: Told once about each old version of a file that had to be left out.
    """
    top = _git(library_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    repo = Path(top.strip())
    try:
        library = library_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:  # e.g. git reports a path in another form than the file system's
        return None
    log = _git(repo, "log", "-z", f"-n{max_commits}", f"--format={_LOG_FORMAT}", "--", library)
    if log is None:
        return None
    notes: dict[str, None] = {}  # in order, once each
    commits = []
    for record in filter(None, log.split("\0")):
        commit = _commit(record)
        if commit is None:
            continue
        sha, parent, date, author, subject = commit
        changed = _changed_files(repo, parent, sha, library)
        if changed is None:  # the parent is not in a shallow clone: what changed is unknown
            continue
        entries = _compare(*_states(repo, parent, sha, changed, lambda note: notes.setdefault(note)))
        if entries:
            commits.append(CommitChanges(sha, date, author, subject, tuple(entries)))
    for note in notes:
        (on_skip or (lambda _: None))(note)
    return commits


def _commit(record: str) -> tuple[str, str | None, datetime.date, str, str] | None:
    """A `git log` record's sha, first parent, date, author and subject; None if malformed.
    Author and subject are shown on the page: control characters in them are made visible."""
    fields = record.strip("\n").split("\n", 4)
    if len(fields) != 5:
        return None
    sha, parents, date, author, subject = fields
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        return None
    parent = parents.split()[0] if parents.split() else None
    return sha, parent, day, printable(author), printable(subject)


def _states(repo: Path, parent: str | None, sha: str, paths: list[str], skipped: SkipNote) -> tuple[Entries, Entries]:
    """The entries of `paths` before and after a commit. A file the commit left unreadable is
    left out (its repair will be compared with its last readable version); one its parent had
    unreadable is compared from its last readable version."""
    before: Entries = {}
    after: Entries = {}
    for path in paths:
        now = _file_entries(repo, sha, path, skipped)
        if now is None:
            continue
        previous = _previous_entries(repo, parent, path, skipped) if parent else {}
        for entries, found in ((before, previous), (after, now)):
            for entry_id, entry in found.items():
                entries.setdefault(entry_id, entry)
    return before, after


def _previous_entries(repo: Path, parent: str, path: str, skipped: SkipNote) -> Entries:
    """The entries of `path` before a commit: in its parent, or in its last readable version."""
    entries = _file_entries(repo, parent, path, skipped)
    return _last_readable(repo, parent, path, skipped) if entries is None else entries


def _changed_files(repo: Path, parent: str | None, sha: str, library: str) -> list[str] | None:
    if parent is None:
        listing = _git(repo, "ls-tree", "-r", "-z", "--name-only", sha, "--", library)
    else:
        listing = _git(repo, "diff", "-z", "--name-only", "--no-renames", parent, sha, "--", library)
    if listing is None:
        return None
    return sorted(p for p in listing.split("\0") if p.endswith((".yaml", ".yml")))
