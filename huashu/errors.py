"""The one error type: a problem in the library, pointing at file, line, column and field.

Lint warnings are the same type with `rule` set, and so are validation's warnings
(`warning` set: something YAML read differently from what the editor most likely
meant, which does not stop a build): one format for editors to read and for
editors' tools to parse."""

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
    warning: bool = False  # set on validation's warnings: printed, but the library is valid

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        message = f"{WARNING_MARK}{self.message}" if self.warning else self.message
        text = f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"
        return printable(f"{text} [{self.rule}]" if self.rule else text)


WARNING_MARK = "提醒："


def split_warnings(problems: list[LibraryError]) -> tuple[list[LibraryError], list[LibraryError]]:
    """(errors, warnings), each in reading order."""
    ordered = sorted(set(problems))
    return [p for p in ordered if not p.warning], [p for p in ordered if p.warning]


class LibraryInvalid(Exception):
    """Raised once, after every problem in the library has been collected."""

    def __init__(self, problems: list[LibraryError]):
        self.errors = sorted(set(problems))  # warnings too: they may explain an error
        super().__init__(self.report())

    def report(self) -> str:
        errors, warnings = split_warnings(self.errors)
        lines = [str(e) for e in self.errors]
        also = f"（另有 {len(warnings)} 条提醒）" if warnings else ""
        lines.append(f"话术库有 {len(errors)} 处错误{also}，请修改后重试。")
        return "\n".join(lines)
