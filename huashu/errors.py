"""The one error type: a problem in the library, pointing at file, line, column and field.

Lint warnings are the same type with `rule` set: one format for editors to read
and for editors' tools to parse."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What must never reach a terminal or a log as itself: control characters (an ESC
# starts a terminal escape sequence), bidirectional controls (they reorder the line
# on screen), line and paragraph separators, and lone surrogates (unprintable).
_UNPRINTABLE = re.compile(
    r"[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """`text` with every unprintable character written as its \\u escape, visible and inert."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, order=True)
class LibraryError:
    """One problem found in the library.

    Sorts by file, then position, so a run lists problems in reading order.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    rule: str = ""  # set on lint warnings: the rule's name, to look up or switch off

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return printable(f"{text} [{self.rule}]" if self.rule else text)


class LibraryInvalid(Exception):
    """Raised once, after every problem in the library has been collected."""

    def __init__(self, errors: list[LibraryError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in self.errors]
        lines.append(f"话术库有 {len(self.errors)} 处错误，请修改后重试。")
        return "\n".join(lines)
