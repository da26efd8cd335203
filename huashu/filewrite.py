"""The one way a command changes an editor's file: all of the new bytes, or none.

Each file's new bytes go to a temporary file beside it, are flushed to the disk and
take the original's permissions; only when every file of the change is staged do the
renames replace the originals (a rename within a folder is atomic). A full disk, a
size limit or a missing permission leaves every original byte-identical.

A path that passes through a symbolic link is refused: the rename would replace the
link with a file (breaking it), and writing to its target could change a file outside
the library. A file or folder without write permission is refused too, even for root:
someone made it read-only on purpose.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

_TEMP_SUFFIX = ".huashu-tmp"
# Why a write failed and what the editor can do about it, by errno; else the system's words.
_DISK_FULL = ("磁盘空间已满", "请腾出磁盘空间后重试")
_NO_PERMISSION = ("没有写入权限", "请检查文件和文件夹的写入权限后重试")
_REASONS = {
    errno.ENOSPC: _DISK_FULL,
    errno.EDQUOT: ("超出了磁盘配额", "请腾出磁盘空间后重试"),
    errno.EFBIG: ("超过了系统允许的文件大小", "请检查系统的文件大小限制（ulimit -f）后重试"),
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.EROFS: ("文件系统是只读的", "请换到可以写入的位置后重试"),
    errno.ENOENT: ("文件夹不存在", "请检查路径后重试"),
}


def write_failure_reason(error: OSError) -> tuple[str, str]:
    """Why a write failed, and what to do about it, in Chinese when the error is a common one."""
    return _REASONS.get(error.errno or 0, (error.strerror or str(error), "请检查后重试"))


class WriteError(Exception):
    """Why nothing was written; the message is for the editor."""


def write_files(contents: dict[Path, bytes], base: Path, within: Path | None = None) -> None:
    """Replace each file with its new bytes (creating missing files), all or none.

    Args:
        contents: The new bytes of each file.
        base: Folder that file names in messages are relative to.
        within: The library folder the files must lie in (None: anywhere, like an export).
    """
    for path in contents:
        check_writable(path, base, within)
    staged: dict[Path, Path] = {}
    try:
        for path, data in contents.items():
            staged[path] = _stage(path, data, create_folders=within is not None)
    except OSError as exc:
        _discard(staged.values())
        raise WriteError(_failure(exc, path, base, within)) from None
    for path, temporary in staged.items():
        try:
            os.replace(temporary, path)
        except OSError as exc:  # pragma: no cover - a rename within a folder fails only if the disk does
            _discard(staged.values())
            raise WriteError(_failure(exc, path, base, within)) from None
    for folder in {path.parent for path in staged}:
        _sync_folder(folder)


def check_writable(path: Path, base: Path, within: Path | None = None) -> None:
    """Refuse, with the editor's fix, a path that goes through a symlink or cannot be written."""
    name = _shown(path, base)
    if within is not None:
        _refuse_links(path, within, base)
    elif path.is_symlink():
        raise WriteError(f"{name}：是符号链接（指向 {os.readlink(path)}），没有写入；请直接写到它指向的位置")
    if path.exists() and not _may_write(path):
        raise WriteError(f"{name}：文件是只读的，没有写入。确实要修改请先允许写入（chmod u+w {name}）再重试")
    folder = _existing_folder(path)
    if not _may_write(folder):
        shown = _shown(folder, base)
        raise WriteError(
            f"{name}：文件夹 {shown} 是只读的，没有写入。确实要修改请先允许写入（chmod u+w {shown}）再重试"
        )


def _refuse_links(path: Path, within: Path, base: Path) -> None:
    """Refuse a path with a symlink below the library folder (the folder itself may be one),
    or outside it: where the library's files are found through a symlink, the loader names
    the link's target."""
    name = _shown(path, base)
    target = Path(os.path.abspath(path))
    root = next((r for r in (Path(os.path.abspath(within)), within.resolve()) if target.is_relative_to(r)), None)
    if root is None:
        raise WriteError(
            f"{name}：不在话术库文件夹 {_shown(within, base)} 里（话术库里有指向它的符号链接），"
            "huashu 不通过符号链接写文件，没有写入。请直接编辑这个文件，或把链接换成普通文件"
        )
    step = root
    for part in target.relative_to(root).parts:
        step = step / part
        if step.is_symlink():
            raise WriteError(
                f"{name}：{_shown(step, base)} 是符号链接（指向 {os.readlink(step)}），"
                "huashu 不通过符号链接写文件，没有写入。请直接编辑它指向的文件，或把链接换成普通文件"
            )


def _shown(path: Path, base: Path) -> str:
    """The path as given, relative to `base` when under it (a symlink is not followed: it is the subject)."""
    absolute = Path(os.path.abspath(path))
    return (
        absolute.relative_to(os.path.abspath(base)).as_posix()
        if absolute.is_relative_to(os.path.abspath(base))
        else path.as_posix()
    )


def _may_write(path: Path) -> bool:
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _existing_folder(path: Path) -> Path:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _stage(path: Path, data: bytes, create_folders: bool) -> Path:
    """`data` in a hidden temporary file beside `path`, on the disk, with `path`'s permissions."""
    if create_folders:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
    # A hidden name: the library loader and MkDocs' watcher skip it while it exists.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            if path.exists():
                _keep_owner_and_mode(path, out.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _keep_owner_and_mode(path: Path, descriptor: int) -> None:
    original = path.stat()
    os.fchmod(descriptor, original.st_mode & 0o7777)
    if (original.st_uid, original.st_gid) != (os.getuid(), os.getgid()):
        # Only root may give a file away; otherwise the new file is the editor's own.
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, original.st_uid, original.st_gid)


def _discard(temporaries: Iterable[Path]) -> None:
    for temporary in temporaries:
        temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush the renames themselves, so a power cut after the command cannot undo them."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still done
    finally:
        os.close(descriptor)


def _failure(exc: OSError, path: Path, base: Path, within: Path | None) -> str:
    reason, fix = write_failure_reason(exc)
    if within is None:  # an export: the file is new, nothing to keep
        return f"{_shown(path, base)}：无法写入（{reason}），请换一个位置"
    return f"{_shown(path, base)}：无法写入（{reason}），话术库的文件都保持原样，没有改动；{fix}"
