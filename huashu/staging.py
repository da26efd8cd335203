"""The site folder is replaced whole, never rewritten in place.

A build writes into a staging folder beside the site folder and renames it into
place when every page and the search index are written. An interrupted build leaves
the last complete site where it was (and its staging folder is removed by the next
build); two builds at once take turns on a lock, so the site is always exactly one
of them, with no pages left over from the other.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO

_STAGING = ".building-"
_RETIRED = ".replaced-"


class StagingError(Exception):
    """The site folder cannot be staged or replaced; the message says why, in Chinese."""


class StagedSite:
    """One build's staging folder for `site_dir`, held under the site's lock."""

    def __init__(self, site_dir: Path, on_wait: Callable[[str], None]):
        self.site_dir = site_dir
        self.staging = site_dir.with_name(f".{site_dir.name}{_STAGING}{os.getpid()}")
        self._lock: IO[str] | None = None
        self._take_lock(on_wait)
        self._remove_leftovers()

    def _take_lock(self, on_wait: Callable[[str], None]) -> None:
        lock_path = self.site_dir.with_name(f".{self.site_dir.name}.lock")
        try:
            self.site_dir.parent.mkdir(parents=True, exist_ok=True)
            self._lock = open(lock_path, "a", encoding="utf-8")  # noqa: SIM115 (held for the whole build)
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait(f"另一个构建正在写 {self.site_dir}，等它完成……")
                fcntl.flock(self._lock, fcntl.LOCK_EX)
        except OSError as exc:
            raise StagingError(f"无法在 {self.site_dir.parent} 里准备站点文件夹：{exc.strerror or exc}") from None

    def _remove_leftovers(self) -> None:
        """Staging folders of builds that were interrupted: with the lock held, none is in use."""
        for prefix in (_STAGING, _RETIRED):
            for leftover in self.site_dir.parent.glob(f".{self.site_dir.name}{prefix}*"):
                shutil.rmtree(leftover, ignore_errors=True)

    def publish(self) -> None:
        """Put the staged site in place of the old one, then let the next build in."""
        retired = self.site_dir.with_name(f".{self.site_dir.name}{_RETIRED}{os.getpid()}")
        try:
            if self.site_dir.exists():
                os.replace(self.site_dir, retired)
            try:
                os.replace(self.staging, self.site_dir)
            except OSError:
                if retired.exists():  # put the old site back rather than leave none
                    os.replace(retired, self.site_dir)
                raise
        except OSError as exc:
            raise StagingError(f"无法把新站点放到 {self.site_dir}：{exc.strerror or exc}") from None
        else:
            shutil.rmtree(retired, ignore_errors=True)
        finally:
            self.release()

    def abandon(self) -> None:
        """A failed build: its half-written pages go, the last complete site stays."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.release()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None
