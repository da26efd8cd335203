"""Stage 1, load: find the library's files and read each into a YAML node tree.

Only the node tree is built here (PyYAML's safe composer): nothing is
constructed, so no tag can run code, and every value keeps its position for
messages. Files are read one at a time as the next stage asks for them, so a
large library never holds every node tree at once. Turning nodes into model
objects is the next stage's job (`huashu.convert`, `huashu.validate`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from huashu import yaml_errors
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
# Notes for the library's readers may lie beside its files without a warning.
README_STEM = "readme"
SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods", ".numbers", ".et")
# Files the system puts in folders by itself (Windows' thumbnail cache and folder settings).
SYSTEM_FILES = ("thumbs.db", "desktop.ini")
# A handbook file is a few hundred entries at most; anything far larger is a mistake.
MAX_FILE_BYTES = 2 * 1024 * 1024
# An entry file nests five levels; libyaml composes recursively in C, where a document
# nested tens of thousands deep overflows the stack instead of raising.
MAX_DEPTH = 100
_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)


@dataclass(frozen=True)
class SourceFile:
    """One library file: its path as shown in messages, its YAML root node and its text
    (to see what YAML left out of a value: a comment, line breaks)."""

    name: str
    root: yaml.Node
    text: str = ""


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
_ID_LINE_RE = re.compile(r"^[\s\-－—–]*id:\s*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?\s*(?:#.*)?$", re.MULTILINE)


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
    # Some file could not be read at all (a link, a device, a folder that would not open): its
    # ids are unknown, so a reference that finds nothing may well be to one of them.
    ids_unknown: bool = False
    # Entry ids written in files that are not read (问候.yaml.txt) → that file's name.
    ids_in_unread_files: dict[str, str] = field(default_factory=dict)
    # Files read from these bytes instead of the disk (new files too): the library as a
    # command would leave it, checked before anything is written. Keys are resolved paths.
    pending: dict[Path, bytes] = field(default_factory=dict)

    def __iter__(self) -> Iterator[SourceFile]:
        if not self.folder.is_dir():
            self.errors.append(LibraryError(display_name(self.folder, self.base), 1, 1, "", "话术库文件夹不存在"))
            return
        if not (self.folder / CATEGORY_FILE).is_file() and (self.folder / CATEGORY_FILE).resolve() not in self.pending:
            # Not a library (or its categories were deleted): every other file would fail on
            # its categories; and the folder may be anything, even "/", so it is not walked.
            name = display_name(self.folder / CATEGORY_FILE, self.base)
            self.errors.append(LibraryError(name, 1, 1, "", "缺少分类文件 categories.yaml"))
            self.no_categories = True
            return
        paths, unread, refused = self._files()
        self.errors.extend(_unread_file_warning(path, display_name(path, self.base)) for path in unread)
        self.errors.extend(LibraryError(display_name(path, self.base), 1, 1, "", why) for path, why in refused)
        self.ids_unknown = bool(refused)
        for path in (p for p in unread if ".yaml" in p.name.lower() or ".yml" in p.name.lower()):
            # 问候.yaml.txt, 问候.yaml.bak: references to its entries say where they are.
            name = display_name(path, self.base)
            raw, read_error = read_file(path, name)
            if not read_error:
                self.ids_in_unread_files.update(dict.fromkeys(_ID_LINE_RE.findall(_best_reading(raw)), name))
        for path in paths:
            name = display_name(path, self.base)
            if path.name in ROOT_FILES and path.parent != self.folder:
                self.errors.append(LibraryError(name, 1, 1, "", f"{path.name} 只能放在话术库根目录"))
                continue
            if path.resolve() in self.pending:
                raw = self.pending[path.resolve()]
            else:
                raw, read_error = read_file(path, name)
                if read_error:
                    self.errors.append(read_error)
                    self.ids_unknown = True
                    continue
            source, file_errors = parse_file(raw, name)
            self.errors.extend(file_errors)
            if source:
                yield source
            elif file_errors:
                ids = set(_ID_LINE_RE.findall(_best_reading(raw)))
                (self.unreadable_category_ids if path.name == CATEGORY_FILE else self.unreadable_entry_ids).update(ids)

    def _files(self) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
        """find_library_files, with the new files a command is about to write among those read."""
        read, unread, refused = find_library_files(self.folder)
        on_disk = {path.resolve() for path in read}
        root = self.folder.resolve()
        new = [self.folder / p.relative_to(root) for p in self.pending if p not in on_disk and p.is_relative_to(root)]
        return sorted(read + new, key=lambda p: p.relative_to(self.folder).as_posix()), unread, refused


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


def find_library_files(library_dir: Path) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """The YAML files under the library folder; the other files, which are not read (hidden
    files and folders, README files, the system's and editors' own files aside); and what is
    refused, with why: links, files that are not plain files, folders that cannot be opened.
    Each in a stable order.

    Links are refused whatever they point at: a library is published, and a link can put any
    file of the machine on the site (or hang the build on a device file).
    """
    visible: list[Path] = []
    refused: list[tuple[Path, str]] = []

    def unopenable(error: OSError) -> None:
        refused.append((Path(error.filename), f"无法打开这个文件夹（{error.strerror}），里面的条目没有读到"))

    for folder, folders, files in os.walk(library_dir, onerror=unopenable):
        here = Path(folder)
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in [f for f in folders if (here / f).is_symlink()]:
            folders.remove(name)
            refused.append((here / name, _link_refusal(here / name)))
        for name in sorted(f for f in files if not f.startswith(".")):
            path = here / name
            kind = path.lstat().st_mode
            if stat.S_ISLNK(kind):
                refused.append((path, _link_refusal(path)))
            elif not stat.S_ISREG(kind):
                refused.append((path, "不是普通文件（可能是管道或设备），不会读取；请把它移出话术库文件夹"))
            else:
                visible.append(path)
    visible.sort(key=lambda p: p.relative_to(library_dir).as_posix())
    refused.sort(key=lambda item: item[0].as_posix())
    read = [path for path in visible if path.suffix.lower() in YAML_SUFFIXES]
    unread = [path for path in visible if path.suffix.lower() not in YAML_SUFFIXES and not _expected_beside(path)]
    return read, unread, refused


def _link_refusal(path: Path) -> str:
    target = os.readlink(path)
    return (
        f"是指向 {target} 的符号链接；话术库不读取链接（链接可能把库外的任何文件发布到网站上），请把文件本身放进话术库"
    )


def _expected_beside(path: Path) -> bool:
    """A file that belongs in any folder and is not meant to be read: notes, system files, backups."""
    name = path.name.lower()
    return name.startswith(README_STEM) or name in SYSTEM_FILES or name.endswith("~")


def _unread_file_warning(path: Path, name: str) -> LibraryError:
    meant = path.with_suffix("")  # 问候.yaml.txt → 问候.yaml
    if path.suffix.lower() == ".txt" and meant.suffix.lower() in YAML_SUFFIXES:
        advice = f"文件名多了 .txt（Windows 可能隐藏了扩展名），请改名为 {meant.name}"
    elif path.suffix.lower() in SPREADSHEET_SUFFIXES:
        advice = "话术要写成 .yaml 文件（格式见编辑指南），表格整理完请移出话术库文件夹"
    else:
        advice = "只有 .yaml 和 .yml 文件会被读取；如果它是话术，请改名为以 .yaml 结尾，否则请把它移出话术库文件夹"
    return LibraryError(name, 1, 1, "", f"这个文件不会被读取：{advice}", warning=True)


def display_name(path: Path, base: Path) -> str:
    """The path an editor would type: relative to `base` when the file lies under it."""
    try:
        # The folder resolved, not the file: a link is named as itself, not as its target.
        return (path.parent.resolve() / path.name).relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_file(path: Path, name: str) -> tuple[bytes, LibraryError | None]:
    """A library file's bytes, or why it cannot be read. The size is checked before
    reading, and no more than the limit is ever read (a file may grow, or lie about its size)."""
    try:
        with open(path, "rb", opener=_open_without_following) as file:
            size = os.fstat(file.fileno()).st_size
            raw = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        return b"", LibraryError(name, 1, 1, "", f"无法读取这个文件（{exc.strerror or exc}），请检查文件权限")
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        return b"", _too_large(name, max(size, len(raw)))
    return raw, None


def _open_without_following(path: str, flags: int) -> int:
    # A link swapped in after the folder was listed is not followed either.
    return os.open(path, flags | os.O_NOFOLLOW)


def _too_large(name: str, size: int) -> LibraryError:
    limit = MAX_FILE_BYTES // 1024 // 1024
    return LibraryError(name, 1, 1, "", f"文件过大（{size} 字节，上限 {limit} MB），请拆分成多个文件")


def parse_file(raw: bytes, name: str) -> tuple[SourceFile | None, list[LibraryError]]:
    """A file's bytes into its node tree, with every limit a library file has (size, nesting,
    no aliases, no invisible characters), or what is wrong and where.

    Also for old versions from git history, which are as untrusted as the working tree.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(name, len(raw))]
    text, error = _decode_utf8(raw, name)
    if error:
        return None, [error]
    hidden = yaml_errors.prescan(text, name)
    if hidden:
        return None, hidden
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
    return SourceFile(name, root, text), []


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
    # libyaml (PyYAML 6.0.4 and later) refuses deep flow nesting itself while scanning ahead,
    # before any event and with no useful position: then PyYAML's own parser walks it.
    for loader in dict.fromkeys((_FastLoader or yaml.SafeLoader, yaml.SafeLoader)):
        depth = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth += 1
                    if depth > MAX_DEPTH:
                        mark = event.start_mark
                        line, column = (mark.line, mark.column) if mark else (0, 0)
                        return LibraryError(name, line + 1, column + 1, "", f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层）")
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    depth -= 1
        except yaml.YAMLError:
            continue  # a syntax error: the composers below report it with its position
        return None
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
        return None, [_syntax_error(text, exc, name)]
    except yaml.reader.ReaderError as exc:
        return None, [_character_error(text, exc, name)]
    except yaml.YAMLError:  # errors without a position
        return None, [LibraryError(name, 1, 1, "", yaml_errors.FALLBACK)]
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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_UTF8 = "请另存为 UTF-8：记事本“另存为”时编码选 UTF-8；VS Code 点右下角的编码，选“通过编码保存”→ UTF-8"


def _utf16(raw: bytes) -> bool:
    # UTF-16 without a byte order mark still has a zero byte in every ASCII character (field
    # names, indentation); a stray zero byte in UTF-8 text is a control character, reported as such.
    return raw.startswith(_UTF16_BOMS) or raw.count(b"\x00") * 8 > len(raw)


def _decode_utf8(raw: bytes, name: str) -> tuple[str, LibraryError | None]:
    if _utf16(raw):
        message = f"文件是 UTF-16 编码（记事本里叫“Unicode”），话术库只读 UTF-8；{_SAVE_AS_UTF8}"
        return "", LibraryError(name, 1, 1, "", message)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")) + 1
        seems = " GBK（GB2312）编码" if _decodes(raw, "gb18030") else "别的编码"
        message = f"文件不是 UTF-8 编码，看起来是{seems}：话术库只读 UTF-8；{_SAVE_AS_UTF8}"
        return "", LibraryError(name, line, column, "", message)


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _best_reading(raw: bytes) -> str:
    """The text of a file that could not be read, in the encoding it seems to be in
    (to find the ids it defines)."""
    if _utf16(raw):
        return raw.decode("utf-16" if raw.startswith(_UTF16_BOMS) else "utf-16-le", errors="replace")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(raw, encoding):
            return raw.decode(encoding)
    return raw.decode("utf-8", errors="replace")


def _syntax_error(text: str, exc: yaml.MarkedYAMLError, name: str) -> LibraryError:
    if "expected a single document" in str(exc):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return LibraryError(name, line, column, "", "一个文件只能有一个 YAML 文档（请删除多余的 ---）")
    return yaml_errors.explain(text, exc, name)
