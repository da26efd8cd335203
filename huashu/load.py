"""Stage 1, load: find the library's files and read each into a YAML node tree.

Only the node tree is built here (PyYAML's safe composer): nothing is
constructed, so no tag can run code, and every value keeps its position for
messages. Files are read one at a time as the next stage asks for them, so a
large library never holds every node tree at once. Turning nodes into model
objects is the next stage's job (`huashu.convert`, `huashu.validate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from huashu.errors import LibraryError

# The library folder beside mkdocs.yml unless the site's settings name another.
DEFAULT_LIBRARY = "scripts_library"
CATEGORY_FILE = "categories.yaml"
CARDS_FILE = "cards.yaml"
SYNONYMS_FILE = "synonyms.yaml"
PLACEHOLDERS_FILE = "placeholders.yaml"
PINYIN_FILE = "pinyin.yaml"
# Files with a shape of their own, read only at the library's root.
ROOT_FILES = (CATEGORY_FILE, CARDS_FILE, SYNONYMS_FILE, PLACEHOLDERS_FILE, PINYIN_FILE)
YAML_SUFFIXES = (".yaml", ".yml")
# A handbook file is a few hundred entries at most; anything far larger is a mistake.
MAX_FILE_BYTES = 2 * 1024 * 1024
# An entry file nests five levels; libyaml composes recursively in C, where a document
# nested tens of thousands deep overflows the stack instead of raising.
MAX_DEPTH = 100
_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)


@dataclass(frozen=True)
class SourceFile:
    """One library file: its path as shown in messages and its YAML root node."""

    name: str
    root: yaml.Node


class _NodeLoader(yaml.SafeLoader):
    """Composes nodes like `yaml.safe_load`, but refuses aliases.

    An alias silently shares one value between entries and is the vector for
    "billion laughs" expansion; a handbook never needs one.
    """

    def __init__(self, stream: str, name: str):
        super().__init__(stream)
        self.name = name
        self.alias_errors: list[LibraryError] = []

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            mark = event.start_mark
            self.alias_errors.append(
                LibraryError(self.name, mark.line + 1, mark.column + 1, "", "不支持 YAML 别名（*引用），请直接写出内容")
            )
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", mark, event.end_mark)
        return super().compose_node(parent, index)


# An `id:` line in a file that could not be parsed: its ids are assumed to exist, so
# one syntax error does not also show up as "unknown id" in every file that refers to it.
_ID_LINE_RE = re.compile(r"^[\s-]*id:\s*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?\s*(?:#.*)?$", re.MULTILINE)


@dataclass
class LibraryFiles:
    """The files of one library folder, read one at a time by iterating.

    What could not be read is collected in `errors`; the ids written in files
    that could not be parsed are in `unreadable_entry_ids` / `unreadable_category_ids`,
    so later checks do not also report references to them.
    """

    folder: Path
    base: Path
    errors: list[LibraryError] = field(default_factory=list)
    unreadable_entry_ids: set[str] = field(default_factory=set)
    unreadable_category_ids: set[str] = field(default_factory=set)
    no_categories: bool = False
    # Files read from these bytes instead of the disk (new files too): the library as a
    # command would leave it, checked before anything is written. Keys are resolved paths.
    pending: dict[Path, bytes] = field(default_factory=dict)

    def __iter__(self) -> Iterator[SourceFile]:
        if not self.folder.is_dir():
            self.errors.append(LibraryError(display_name(self.folder, self.base), 1, 1, "", "话术库文件夹不存在"))
            return
        paths = self._paths()
        if not any(p.name == CATEGORY_FILE and p.parent == self.folder for p in paths):
            name = display_name(self.folder / CATEGORY_FILE, self.base)
            self.errors.append(LibraryError(name, 1, 1, "", "缺少分类文件 categories.yaml"))
            self.no_categories = True
        for path in paths:
            name = display_name(path, self.base)
            if path.name in ROOT_FILES and path.parent != self.folder:
                self.errors.append(LibraryError(name, 1, 1, "", f"{path.name} 只能放在话术库根目录"))
                continue
            raw = self.pending[path.resolve()] if path.resolve() in self.pending else path.read_bytes()
            source, file_errors = load_file(raw, name)
            self.errors.extend(file_errors)
            if source:
                yield source
            elif file_errors:
                ids = set(_ID_LINE_RE.findall(raw.decode("utf-8", errors="replace")))
                (self.unreadable_category_ids if path.name == CATEGORY_FILE else self.unreadable_entry_ids).update(ids)

    def _paths(self) -> list[Path]:
        found = find_library_files(self.folder)
        on_disk = {path.resolve() for path in found}
        root = self.folder.resolve()
        new = [self.folder / p.relative_to(root) for p in self.pending if p not in on_disk and p.is_relative_to(root)]
        return sorted(found + new, key=lambda p: p.relative_to(self.folder).as_posix())


def read_library(library_dir: Path, base: Path | None = None, pending: dict[Path, bytes] | None = None) -> LibraryFiles:
    """The library folder's files, to be read by iterating (see LibraryFiles).

    Args:
        library_dir: The `scripts_library/` folder.
        base: Folder that file names in messages are relative to (default: the current one).
        pending: Files to read from these bytes instead of the disk (the changes a command
            is about to write), by path.
    """
    return LibraryFiles(
        library_dir, base or Path.cwd(), pending={p.resolve(): raw for p, raw in (pending or {}).items()}
    )


def find_library_files(library_dir: Path) -> list[Path]:
    """Every YAML file under the library folder, in a stable order; hidden folders skipped."""
    found = [
        path
        for path in library_dir.rglob("*")
        if path.is_file()
        and path.suffix.lower() in YAML_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(library_dir).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(library_dir).as_posix())


def display_name(path: Path, base: Path) -> str:
    """The path an editor would type: relative to `base` when the file lies under it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(raw: bytes, name: str) -> tuple[SourceFile | None, list[LibraryError]]:
    """One file's bytes as its node tree, or why they cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        return None, [LibraryError(name, 1, 1, "", f"文件过大（{len(raw)} 字节，上限 {limit} MB），请拆分成多个文件")]
    text, error = _decode_utf8(raw, name)
    if error:
        return None, [error]
    depth_error = _nesting_error(text, name)
    if depth_error:
        return None, [depth_error]
    root = _compose_fast(text)
    if root is None or _shares_nodes(root):
        # libyaml found a problem, an alias or an empty file: the pure-Python
        # composer says exactly what and where, in the same words every time.
        root, errors = _compose_checked(text, name)
        if errors:
            return None, errors
    if root is None:
        return None, [LibraryError(name, 1, 1, "", "文件为空，没有任何内容")]
    return SourceFile(name, root), []


def _depth_bound(text: str) -> int:
    """An upper bound of the document's nesting, from the text alone (cheap; brackets
    inside quoted text only make it larger): flow brackets plus block indentation."""
    flow = deepest = 0
    for bracket in _BRACKETS.findall(text):
        flow = flow + 1 if bracket in "[{" else max(0, flow - 1)
        deepest = max(deepest, flow)
    block = max((len(prefix) for prefix in _BLOCK_PREFIX.findall(text)), default=0)
    return deepest + block + 1


def _nesting_error(text: str, name: str) -> LibraryError | None:
    """Refuse documents nested deeper than MAX_DEPTH before any composer sees them."""
    if _depth_bound(text) <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader or yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = (event.start_mark.line, event.start_mark.column) if event.start_mark else (0, 0)
                    return LibraryError(name, line + 1, column + 1, "", f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层）")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: the composers below report it with its position
    return None


_FastLoader = getattr(yaml, "CSafeLoader", None)


def _compose_fast(text: str) -> yaml.Node | None:
    """The node tree through libyaml when PyYAML has it (ten times faster), else None."""
    if _FastLoader is None:
        return None
    loader = _FastLoader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _shares_nodes(root: yaml.Node) -> bool:
    """Whether any node appears twice in the tree: what an alias composes to."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return False


