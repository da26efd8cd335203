"""The one error type: a problem in the library, pointing at file, line, column and field.

Lint warnings are the same type with `rule` set: one format for editors to read
and for editors' tools to parse."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{text} [{self.rule}]" if self.rule else text


class LibraryInvalid(Exception):
    """Raised once, after every problem in the library has been collected."""

    def __init__(self, errors: list[LibraryError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in self.errors]
        lines.append(f"话术库有 {len(self.errors)} 处错误，请修改后重试。")
        return "\n".join(lines)
