"""The one error type: a problem in the library, pointing at file, line, column and field.

Lint warnings are the same type with `rule` set, and so are validation's warnings
(`warning` set: something YAML read differently from what the editor most likely
meant, which does not stop a build): one format for editors to read and for
editors' tools to parse."""

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
    warning: bool = False  # set on validation's warnings: printed, but the library is valid

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        message = f"{WARNING_MARK}{self.message}" if self.warning else self.message
        text = f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"
        return f"{text} [{self.rule}]" if self.rule else text


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
