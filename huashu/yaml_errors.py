"""YAML mistakes explained in Chinese, at the place where they were made.

PyYAML reports where its parser gave up, in English, often lines after the
mistake (an unclosed quote is reported at the next quote or at the end of the
file). Here the lines of a file that failed are scanned for the mistakes editors
make most (a full-width colon, a value starting with `{称呼}`, an unclosed quote…);
each suspect is confirmed by parsing the file again with that one line repaired,
and the first suspect whose repair gets the parser past the failure is
reported, with its fix. Failing that, PyYAML's own problem is translated.

Two mistakes YAML accepts without complaint and that only ever make the file
mean something else (invisible characters pasted from Word, full-width spaces
in the indentation) are found before parsing, in every file (`prescan`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import yaml

from huashu.errors import LibraryError

# Characters that show as nothing in an editor and that Word, web pages and chat
# tools paste along with text. (The three line separators YAML also counts as line
# breaks, so with them its line numbers are not the editor's.)
INVISIBLE = {
    "\u0085": "换行符 NEL",
    "\u2028": "行分隔符",
    "\u2029": "段落分隔符",
    "\u00ad": "软连字符",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u202a": "文字方向控制符",
    "\u202b": "文字方向控制符",
    "\u202c": "文字方向控制符",
    "\u202d": "文字方向控制符",
    "\u202e": "文字方向控制符",
    "\u2060": "零宽不换行空格",
    "\u2066": "文字方向控制符",
    "\u2067": "文字方向控制符",
    "\u2068": "文字方向控制符",
    "\u2069": "文字方向控制符",
    "\ufeff": "字节顺序标记 BOM",
}
_INVISIBLE_RE = re.compile(f"[{''.join(INVISIBLE)}]")
_ZERO_WIDTH_JOINER = "\u200d"
# Spaces that look like indentation but are not YAML whitespace.
_WIDE_SPACES = {"\u3000": "全角空格", "\u00a0": "不换行空格（NBSP）"}
_SUSPECT_CHARACTERS_RE = re.compile(f"[{''.join(INVISIBLE)}{''.join(_WIDE_SPACES)}]")
# A line whose indentation holds a wide space and that goes on like a field or a list item
# (a paragraph inside a `|` block may well start with 　　, but not with `key:`).
_WIDE_INDENT_RE = re.compile(r"^[ \u3000\u00a0]*?([\u3000\u00a0])[ \u3000\u00a0]*(?:- |-$|[A-Za-z_][\w-]*\s*[:：])")

_KEY = r"[A-Za-z_][\w-]*"
# `key:` or `- key:` at the start of a line, then the rest.
_FIELD_RE = re.compile(rf"^(?P<indent>\s*(?:-\s+)?)(?P<key>{_KEY})(?P<sep>\s*[:：])(?P<rest>.*)$")
# A value after `key: ` or `- `.
_VALUE_RE = re.compile(rf"^(?P<lead>\s*(?:-\s+)?(?:{_KEY}:\s+)?|\s*-\s+)(?P<value>\S.*)$")
# What a leading character means to YAML, for values that need quotes.
_INDICATORS = {
    "{": "开头的 { 表示键值对（占位符开头的话术最常见）",
    "[": "开头的 [ 表示列表",
    "*": "开头的 * 表示引用别名",
    "&": "开头的 & 表示锚点",
    "!": "开头的 ! 表示 YAML 标签",
    "%": "开头的 % 是 YAML 指令",
    "@": "开头的 @ 是 YAML 的保留字符",
    "`": "开头的 ` 是 YAML 的保留字符",
    "|": "开头的 | 表示多行文字，要换行后缩进写内容",
    ">": "开头的 > 表示折叠的多行文字，要换行后缩进写内容",
    "-": "开头的“- ”表示列表项",
    "?": "开头的“? ”表示 YAML 的复杂键",
}
_SHOWN_VALUE_CHARS = 16


@dataclass(frozen=True)
class _Suspect:
    """A line that may hold the mistake: where, what to tell, and the line repaired."""

    line: int  # 0-based, like PyYAML's marks
    column: int
    message: str
    repaired: str


# --- mistakes YAML accepts silently --------------------------------------------


def prescan(text: str, name: str) -> list[LibraryError]:
    """Invisible characters and full-width indentation, one error per line."""
    if not _SUSPECT_CHARACTERS_RE.search(text):  # nearly every file: one pass, no line split
        return []
    errors = []
    for number, line in enumerate(text.split("\n")):
        if line.lstrip().startswith("#"):
            continue  # a comment is never read: what it holds changes nothing
        found = _invisible_error(line) or _wide_indent_error(line)
        if found:
            column, message = found
            errors.append(LibraryError(name, number + 1, column + 1, "", message))
    return errors


def _invisible_error(line: str) -> tuple[int, str] | None:
    for match in _INVISIBLE_RE.finditer(line):
        char, at = match.group(), match.start()
        if char == _ZERO_WIDTH_JOINER and _joins_symbols(line, at):
            continue  # inside an emoji sequence (👨‍💻): meant
        where = _where_in_line(line, at)
        return at, (
            f"{where}有看不见的字符 U+{ord(char):04X}（{INVISIBLE[char]}），多半是从 Word 或网页复制来的；"
            "请删除它（把光标移到这一列删除，或重新输入这一行）"
        )
    return None


def _joins_symbols(line: str, at: int) -> bool:
    before, after = line[at - 1 : at], line[at + 1 : at + 2]
    return bool(before and after) and all(unicodedata.category(c) == "So" for c in before + after)


def _where_in_line(line: str, at: int) -> str:
    if not line[:at].strip(" -"):
        return "缩进里"
    field = _FIELD_RE.match(_INVISIBLE_RE.sub("", line))
    if field and at < len(line) - len(field.group("rest")) - 1:
        return f"字段名 {field.group('key')} 里"
    return "文字里"


def _wide_indent_error(line: str) -> tuple[int, str] | None:
    match = _WIDE_INDENT_RE.match(line)
    if not match:
        return None
    what = _WIDE_SPACES[match.group(1)]
    return match.start(1), f"缩进里有{what}：YAML 只认半角空格，请把它换成半角空格，并和上下同一层的内容对齐"


# --- syntax errors -----------------------------------------------------------------


def explain(text: str, exc: yaml.MarkedYAMLError, name: str) -> LibraryError:
    """A syntax error in Chinese, at the mistake itself when a repair confirms it."""
    lines = text.split("\n")
    # Measured with the parser that checks the repairs: libyaml's marks can differ from PyYAML's.
    failed_at = _parse_failure(text)
    if failed_at is not None:
        for suspect in _suspects(lines, _failure_position(exc)[0]):
            if _repair_helps(lines, suspect, failed_at):
                return LibraryError(name, suspect.line + 1, suspect.column + 1, "", suspect.message)
    line, column, message = translate(exc)
    return LibraryError(name, line + 1, column + 1, "", message)


def _failure_position(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line, mark.column) if mark else (0, 0)


_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # ten times faster when PyYAML has libyaml


def _parse_failure(text: str) -> tuple[int, int] | None:
    """Where parsing `text` fails, or None when it parses."""
    try:
        for _ in yaml.parse(text, Loader=_PARSER):
            pass
    except yaml.MarkedYAMLError as exc:
        return _failure_position(exc)
    except yaml.YAMLError:
        return (0, 0)
    return None


def _repair_helps(lines: list[str], suspect: _Suspect, failed_at: tuple[int, int]) -> bool:
    repaired = [*lines[: suspect.line], suspect.repaired, *lines[suspect.line + 1 :]]
    after = _parse_failure("\n".join(repaired))
    return after is None or after > failed_at


# Suspects checked per failure, nearest the failure first; a file of thousands of
# lines is not parsed thousands of times.
_MAX_SUSPECTS = 40


def _suspects(lines: list[str], failed_line: int) -> Iterator[_Suspect]:
    """Suspect lines up to the failure, earliest first (the parser reads top down, so the
    first line whose repair helps is where it went wrong)."""
    found: list[_Suspect] = []
    for number in range(min(failed_line, len(lines) - 1), -1, -1):
        for detector in _DETECTORS:
            suspect = detector(lines, number)
            if suspect:
                found.append(suspect)
                break
        if len(found) >= _MAX_SUSPECTS:
            break
    return iter(reversed(found))


# A list item's dash written full-width, or with no space after it (`-do: …`).
_BAD_DASH_RE = re.compile(r"^(\s*)([－—–]|-(?=[^\s-]))(\s*)(?=\S)")


def _bad_dash(lines: list[str], number: int) -> _Suspect | None:
    match = _BAD_DASH_RE.match(lines[number])
    if not match:
        return None
    dash = match.group(2)
    problem = "“-”后面要有一个空格" if dash == "-" else f"要用半角的“- ”开头，这里用了“{dash}”"
    return _Suspect(
        number,
        match.start(2),
        f"列表项{problem}；请写成半角减号加一个空格",
        match.group(1) + "- " + lines[number][match.end() :],
    )


def _full_width_colon(lines: list[str], number: int) -> _Suspect | None:
    match = _FIELD_RE.match(lines[number])
    if not match or "：" not in match.group("sep"):
        return None
    key, at = match.group("key"), match.end("sep") - 1
    line = lines[number]
    return _Suspect(
        number,
        at,
        f"字段名 {key} 后面用了全角冒号“：”；YAML 只认半角冒号，请改成“{key}: ”（半角冒号加一个空格）",
        line[: match.start("sep")] + ": " + line[match.end("sep") :].lstrip(),
    )


def _missing_space(lines: list[str], number: int) -> _Suspect | None:
    match = _FIELD_RE.match(lines[number])
    if not match or match.group("sep") != ":" or not match.group("rest")[:1].strip():
        return None
    key, rest, at = match.group("key"), match.group("rest"), match.end("sep") - 1
    return _Suspect(
        number,
        at,
        f"{key}: 后面少了一个空格：写成“{key}:{_shorten(rest)}”时，YAML 把整行当成一段文字；"
        f"请在冒号后加一个空格：{key}: {_shorten(rest)}",
        lines[number][: at + 1] + " " + rest,
    )


_QUOTE_IT = "请给整个值加上引号"
_QUOTE_IT_AS = _QUOTE_IT + "，写成 {shown}"


def _needs_quotes(lines: list[str], number: int) -> _Suspect | None:
    match = _VALUE_RE.match(lines[number])
    if not match:
        return None
    value = match.group("value").rstrip()
    reason = _quote_reason(value)
    if reason is None:
        return None
    column, why, advice, fixed = reason
    shown = (match.group("lead").strip() + " " + _shorten(fixed)).strip()
    message = f"{why}；{advice.format(shown=shown)}"
    return _Suspect(number, match.start("value") + column, message, match.group("lead") + fixed)


def _quote_reason(value: str) -> tuple[int, str, str, str] | None:
    """Why a value needs quotes: (column in the value, the reason, the advice, the value as it should be)."""
    first = value[0]
    if first in "'\"":
        closing = _closing_quote(value)
        after = "" if closing is None else value[closing + 1 :].strip()
        if closing is None:
            why = f"引号没有配对：值以 {first} 开头，这一行却没有结束的 {first}"
            return 0, why, f"请在值的末尾补上 {first}，写成 {{shown}}", value + first
        if after and not after.startswith("#"):
            why = f"引号在值的中间就结束了，后面的“{_shorten(after)}”留在了引号外"
            # Quotes at both ends: one quoted text with a quote inside ('报工号'问候'), whose inner
            # quote must be doubled; else the quotes are part of the text ('请稍等'，我查一下).
            fixed = _single_quoted(value[1:-1]) if value.endswith(first) else _quoted(value)
            return closing + 1, why, _QUOTE_IT_AS, fixed
        return None
    if first in _BRACKETS and _BRACKETS[first] not in value:
        what, bracket = ("列表" if first == "[" else "键值对"), _BRACKETS[first]
        why = f"值以 {first} 开头，YAML 把它当成{what}，这一行却没有结束的 {bracket}"
        advice = f"要写{what}请在末尾补上 {bracket}，写成 {{shown}}；如果 {first} 是文字的一部分，{_QUOTE_IT}"
        return 0, why, advice, value + bracket
    if first in _INDICATORS and not _closed_flow(value) and (first not in "-?" or value[1:2] in ("", " ")):
        return 0, f"值{_INDICATORS[first]}", _QUOTE_IT_AS, _quoted(value)
    colon = value.find(": ")
    if colon > 0 and "#" not in value[:colon]:
        return colon, "值里有“: ”（冒号加空格），YAML 会把它当成又一个字段", _QUOTE_IT_AS, _quoted(value)
    if value.endswith(":") and "#" not in value:
        return len(value) - 1, "值以冒号“:”结尾，YAML 会把它当成又一个字段", _QUOTE_IT_AS, _quoted(value)
    return None


_BRACKETS = {"[": "]", "{": "}"}


def _closed_flow(value: str) -> bool:
    """A flow list or mapping written whole on its line (`[道歉, 投诉]`): meant as one."""
    closing = _BRACKETS.get(value[0])
    return closing is not None and value.split(" #")[0].rstrip().endswith(closing)


def _closing_quote(value: str) -> int | None:
    """Index of the quote that closes the one `value` starts with, or None."""
    quote, at = value[0], 1
    while at < len(value):
        char = value[at]
        if quote == '"' and char == "\\":
            at += 2
            continue
        if char == quote:
            if quote == "'" and value[at + 1 : at + 2] == "'":
                at += 2
                continue
            return at
        at += 1
    return None


def _quoted(value: str) -> str:
    """`value` as one quoted YAML string: in double quotes when it holds single ones."""
    if "'" in value and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return _single_quoted(value)


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN_VALUE_CHARS else text[:_SHOWN_VALUE_CHARS] + "…"


def _misaligned_key(lines: list[str], number: int) -> _Suspect | None:
    """A field indented differently from the field on the line above it, where neither a
    nested block (more indented, under a field with no value) nor a way back out to an
    outer level (less indented, to a column used above) explains it."""
    match = _FIELD_RE.match(lines[number])
    above = _previous_field(lines, number)
    if not match or above is None or match.group("indent").strip():
        return None
    indent, (expected, has_value) = len(match.group("indent")), above
    if indent == expected or abs(indent - expected) > 2:
        return None
    if indent > expected and not has_value:
        return None
    if indent < expected and indent in _columns_above(lines, number):
        return None
    more_or_less = "多" if indent > expected else "少"
    return _Suspect(
        number,
        0,
        f"缩进不对：{match.group('key')} 比上一行的字段{more_or_less}缩进了 {abs(indent - expected)} 个空格；"
        "同一层的字段要左对齐",
        " " * expected + lines[number].lstrip(" "),
    )


def _previous_field(lines: list[str], number: int) -> tuple[int, bool] | None:
    """The column where the field on the nearest line above starts (after any `- `), and
    whether a value follows it on its line."""
    for line in reversed(lines[:number]):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FIELD_RE.match(line)
        return (len(match.group("indent")), bool(match.group("rest").split(" #")[0].strip())) if match else None
    return None


def _columns_above(lines: list[str], number: int) -> set[int]:
    """Columns where fields and list items start on the lines above."""
    columns = set()
    for line in lines[:number]:
        match = _FIELD_RE.match(line)
        if match:
            columns.add(len(match.group("indent")))
            columns.add(len(line) - len(line.lstrip(" ")))
    return columns


_DETECTORS: tuple[Callable[[list[str], int], _Suspect | None], ...] = (
    _bad_dash,
    _full_width_colon,
    _missing_space,
    _needs_quotes,
    _misaligned_key,
)


# --- PyYAML's problems in Chinese ------------------------------------------------

_TOKEN_NAMES = {
    "<scalar>": "文字",
    "<block mapping start>": "新的一层字段",
    "<block sequence start>": "列表项“- ”",
    "<block end>": "缩进结束",
    "<flow mapping start>": "{",
    "<flow sequence start>": "[",
    "<flow mapping end>": "}",
    "<flow sequence end>": "]",
    "-": "列表项“- ”",
    "?": "问号“? ”",
    ":": "冒号",
    "{": "{",
    "}": "}",
    "[": "[",
    "]": "]",
    ",": "逗号",
    "<stream end>": "文件结尾",
    "<document start>": "文档开始标记 ---",
    "<document end>": "文档结束标记 ...",
}
_QUOTE_HINT = "；如果它是文字的一部分，请给整个值加上引号"
_INDENT_HINT = "请让同一层的字段和列表项“- ”上下对齐（只用空格缩进）"
# (problem, context or "") → message; {0} is the problem's first captured group.
_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    (
        r"found (?:character '\\t' that cannot start any token|a tab character.*)",
        "",
        "这里有 Tab 字符：YAML 的缩进和冒号后面只能用空格，请把 Tab 换成空格",
    ),
    (
        r"found character '(.)' that cannot start any token",
        "",
        "{0} 是 YAML 的保留字符，不能放在值的开头" + _QUOTE_HINT,
    ),
    (
        r"could not find expected ':'",
        "",
        "这一行既不是“字段名: 值”，也不是列表项“- …”：可能冒号后面少了空格、用了全角冒号，或者文字该缩进而没有缩进",
    ),
    (
        r"mapping values are not allowed here",
        "",
        "这里不能有“: ”（冒号加空格）：值里的冒号请给整个值加上引号或改用全角“：”；如果是一个新字段，请检查它的缩进",
    ),
    (r"found unexpected end of stream", "quoted scalar", "引号没有配对：从这里开始的引号直到文件末尾都没有结束"),
    (r"found unexpected end of stream", "", "文件在引号或括号结束之前就结束了，请检查引号和括号是否配对"),
    (
        r"found unknown escape character '(.)'",
        "",
        "双引号里的反斜杠 \\{0} 不是有效的转义：请改用单引号，或把反斜杠写成两个 \\\\",
    ),
    (r"expected alphabetic or numeric character", "alias", "开头的 * 表示引用别名" + _QUOTE_HINT),
    (r"expected alphabetic or numeric character", "anchor", "开头的 & 表示锚点" + _QUOTE_HINT),
    (r"expected URI|found undefined tag handle", "", "开头的 ! 表示 YAML 标签" + _QUOTE_HINT),
    (
        r"expected chomping or indentation indicators|expected a comment or a line break",
        "block scalar",
        "| 和 > 表示多行文字，后面要直接换行，内容写在下一行并缩进" + _QUOTE_HINT,
    ),
    (r"expected ',' or '\]'", "", "方括号列表里的项要用半角逗号隔开，并以 ] 结束" + _QUOTE_HINT),
    (r"expected ',' or '\}'", "", "花括号里的内容要写成“名字: 值”，用半角逗号隔开，并以 } 结束" + _QUOTE_HINT),
    (
        r"(?:block )?sequence entries are not allowed",
        "",
        "这里不能有列表项“- ”：要写列表，请换行后缩进再写“- ”" + _QUOTE_HINT,
    ),
    (r"expected <block end>, but found '<block mapping start>'", "", "缩进不对：" + _INDENT_HINT),
    (r"expected <block end>, but found '(?:<block sequence start>|-)'", "", "列表项缩进不对：" + _INDENT_HINT),
    (
        r"expected <block end>, but found '<scalar>'",
        "",
        "这一行多出了文字：前面的值已经结束（可能是引号或括号提前结束了），请给整个值加上引号",
    ),
    (r"expected <block end>, but found '(.*)'", "", "缩进不对，这里出现了意外的{0}：" + _INDENT_HINT),
    (r"did not find expected key", "", "这里应该是“字段名: 值”：" + _INDENT_HINT),
    (r"did not find expected '-' indicator", "", "这里应该是列表项“- …”：" + _INDENT_HINT),
    (
        r"expected '<document start>', but found '(.*)'",
        "",
        "文件最外层的格式不对，这里出现了意外的{0}：" + _INDENT_HINT,
    ),
)


def _token_name(token: str) -> str:
    """A token as PyYAML names it ('<scalar>', '-'), in words; PyYAML's other names are English."""
    return _TOKEN_NAMES.get(token, "内容" if token.startswith("<") else token)


FALLBACK = "YAML 格式有误：请检查这一行及上一行的缩进、冒号和引号（可以和别的条目对照着看）"


def translate(exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """PyYAML's problem as (line, column, Chinese message); no English word gets through."""
    problem, context = exc.problem or "", exc.context or ""
    line, column = _failure_position(exc)
    if "could not find expected ':'" in problem and exc.context_mark:
        line, column = exc.context_mark.line, exc.context_mark.column  # where the would-be key began
    if "quoted scalar" in context and "end of stream" in problem and exc.context_mark:
        line, column = exc.context_mark.line, exc.context_mark.column  # the opening quote
    for pattern, in_context, message in _PROBLEMS:
        match = re.search(pattern, problem)
        if match and in_context in context:
            names = [_token_name(group) for group in match.groups()]
            return line, column, message.format(*names)
    return line, column, FALLBACK