def _compose_checked(text: str, name: str) -> tuple[yaml.Node | None, list[LibraryError]]:
    try:
        loader = _NodeLoader(text, name)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:
        return None, [_character_error(text, exc, name)]
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, name)]
    except yaml.reader.ReaderError as exc:
        return None, [_character_error(text, exc, name)]
    except yaml.YAMLError as exc:  # errors without a position
        return None, [LibraryError(name, 1, 1, "", f"YAML 语法错误：{exc}")]
    except RecursionError:
        return None, [LibraryError(name, 1, 1, "", "YAML 嵌套层数过深")]
    finally:
        loader.dispose()
    return root, loader.alias_errors


def _character_error(text: str, exc: yaml.reader.ReaderError, name: str) -> LibraryError:
    """A character YAML does not allow (NUL, other control characters), with its line and column."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return LibraryError(
        name, line, column, "", f"文件含有不允许的控制字符 U+{code:04X}，请删除它（可能是从别处复制来的）"
    )


def _decode_utf8(raw: bytes, name: str) -> tuple[str, LibraryError | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")) + 1
        return "", LibraryError(name, line, column, "", "文件不是 UTF-8 编码，请用 UTF-8 保存（可能是 GBK/GB2312）")


def _syntax_error(exc: yaml.MarkedYAMLError, name: str) -> LibraryError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "expected a single document" in str(exc):
        return LibraryError(name, line, column, "", "一个文件只能有一个 YAML 文档（请删除多余的 ---）")
    detail = exc.problem or str(exc)
    if exc.context:
        context = exc.context
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            context += f"（第 {exc.context_mark.line + 1} 行第 {exc.context_mark.column + 1} 列）"
        detail = f"{context}, {detail}"
    return LibraryError(name, line, column, "", f"YAML 语法错误：{detail}")
